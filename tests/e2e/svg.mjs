// `director render`'s SVG, opened in headless Chromium: its rows' text must
// equal the screen an independent terminal (tmux replaying the same cast)
// ends on, and the reference picture must hold. Saves a screenshot.
//
// node svg.mjs NODE_MODULES SVG SCREEN.txt SCREENSHOT

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { launchChromium, referencePicture } from "./picture.mjs";
import { rowsShown } from "./svgpage.mjs";

const [modules, svgPath, screenPath, screenshot] = process.argv.slice(2);

const [context, closeChromium] = await launchChromium(modules, { width: 900, height: 660 });
const problems = [];
try {
  const tab = await context.newPage();
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await tab.goto(pathToFileURL(path.resolve(svgPath)).href);
  const { rows } = await tab.evaluate(rowsShown);
  await tab.screenshot({ path: screenshot });
  const screen = fs.readFileSync(screenPath, "utf8").split("\n").slice(0, rows.length);
  const trim = (r) => r.trimEnd();
  if (rows.length !== 36) problems.push(`36 rows, found ${rows.length}`);
  rows.forEach((row, i) => {
    if (trim(row) !== trim(screen[i] ?? "")) problems.push(`row ${i + 1}: svg ${JSON.stringify(trim(row))}, terminal ${JSON.stringify(trim(screen[i] ?? ""))}`);
  });
  problems.push(...referencePicture(rows));
} finally {
  await closeChromium();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`ok: ${svgPath} shows what the terminal shows`);
