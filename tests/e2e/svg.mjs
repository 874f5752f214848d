// `director render`'s SVG, opened in headless Chromium: its rows' text must
// equal the screen an independent terminal (tmux replaying the same cast)
// ends on, and the reference picture must hold. Saves a screenshot.
//
// node svg.mjs NODE_MODULES SVG SCREEN.txt SCREENSHOT

import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { referencePicture } from "./picture.mjs";

const [modules, svgPath, screenPath, screenshot] = process.argv.slice(2);
const { chromium } = createRequire(path.join(path.resolve(modules), "noop.js"))("playwright-core");

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "director-svg-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 900, height: 660 },
});
const problems = [];
try {
  const tab = await context.newPage();
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await tab.goto(pathToFileURL(path.resolve(svgPath)).href);
  const rows = await tab.evaluate(() => [...document.querySelectorAll("text.row")].map((t) => t.textContent));
  await tab.screenshot({ path: screenshot });
  const screen = fs.readFileSync(screenPath, "utf8").split("\n").slice(0, rows.length);
  const trim = (r) => r.trimEnd();
  if (rows.length !== 36) problems.push(`36 rows, found ${rows.length}`);
  rows.forEach((row, i) => {
    if (trim(row) !== trim(screen[i] ?? "")) problems.push(`row ${i + 1}: svg ${JSON.stringify(trim(row))}, terminal ${JSON.stringify(trim(screen[i] ?? ""))}`);
  });
  problems.push(...referencePicture(rows));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`ok: ${svgPath} shows what the terminal shows`);
