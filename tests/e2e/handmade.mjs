// The hand-made cast fixed by `director edit` (tests/e2e/handmade.sh),
// played from start to end in asciinema-player (3.10.0 and the latest) in
// headless Chromium: no page or console error, and the final screen, read
// from the player's DOM, shows the demo's lines, no identity, and avt's
// last frame of the cast row for row. Saves a screenshot of each.
//
// node handmade.mjs NODE_MODULES AVT_ROWS CAST OUT_DIR USER HOST HOME
// Prints ok:/FAILED: lines; exits non-zero on failure.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { launchChromium, playerDuration, playerRows, servePlayer } from "./picture.mjs";

const [modules, avtRows, castPath, outDir, ...privates] = process.argv.slice(2);
const cast = fs.readFileSync(castPath);
const lastTime = Math.max(...cast.toString().split("\n").slice(1).filter((l) => l.trim()).map((l) => JSON.parse(l)[0]));
const avt = JSON.parse(execFileSync(avtRows, [castPath, String(lastTime + 1)], { encoding: "utf8" }));
const want = avt.frames[0].rows.map((r) => r.trimEnd());
const demo = [
  "Server listening on 127.0.0.1:", "Connected by 127.0.0.1:", "Received: Hello, server!", "Connection open. Waiting...",
  "Closing connection.", "Connected to server.", "Message sent.", "Received: Hello, client!", "Connection closed.",
];

async function play(context, playerPackage) {
  const problems = [];
  const [base, closeServer] = await servePlayer(modules, playerPackage, cast);
  const started = Date.now();
  let duration = 0;
  try {
    const tab = await context.newPage();
    tab.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await tab.goto(base);
    duration = await playerDuration(tab);
    await tab.evaluate(async () => {
      window.ended = false;
      window.player.addEventListener("ended", () => { window.ended = true; });
      await window.player.play();
    });
    await tab.waitForFunction(() => window.ended, null, { timeout: (duration + 20) * 1000, polling: 100 });
    // 3.10.0 draws the last frame a moment after "ended".
    let rows = [];
    for (let i = 0; i < 50; i++) {
      rows = (await playerRows(tab)).map((r) => r.trimEnd());
      if (JSON.stringify(rows) === JSON.stringify(want)) break;
      await tab.waitForTimeout(100);
    }
    await tab.screenshot({ path: path.join(outDir, `${playerPackage}-clean.png`) });
    const screen = rows.join("\n");
    for (const line of demo) if (!screen.includes(line)) problems.push(`the final screen lacks ${JSON.stringify(line)}`);
    for (const p of privates) {
      if (screen.toLowerCase().includes(p.toLowerCase())) problems.push(`${JSON.stringify(p)} on the final screen`);
    }
    if (rows.length !== want.length) problems.push(`${rows.length} rows, avt has ${want.length}`);
    want.forEach((w, i) => {
      if (rows[i] !== w) problems.push(`row ${i + 1}: ${JSON.stringify(rows[i])}, avt: ${JSON.stringify(w)}`);
    });
  } catch (e) {
    problems.push(`${e.message}`);
  } finally {
    closeServer();
  }
  const took = (Date.now() - started) / 1000;
  if (problems.length) return problems.slice(0, 12).map((p) => `FAILED: handmade player: ${playerPackage}: ${p}`);
  return [`ok: handmade player: ${playerPackage} played clean.cast (${duration.toFixed(1)} s) to the end in ${took.toFixed(1)} s, no page error; its final screen shows the demo, no identity, avt's last frame row for row`];
}

const [context, closeChromium] = await launchChromium(modules, { width: 1100, height: 800 });
let lines;
try {
  lines = (await Promise.all(["player-3.10.0", "player-latest"].map((p) => play(context, p)))).flat();
} finally {
  await closeChromium();
}
console.log(lines.join("\n"));
process.exit(lines.some((l) => l.startsWith("FAILED")) ? 1 : 0);
