// What a `director render` SVG shows, read in the page as a browser places
// it (the structure `src/picture/svg.rs` describes): the strip `g.f` holds
// one `<use>` per frame, the second at x = STRIDE; the frame shown is
// round(-translateX / STRIDE) of the strip's computed transform. A frame is
// resolved recursively: a `<use>` of a frame adds that frame's rows, a
// `<rect class="z">` (x and width optional) blanks the cells it covers, a
// `<use>` of a row at y draws that row's text runs on row y / cell height,
// each from the column of its x (font size × 0.6 a column). A wide
// character (East Asian wide ranges) takes two columns and shows once in
// the row's text, as in avt's `line.text()`.

import fs from "node:fs";

// The SVG's size from its root element's attributes.
export function svgSize(file) {
  const head = fs.readFileSync(file, "utf8").slice(0, 2000);
  const root = head.match(/<svg\b[^>]*>/);
  const attr = (name) => Number(root?.[0].match(new RegExp(`\\b${name}="([0-9.]+)"`))?.[1]);
  const [width, height] = [attr("width"), attr("height")];
  if (!(width > 0 && height > 0)) throw new Error(`${file}: no width and height on the root <svg>`);
  return { width, height };
}

// In the page: the rows of the frame the strip shows now, each as the
// characters its cells show (a wide character once, blank cells as spaces).
export function rowsShown() {
  const svg = document.documentElement;
  const style = [...svg.querySelectorAll("style")].map((s) => s.textContent).join("");
  const fontSize = Number(style.match(/font-size:([0-9.]+)px/)?.[1]);
  if (!fontSize) throw new Error("no font-size in the SVG's style");
  const cellH = Math.max(1, Math.round(fontSize * 1.2));
  const cellW = fontSize * 0.6;
  // The strip: the <g> of the inner <svg>, `g.f` in a film.
  const inner = [...svg.children].filter((c) => c.localName === "svg");
  if (inner.length !== 1) throw new Error(`${inner.length} inner <svg>s, expected 1`);
  const strip = [...inner[0].children].find((c) => c.localName === "g");
  const uses = [...strip.children].filter((c) => c.localName === "use");
  if (!uses.length) throw new Error("an empty strip");
  const stride = uses.length > 1 ? Number(uses[1].getAttribute("x")) : 0;
  const transform = getComputedStyle(strip).transform;
  const tx = !transform || transform === "none" ? 0 : new DOMMatrixReadOnly(transform).m41;
  const frame = stride > 0 ? Math.round(-tx / stride) : 0;
  if (frame < 0 || frame >= uses.length) throw new Error(`frame ${frame} of ${uses.length} (tx ${tx}, stride ${stride})`);
  const cols = Math.round(Number(inner[0].getAttribute("width")) / cellW);
  const count = Math.round(Number(inner[0].getAttribute("height")) / cellH);
  // Each cell: "" blank, null the tail of a wide character, else its text.
  const grid = Array.from({ length: count }, () => Array(cols).fill(""));
  const num = (el, name, dflt) => (el.hasAttribute(name) ? Number(el.getAttribute(name)) : dflt);
  const cell = (v, unit, what) => {
    const n = Math.round(v / unit);
    if (Math.abs(n * unit - v) > 0.02) throw new Error(`${what} ${v} is not on the grid (${unit})`);
    return n;
  };
  // East Asian wide and fullwidth ranges (what a terminal gives two cells).
  const wide = (cp) => (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff)
    || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
    || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
    || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
    || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
  const zeroWidth = /^[\p{M}\u200b-\u200f\ufe00-\ufe0f]$/u;
  const byId = (href) => {
    const el = href && document.getElementById(href.replace(/^#/, ""));
    if (!el) throw new Error(`no element ${href}`);
    return el;
  };
  const href = (use) => use.getAttribute("href") ?? use.getAttributeNS("http://www.w3.org/1999/xlink", "href");
  // A row's <g>: its text's runs placed at their columns on row r.
  const drawRow = (g, r, dx) => {
    if (r < 0 || r >= count) throw new Error(`a row at row ${r} of ${count}`);
    for (const tspan of g.querySelectorAll("tspan")) {
      let c = cell(num(tspan, "x", 0), cellW, "a run's x") + dx;
      let last = null;
      for (const ch of tspan.textContent) {
        const cp = ch.codePointAt(0);
        if (zeroWidth.test(ch) && last !== null) {
          grid[r][last] += ch;
          continue;
        }
        if (c >= cols) throw new Error(`row ${r}: a character past column ${cols}`);
        grid[r][c] = ch;
        last = c;
        if (wide(cp) && c + 1 < cols) grid[r][++c] = null;
        c += 1;
      }
    }
  };
  const isFrame = (g) => !g.querySelector("text") && [...g.children].some((c) => c.localName === "use");
  const place = (g) => {
    for (const child of g.children) {
      if (child.localName === "use") {
        const target = byId(href(child));
        if (!child.hasAttribute("y") && isFrame(target)) {
          place(target);
        } else {
          drawRow(target, cell(num(child, "y", 0), cellH, "a row's y"), cell(num(child, "x", 0), cellW, "a row's x"));
        }
      } else if (child.localName === "rect" && child.classList.contains("z")) {
        const [y, h] = [num(child, "y", 0), num(child, "height", 0)];
        const x = num(child, "x", 0);
        const w = Math.min(num(child, "width", cols * cellW), cols * cellW);
        for (let r = cell(y, cellH, "a clear's y"); r < cell(y + h, cellH, "a clear's end"); r++) {
          for (let c = cell(x, cellW, "a clear's x"); c < Math.round((x + w) / cellW); c++) grid[r][c] = "";
        }
      } else {
        throw new Error(`a frame holds a <${child.localName}>`);
      }
    }
  };
  place(byId(href(uses[frame])));
  const rows = grid.map((cells) => cells.map((c) => (c === null ? "" : c || " ")).join(""));
  return { frame, frames: uses.length, tx, stride, cellH, cellW, rows };
}

