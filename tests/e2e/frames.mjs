// Containment in asciinema-player, frame by frame: load the cast in headless
// Chromium, seek to each frame's time and read the rendered rows; writes
// them as JSON for `containment.py check`, which holds them against
// director's own picture. Saves a screenshot of the last frame.
//
// node frames.mjs NODE_MODULES PLAYER_PACKAGE CAST REFERENCE.json OUT.json SCREENSHOT

import fs from "node:fs";

import { launchChromium, playerDuration, playerRows, servePlayer } from "./picture.mjs";

const [modules, playerPackage, castPath, referencePath, outPath, screenshot] = process.argv.slice(2);
const frames = JSON.parse(fs.readFileSync(referencePath, "utf8"));
const [base, closeServer] = await servePlayer(modules, playerPackage, fs.readFileSync(castPath));

const [context, closeChromium] = await launchChromium(modules, { width: 1100, height: 800 });
const shown = [];
try {
  const tab = await context.newPage();
  await tab.goto(base);
  await playerDuration(tab);
  const rows = () => playerRows(tab);
  // Each frame is sought halfway to the next one (the player shows the
  // frame at its time or just after it) and read once it is painted: two
  // animation frames later, with text on it, and two reads agreeing.
  const painted = () => tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const blank = (rows) => rows.every((r) => !r.trim());
  for (const [i, frame] of frames.entries()) {
    const next = frames[i + 1]?.time ?? frame.time + 0.002;
    await tab.evaluate(async (t) => { await window.player.seek(t); }, (frame.time + next) / 2);
    await painted();
    let [before, got] = [[], await rows()];
    for (let n = 0; n < 40 && (blank(got) || JSON.stringify(before) !== JSON.stringify(got)); n++) {
      await tab.waitForTimeout(25);
      [before, got] = [got, await rows()];
    }
    shown.push(got);
  }
  await tab.screenshot({ path: screenshot });
} finally {
  await closeChromium();
  closeServer();
}
fs.writeFileSync(outPath, JSON.stringify(shown));
console.log(`${playerPackage}: ${shown.length} frames read`);
