// End-to-end check of casts in the real asciinema-player, in headless
// Chromium driven by playwright-core: serve a page on 127.0.0.1 that loads
// the cast, seek to the end, read the rendered rows from the DOM and check
// the reference picture of the built-in TCP scene. Saves a screenshot.
//
// node player.mjs NODE_MODULES PLAYER_PACKAGE CAST SCREENSHOT
// Exits non-zero with the reasons when the picture is wrong.

import fs from "node:fs";
import path from "node:path";

import { launchChromium, playerDuration, playerRows, referencePicture, servePlayer } from "./picture.mjs";

const [modules, playerPackage, castPath, screenshot] = process.argv.slice(2);
const [base, closeServer] = await servePlayer(modules, playerPackage, fs.readFileSync(castPath));

// The packages live where the runner installed them, not beside this file.
const [context, closeChromium] = await launchChromium(modules, { width: 1100, height: 800 });
const problems = [];
let duration;
try {
  const tab = await context.newPage();
  tab.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await tab.goto(base);
  duration = await playerDuration(tab);
  await tab.evaluate(async (d) => { await window.player.seek(d); }, duration);
  // Wait until the last frame is drawn: the prompt back in the right pane.
  const rows = () => playerRows(tab);
  let lines = [];
  for (let i = 0; i < 100; i++) {
    lines = await rows();
    if (lines.some((l) => l.includes("Connection closed."))) break;
    await tab.waitForTimeout(50);
  }
  await tab.screenshot({ path: screenshot });
  problems.push(...referencePicture(lines));
  if (!(duration > 5)) problems.push(`duration ${duration}`);
} finally {
  await closeChromium();
  closeServer();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`ok: ${playerPackage}, ${path.basename(castPath)}, ${duration.toFixed(3)} s`);

