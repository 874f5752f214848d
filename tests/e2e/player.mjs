// End-to-end check of casts in the real asciinema-player, in headless
// Chromium driven by playwright-core: serve a page on 127.0.0.1 that loads
// the cast, seek to the end, read the rendered rows from the DOM and check
// the reference picture of the built-in TCP scene. Saves a screenshot.
//
// node player.mjs NODE_MODULES PLAYER_PACKAGE CAST SCREENSHOT
// Exits non-zero with the reasons when the picture is wrong.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { launchChromium, referencePicture } from "./picture.mjs";

const [modules, playerPackage, castPath, screenshot] = process.argv.slice(2);
const bundle = path.join(modules, playerPackage, "dist", "bundle");
const cast = fs.readFileSync(castPath);

const page = `<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/player/asciinema-player.css">
<style>.ap-overlay-start { display: none !important; } body { margin: 0; background: #000; }</style>
</head><body><div id="player"></div>
<script src="/player/asciinema-player.min.js"></script>
<script>
  window.player = AsciinemaPlayer.create("/cast", document.getElementById("player"), { fit: false, preload: true });
</script></body></html>`;

const types = { ".js": "text/javascript", ".css": "text/css" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
  } else if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html" }).end(page);
  } else if (url.pathname === "/cast") {
    res.writeHead(200, { "content-type": "text/plain" }).end(cast);
  } else if (url.pathname.startsWith("/player/")) {
    const file = path.join(bundle, path.basename(url.pathname));
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(fs.readFileSync(file));
  } else {
    console.error(`not found: ${url.pathname}`);
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

// The packages live where the runner installed them, not beside this file.
const [context, closeChromium] = await launchChromium(modules, { width: 1100, height: 800 });
const problems = [];
let duration;
try {
  const tab = await context.newPage();
  tab.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await tab.goto(base);
  await tab.waitForFunction(() => window.player && typeof window.player.getDuration === "function");
  // The duration is known once the cast has loaded.
  for (let i = 0; i < 100 && !duration; i++) {
    duration = await tab.evaluate(async () => await window.player.getDuration());
    if (!duration) await tab.waitForTimeout(50);
  }
  if (!duration) throw new Error("the player never reported a duration");
  await tab.evaluate(async (d) => { await window.player.seek(d); }, duration);
  // Wait until the last frame is drawn: the prompt back in the right pane.
  const rows = async () =>
    tab.evaluate(() => [...document.querySelectorAll(".ap-line")].map((l) => l.textContent.replace(/\u00a0/g, " ")));
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
  server.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`ok: ${playerPackage}, ${path.basename(castPath)}, ${duration.toFixed(3)} s`);

