// The reference picture of the built-in TCP scene (DESIGN.md): server text
// left of column 51, the divider in column 51 on rows 1-35, client text to
// its right, the status line on row 36, prompts back in both panes.
//
// As a module: referencePicture(rows) returns the problems found.
// As a program: node picture.mjs SCREEN.txt checks a captured screen.

import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Debian's Chromium, headless, with a new empty profile and no background
// networking (the machine reaches no other host), through playwright-core
// installed under `modules`. Returns [context, cleanup].
export async function launchChromium(modules, viewport) {
  const { chromium } = createRequire(path.join(path.resolve(modules), "noop.js"))("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "director-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport,
  });
  const cleanup = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return [context, cleanup];
}

// Serves on 127.0.0.1 a page that plays `cast` (bytes) in the player
// PLAYER_PACKAGE installed under `modules`. Returns [base URL, close].
export async function servePlayer(modules, playerPackage, cast) {
  const bundle = path.join(modules, playerPackage, "dist", "bundle");
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
  return [`http://127.0.0.1:${server.address().port}/`, () => server.close()];
}

// The player's duration, once the cast has loaded.
export async function playerDuration(tab) {
  await tab.waitForFunction(() => window.player && typeof window.player.getDuration === "function");
  let duration;
  for (let i = 0; i < 100 && !duration; i++) {
    duration = await tab.evaluate(async () => await window.player.getDuration());
    if (!duration) await tab.waitForTimeout(50);
  }
  if (!duration) throw new Error("the player never reported a duration");
  return duration;
}

// The player's rows as text.
export function playerRows(tab) {
  return tab.evaluate(() => [...document.querySelectorAll(".ap-line")].map((l) => l.textContent.replace(/\u00a0/g, " ")));
}

export function referencePicture(lines) {
  const problems = [];
  const expect = (ok, what) => { if (!ok) problems.push(what); };
  const rows = lines.map((s) => [...s.padEnd(100, " ")]);
  expect(rows.length >= 36, `36 rows, found ${rows.length}`);
  const text = (r, from, to) => (rows[r] ?? []).slice(from, to).join("").trimEnd();
  const pane = (from, to) => [...Array(35).keys()].map((r) => text(r, from, to)).filter((r) => r);
  const left = pane(0, 50);
  const right = pane(51, 100);
  const prompt = "[director@demo tcp]$";
  expect(left[0] === `${prompt} director demo server`, `left row 1: ${left[0]}`);
  expect(left[1]?.startsWith("Server listening on 127.0.0.1:"), `left row 2: ${left[1]}`);
  expect(left[2] === "Connected by 127.0.0.1:54321", `left row 3: ${left[2]}`);
  const serverTail = ["Received: Hello, server!", "Connection open. Waiting...", "Closing connection.", prompt];
  expect(JSON.stringify(left.slice(3)) === JSON.stringify(serverTail), `left rows 4-7: ${JSON.stringify(left.slice(3))}`);
  const client = [`${prompt} director demo client`, "Connected to server.", "Message sent.", "Received: Hello, client!", "Connection closed.", prompt];
  expect(JSON.stringify(right) === JSON.stringify(client), `right pane: ${JSON.stringify(right)}`);
  for (let r = 0; r < 35; r++) expect(rows[r]?.[50] === "│", `column 51 of row ${r + 1}: ${JSON.stringify(rows[r]?.[50])}`);
  const status = text(35, 0, 100);
  expect(status.includes("0:server") && status.includes("1:client") && status.includes("TCP client and server"), `status line: ${status}`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
  const problems = referencePicture(lines);
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`ok: ${process.argv[2]}`);
}
