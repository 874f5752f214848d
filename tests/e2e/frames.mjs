// Containment in asciinema-player, frame by frame: load the cast in headless
// Chromium, seek to each frame's time and read the rendered rows; writes
// them as JSON for `containment.py check`, which holds them against
// director's own picture. Saves a screenshot of the last frame.
//
// node frames.mjs NODE_MODULES PLAYER_PACKAGE CAST REFERENCE.json OUT.json SCREENSHOT

import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { launchChromium } from "./picture.mjs";

const [modules, playerPackage, castPath, referencePath, outPath, screenshot] = process.argv.slice(2);
const bundle = path.join(modules, playerPackage, "dist", "bundle");
const frames = JSON.parse(fs.readFileSync(referencePath, "utf8"));

const page = `<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/player/asciinema-player.css">
<style>.ap-overlay-start { display: none !important; } body { margin: 0; background: #000; }</style>
</head><body><div id="player"></div>
<script src="/player/asciinema-player.min.js"></script>
<script>
  window.player = AsciinemaPlayer.create("/cast", document.getElementById("player"), { fit: false, preload: true });
</script></body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
  if (url.pathname === "/cast") return res.writeHead(200, { "content-type": "text/plain" }).end(fs.readFileSync(castPath));
  const file = path.join(bundle, path.basename(url.pathname));
  if (!url.pathname.startsWith("/player/") || !fs.existsSync(file)) return res.writeHead(404).end();
  const type = file.endsWith(".js") ? "text/javascript" : "text/css";
  res.writeHead(200, { "content-type": type }).end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const [context, closeChromium] = await launchChromium(modules, { width: 1100, height: 800 });
const shown = [];
try {
  const tab = await context.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.player && typeof window.player.getDuration === "function");
  let duration;
  for (let i = 0; i < 100 && !duration; i++) {
    duration = await tab.evaluate(async () => await window.player.getDuration());
    if (!duration) await tab.waitForTimeout(50);
  }
  if (!duration) throw new Error("the player never reported a duration");
  const rows = () => tab.evaluate(() => [...document.querySelectorAll(".ap-line")].map((l) => l.textContent.replace(/\u00a0/g, " ")));
  // Each frame is sought halfway to the next one (the player shows the
  // frame at its time or just after it) and read once two reads agree.
  for (const [i, frame] of frames.entries()) {
    const next = frames[i + 1]?.time ?? frame.time + 0.002;
    await tab.evaluate(async (t) => { await window.player.seek(t); }, (frame.time + next) / 2);
    let [before, got] = [[], await rows()];
    for (let n = 0; n < 20 && JSON.stringify(before) !== JSON.stringify(got); n++) {
      await tab.waitForTimeout(25);
      [before, got] = [got, await rows()];
    }
    shown.push(got);
  }
  await tab.screenshot({ path: screenshot });
} finally {
  await closeChromium();
  server.close();
}
fs.writeFileSync(outPath, JSON.stringify(shown));
console.log(`${playerPackage}: ${shown.length} frames read`);
