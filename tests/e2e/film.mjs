// An animated SVG of `director render`, paused in headless Chromium at given
// times, against the still SVGs of the same moments: for each time T, a
// screenshot of the film paused at T (every animation paused, its current
// time set to T), a screenshot of the still, and the rows of the frame the
// film shows at T as read from its DOM. pictures.py compares them.
//
// node film.mjs NODE_MODULES OUTDIR SVG T[=STILL.svg] …
//
// SVG may be a still (no animation): it then shows its one frame at any T.
// Writes OUTDIR/film-K.png (and, when a still is given, OUTDIR/still-K.png
// and OUTDIR/still-composited-K.png: the still with its strip under a
// paused animation that moves nothing, composited as the film's strip is),
// K being the time's position in the arguments, and OUTDIR/rows.json:
// [{"t", "frame", "tx", "stride", "film", "still", "composited",
//   "rows": ["row text", …]}].
//
// How the rows are read: svgpage.mjs.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { launchChromium } from "./picture.mjs";
import { rowsShown, svgSize } from "./svgpage.mjs";

const [modules, outDir, svgPath, ...specs] = process.argv.slice(2);
if (!specs.length) {
  console.error("usage: node film.mjs NODE_MODULES OUTDIR SVG T[=STILL.svg] …");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const shots = specs.map((spec, k) => {
  const [t, still] = spec.split(/=(.*)/s);
  if (!Number.isFinite(Number(t))) throw new Error(`not a time in seconds: ${spec}`);
  return { k, t: Number(t), still: still || null };
});
const sizes = [svgPath, ...shots.map((s) => s.still).filter(Boolean)].map(svgSize);
const viewport = {
  width: Math.ceil(Math.max(...sizes.map((s) => s.width))),
  height: Math.ceil(Math.max(...sizes.map((s) => s.height))),
};

const [context, closeChromium] = await launchChromium(modules, viewport);
const results = [];
const problems = [];
try {
  const tab = await context.newPage();
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const clip = (s) => ({ x: 0, y: 0, width: Math.ceil(s.width), height: Math.ceil(s.height) });
  const filmClip = clip(sizes[0]);
  for (const shot of shots) {
    // Reloaded for each time: every shot starts from the same document.
    await tab.goto(pathToFileURL(path.resolve(svgPath)).href);
    const animations = await tab.evaluate((ms) => {
      const all = document.getAnimations();
      for (const a of all) {
        a.pause();
        a.currentTime = ms;
      }
      return all.length;
    }, shot.t * 1000);
    // Two animation frames: the paused time is drawn before the screenshot.
    await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const film = path.join(outDir, `film-${shot.k}.png`);
    await tab.screenshot({ path: film, clip: filmClip });
    const shown = await tab.evaluate(rowsShown);
    let still = null;
    let composited = null;
    if (shot.still) {
      await tab.goto(pathToFileURL(path.resolve(shot.still)).href);
      await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      still = path.join(outDir, `still-${shot.k}.png`);
      await tab.screenshot({ path: still, clip: clip(svgSize(shot.still)) });
      // The still again, its strip under a paused animation that moves it
      // nowhere: composited as the film's strip is (Chromium draws a layer
      // with a transform animation apart, which may shift a pixel's
      // antialiasing by a level whatever the document).
      await tab.evaluate(() => {
        const strip = [...document.documentElement.children].find((c) => c.localName === "svg")?.querySelector("g");
        const still = strip.animate([{ transform: "translateX(0px)" }, { transform: "translateX(0px)" }], { duration: 1000 });
        still.pause();
      });
      await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      composited = path.join(outDir, `still-composited-${shot.k}.png`);
      await tab.screenshot({ path: composited, clip: clip(svgSize(shot.still)) });
    }
    results.push({ t: shot.t, animations, film, still, composited, ...shown });
  }
} finally {
  await closeChromium();
}
fs.writeFileSync(path.join(outDir, "rows.json"), JSON.stringify(results, null, 1));
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`film.mjs: ${svgPath}: ${results.length} moments in ${outDir}`);
