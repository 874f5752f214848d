"""`director render`'s pictures, end to end, against an independent terminal.

The oracle is avt (asciinema's emulator, `examples/avt_rows.rs`): the
screen's text, each cell's pen and the cursor at a moment of a cast. For
`recordings/tcp.cast` and `recordings/colours.cast`, at moments where the
screen is stable (inside pauses of 0.2 s or more between output events, and
in the final hold), with `--idle-time-limit none` so that film time is cast
time:

- SVG: the animated film paused in Chromium at T is, pixel for pixel, the
  still `--at T` (tests/e2e/film.mjs takes the screenshots; a pixel may
  differ by one level of 255, which Chromium's compositing of an animated
  layer does by itself, as each run shows), and the rows of the frame its
  DOM shows at T are avt's rows at T.
- GIF (font size 24): the frame shown at T, read back by tesseract, holds
  98% or more of avt's non-blank characters (box drawing and blocks aside:
  they are shapes); sampled cells have the background of avt's pen at their
  top-left pixel and its foreground among their pixels, in the theme's
  colours (resolved here, independently: the cast's theme or asciinema's).
- PNG: the same on `--at T` stills, at three moments.

Then the casts other tools wrote (tests/casts/): each renders to .svg, .gif
and .png; the SVG is XML with `@keyframes`; the GIF decodes, has two frames
or more, and their durations add up to the film (last event + 2 s of hold,
within 10 ms a frame); the final still of asciinema-v3.cast shows avt's
final rows.

How tesseract is made to read: see the OCR section below (each cell's ink
dark on white, panes read apart, runs of one character checked apart).

python3 tests/e2e/pictures.py [--director BIN] [--avt-rows BIN] [--modules NODE_MODULES] [--out DIR]
Prints `ok: …` or `FAILED: …` per check; exits 1 on any failure. Needs
Pillow, tesseract (Debian's tesseract-ocr), node and Chromium.
"""

import argparse
import concurrent.futures
import difflib
import json
import random
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]

HOLD = 2.0
FONT_PX = 24
PADDING = 12
OCR_MIN = 0.98
# Chromium draws a layer under a transform animation apart from the page,
# which moves a few pixels' antialiasing by one level of 255 whatever the
# document: a still against itself under a paused animation that moves
# nothing differs so (checked on every run). More is the picture's own.
NOISE = 1
DEFAULT_THEME = {
    "fg": "#cccccc",
    "bg": "#121314",
    "palette": "#000000:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#d9d9d9:"
    "#4d4d4d:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#ffffff",
}

passed = 0
failed = 0


def ok(message):
    global passed
    passed += 1
    print(f"ok: {message}", flush=True)


def fail(message):
    global failed
    failed += 1
    print(f"FAILED: {message}", flush=True)


def check(condition, good, bad):
    if condition:
        ok(good)
    else:
        fail(bad)
    return condition


# ---------------------------------------------------------------- casts


def events(cast):
    """The cast's events as (absolute time, code, data), v2 or v3."""
    lines = [l for l in Path(cast).read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    header = json.loads(lines[0])
    out, clock = [], 0.0
    for line in lines[1:]:
        t, code, data = json.loads(line)
        clock = clock + t if header["version"] == 3 else t
        out.append((clock, code, data))
    return header, out


def stable_times(evs):
    """Moments where the screen is stable: inside each pause of 0.2 s or
    more between output events (its midpoint; more points, evenly spread,
    for each further 0.5 s of pause), and in the final hold. In ms."""
    ts = sorted(t for t, code, _ in evs if code == "o")
    times = []
    for a, b in zip(ts, ts[1:]):
        if b - a >= 0.2:
            k = max(1, int((b - a) / 0.5))
            times += [a + (b - a) * (i + 1) / (k + 1) for i in range(k)]
    times.append(max(t for t, _, _ in evs) + HOLD / 2)
    return sorted({round(t * 1000) for t in times})


# ---------------------------------------------------------------- tools


def run(cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def render(args, out, cast, *options):
    run([args.director, "render", out, cast, "--force", "-q", *options])
    return out


def avt(args, cast, times_s):
    return json.loads(run([args.avt_rows, cast, *[f"{t:.3f}" for t in times_s]]))


def film(args, outdir, svg, shots):
    """film.mjs: shots are (T in seconds, still SVG or None)."""
    specs = [f"{t:.3f}" + (f"={still}" if still else "") for t, still in shots]
    run(["node", ROOT / "tests/e2e/film.mjs", args.modules, outdir, svg, *specs])
    return json.loads((Path(outdir) / "rows.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- colours


def hex_rgb(text):
    return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))


class Theme:
    """A cast header's theme (or asciinema's defaults) as RGB."""

    def __init__(self, theme):
        base = [hex_rgb(c) for c in DEFAULT_THEME["palette"].split(":")]
        theme = theme or {}

        def colour(text, default):
            try:
                return hex_rgb(text) if isinstance(text, str) and len(text) == 7 and text[0] == "#" else hex_rgb(default)
            except ValueError:
                return hex_rgb(default)

        self.fg = colour(theme.get("fg"), DEFAULT_THEME["fg"])
        self.bg = colour(theme.get("bg"), DEFAULT_THEME["bg"])
        given = (theme.get("palette") or "").split(":")
        palette = list(base)
        for i, c in enumerate(given[:16]):
            try:
                palette[i] = hex_rgb(c)
                if len(given) == 8:
                    palette[i + 8] = palette[i]
            except (ValueError, IndexError):
                pass
        self.palette = palette

    def resolve(self, c, default):
        if c is None:
            return default
        if isinstance(c, str):
            return hex_rgb(c)
        if c < 16:
            return self.palette[c]
        if c < 232:
            levels = (0, 95, 135, 175, 215, 255)
            i = c - 16
            return (levels[i // 36], levels[i // 6 % 6], levels[i % 6])
        v = 8 + 10 * (c - 232)
        return (v, v, v)

    def pen(self, pen, cursor=False):
        """(fg, bg, faint) of an avt pen [fg, bg, inverse, faint]."""
        fg, bg = self.resolve(pen[0], self.fg), self.resolve(pen[1], self.bg)
        if bool(pen[2]) != cursor:
            fg, bg = bg, fg
        return fg, bg, bool(pen[3]) if len(pen) > 3 else False


def shapes(c):
    """Box drawing and blocks: drawn as shapes, not read by OCR."""
    return "\u2500" <= c <= "\u259f"


def columns(row_text, cols):
    """A row's text (a wide character once) as one character per column,
    None for a wide character's tail."""
    out = []
    for ch in row_text:
        if unicodedata.combining(ch) and out:
            continue
        out.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            out.append(None)
    return (out + [" "] * cols)[:cols]


def check_colours(img, frame, theme, cols, rows, what, seed):
    """Samples cells of the picture against avt's pens: the background at
    the cell's top-left pixel, the foreground among its pixels."""
    cw, ch = (img.width - 2 * PADDING) / cols, (img.height - 2 * PADDING) / rows
    if cw != int(cw) or ch != int(ch):
        return fail(f"{what}: the picture is {img.width}x{img.height}, not {cols}x{rows} whole cells and {PADDING} px of padding")
    cw, ch = int(cw), int(ch)
    px = img.load()
    grid = [columns(r, cols) for r in frame["rows"]]
    cursor = frame.get("cursor")
    cursor = (cursor[0], min(cursor[1], cols - 1)) if cursor else None
    inked, coloured = [], []
    for r in range(rows):
        for c in range(cols):
            g = grid[r][c]
            if g is None or "\u2580" <= g <= "\u259f":
                continue
            fg, bg, _ = theme.pen(frame["pens"][r][c], (r, c) == cursor)
            if g != " ":
                inked.append((r, c))
            elif bg != theme.bg:
                coloured.append((r, c))
    rng = random.Random(seed)
    sample = rng.sample(inked, min(12, len(inked)))
    sample += rng.sample(coloured, min(20 - len(sample), len(coloured)))
    if cursor and cursor not in sample and grid[cursor[0]][cursor[1]] is not None:
        sample.append(cursor)
    bad, wrong, fg_checked, faint = [], set(), 0, 0
    for r, c in sample:
        g = grid[r][c]
        fg, bg, dim = theme.pen(frame["pens"][r][c], (r, c) == cursor)
        span = 2 if c + 1 < cols and grid[r][c + 1] is None else 1
        x0, y0 = PADDING + c * cw, PADDING + r * ch
        corner = px[x0, y0][:3]
        if corner != bg:
            wrong.add((r, c))
            bad.append(f"row {r + 1} col {c + 1} {g!r}: background at ({x0},{y0}) is #{bytes(corner).hex()}, want #{bytes(bg).hex()}")
        if g != " ":
            if dim:
                faint += 1
                continue
            fg_checked += 1
            cell = {px[x, y][:3] for y in range(y0, y0 + ch) for x in range(x0, x0 + cw * span)}
            if fg not in cell:
                wrong.add((r, c))
                bad.append(f"row {r + 1} col {c + 1} {g!r}: no pixel of the foreground #{bytes(fg).hex()} (background #{bytes(bg).hex()})")
    note = f", {faint} faint without the fg check" if faint else ""
    check(
        not bad,
        f"{what}: colours of {len(sample)} cells ({fg_checked} foregrounds{note}; cell {cw}x{ch} px) are the theme's for avt's pens",
        f"{what}: colours of {len(wrong)} of {len(sample)} cells: " + "; ".join(bad[:6]),
    )


# ---------------------------------------------------------------- OCR
#
# tesseract reads a dark-on-light picture best, and these pictures hold
# text in any colour on any background (black on the near-black screen,
# inverse, a status line). So it reads each picture's ink: every cell's
# pixels as their difference from the cell's own background (its top-left
# pixel), stretched to the cell's strongest, dark on white. That uses the
# picture's grid, never avt's text. tesseract's model cannot read a long
# run of one symbol (40 `#`s of a progress bar come out as `HHEH…`), so
# runs of 4 or more of one character are left out of the page it reads and
# checked apart: their cells (of one pen) are the same pixels, and the
# first, alone, reads as the character.

RUN = 4


def cell_box(r, c, cw, ch, span=1):
    return (PADDING + c * cw, PADDING + r * ch, PADDING + (c + span) * cw, PADDING + (r + 1) * ch)


def ink_image(img, cols, rows, cw, ch):
    """The picture's ink, cell by cell, dark on white."""
    out = Image.new("L", img.size, 255)
    for r in range(rows):
        for c in range(cols):
            box = cell_box(r, c, cw, ch)
            cell = img.crop(box)
            diff = ImageChops.difference(cell, Image.new("RGB", cell.size, cell.getpixel((0, 0))))
            red, green, blue = diff.split()
            ink = ImageChops.lighter(ImageChops.lighter(red, green), blue)
            strongest = ink.getextrema()[1]
            if strongest:
                out.paste(ink.point(lambda v, s=strongest: 255 - v * 255 // s), box[:2])
    return out


def runs(frame, cols):
    """Runs of RUN or more of one inked character in avt's rows: (row,
    first column, length, character)."""
    found = []
    for r, text in enumerate(frame["rows"]):
        cells = columns(text, cols)
        c = 0
        while c < cols:
            n = 1
            while c + n < cols and cells[c + n] == cells[c]:
                n += 1
            if n >= RUN and cells[c] not in (" ", None) and not shapes(cells[c]):
                found.append((r, c, n, cells[c]))
            c += n
    return found


def ink(text):
    """The characters OCR is held to: no blanks, no shapes."""
    return "".join(c for c in text if not c.isspace() and not shapes(c))


def tesseract(png, psm):
    return subprocess.run(["tesseract", str(png), "stdout", "--psm", str(psm)], capture_output=True, text=True).stdout


def accuracy(want, got):
    want, got = ink(want), ink(got)
    if not want:
        return 1.0
    blocks = difflib.SequenceMatcher(None, want, got, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(want)


def regions(frame, cols, rows):
    """The screen's panes, as tesseract should read them apart: (first row,
    end row, first column, end column) each. A column that holds a vertical
    line on half the rows or more, one run of rows, divides those rows."""
    grid = [columns(text, cols) for text in frame["rows"]]
    for c in range(cols):
        on = [r for r in range(rows) if grid[r][c] in "\u2502\u2503\u2551"]
        if len(on) >= rows // 2 and on == list(range(on[0], on[-1] + 1)):
            r0, r1 = on[0], on[-1] + 1
            return [(0, r0, 0, cols)] * (r0 > 0) + [(r0, r1, 0, c), (r0, r1, c + 1, cols)] + [(r1, rows, 0, cols)] * (r1 < rows)
    return [(0, rows, 0, cols)]


def read_picture(png, img, frame, cols, rows):
    """OCR of one picture: (accuracy, how, what tesseract read, problems
    with the runs left out, characters in runs)."""
    cw, ch = (img.width - 2 * PADDING) // cols, (img.height - 2 * PADDING) // rows
    found = runs(frame, cols)
    left_out = {(r, c + i) for r, c, n, _ in found for i in range(n)}
    grid = [columns(text, cols) for text in frame["rows"]]
    inked = ink_image(img, cols, rows, cw, ch)
    shown = inked.copy()
    for r, c in left_out:
        shown.paste(255, cell_box(r, c, cw, ch))
    panes = regions(frame, cols, rows)
    want = "".join(
        grid[r][c] or "" for r0, r1, c0, c1 in panes for r in range(r0, r1) for c in range(c0, c1) if (r, c) not in left_out
    )

    def read(scale):
        texts = []
        for k, (r0, r1, c0, c1) in enumerate(panes):
            x0, y0, x1, y1 = PADDING + c0 * cw, PADDING + r0 * ch, PADDING + c1 * cw, PADDING + r1 * ch
            page = Image.new("L", (x1 - x0 + 2 * PADDING, y1 - y0 + 2 * PADDING), 255)
            page.paste(shown.crop((x0, y0, x1, y1)), (PADDING, PADDING))
            if scale > 1:
                page = page.resize((page.width * scale, page.height * scale), Image.LANCZOS)
            path = Path(str(png).removesuffix(".png") + f"-ink-{k}" + (f"-{scale}x" if scale > 1 else "") + ".png")
            page.save(path)
            texts.append(tesseract(path, 6))
        return "\n".join(texts)

    how = "ink" + (f", {len(panes)} panes" if len(panes) > 1 else "")
    got = read(1)
    score = accuracy(want, got)
    if score < OCR_MIN:
        # Larger, as tesseract prefers text taller than 20 px.
        got2 = read(2)
        score2 = accuracy(want, got2)
        if score2 > score:
            how, score, got = how + ", 2x", score2, got2
    problems = []
    for r, c, n, char in found:
        pens = frame["pens"][r]
        first = img.crop(cell_box(r, c, cw, ch))
        for i in range(1, n):
            cell = img.crop(cell_box(r, c + i, cw, ch))
            if pens[c + i] == pens[c] and ImageChops.difference(first, cell).getbbox() is not None:
                problems.append(f"row {r + 1}: the {char!r} in column {c + i + 1} is not drawn as the one in column {c + 1}")
                break
        alone = Image.new("L", (cw + 40, ch + 40), 255)
        alone.paste(inked.crop(cell_box(r, c, cw, ch)), (20, 20))
        single = Path(str(png).removesuffix(".png") + f"-run-{r}-{c}.png")
        alone.save(single)
        read = tesseract(single, 10).strip()
        if read != char:
            problems.append(f"row {r + 1}: a run of {n} {char!r} from column {c + 1}: one alone reads as {read!r}")
    return score, how, got, problems, sum(n for _, _, n, _ in found)


def ocr_checks(jobs, cols, rows, cast_name, results):
    """Reads (what, png, picture, frame) jobs, two at a time; checks each."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda j: (j, *read_picture(j[1], j[2], j[3], cols, rows)), jobs))
    for (what, png, _, _), score, how, got, problems, in_runs in done:
        results.setdefault(cast_name, []).append(score)
        if score < OCR_MIN:
            Path(str(png) + ".txt").write_text(got, encoding="utf-8")
        runs_note = f"; {in_runs} characters in runs checked apart" if in_runs else ""
        check(
            score >= OCR_MIN,
            f"{what}: OCR ({how}) found {score:.1%} of avt's characters{runs_note}",
            f"{what}: OCR ({how}) found {score:.1%} of avt's characters, under {OCR_MIN:.0%} (tesseract's text in {png}.txt)",
        )
        if in_runs:
            check(not problems, f"{what}: the runs of one character are drawn alike and read alone", f"{what}: " + "; ".join(problems))


def difference(a, b, cell_w=14 * 0.6, cell_h=17):
    """None when a and b are the same pixels; else how much they differ
    ("most": the largest difference of a channel) and where, with the
    cells that holds (the SVG's cells at font size 14: 8.4x17 px)."""
    if a.size != b.size:
        return {"most": 255, "text": f"sizes {a.size} and {b.size}"}
    diff = ImageChops.difference(a, b)
    box = diff.getbbox()
    if box is None:
        return None
    red, green, blue = diff.split()
    most = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    histogram = most.histogram()
    # Where it is more than noise, if anywhere.
    box = most.point(lambda v: 255 if v > NOISE else 0).getbbox() or box
    count = sum(histogram[NOISE + 1 :]) or sum(histogram[1:])
    col = lambda x: int((x - PADDING) // cell_w) + 1
    row = lambda y: int((y - PADDING) // cell_h) + 1
    return {
        "most": most.getextrema()[1],
        "text": f"{count} px differ by {'more than ' + str(NOISE) if sum(histogram[NOISE + 1 :]) else 'up to ' + str(NOISE)}"
        f" level (up to {most.getextrema()[1]}) in {box}"
        f" (rows {row(box[1])}-{row(box[3] - 1)}, columns {col(box[0])}-{col(box[2] - 1)})",
    }


# ---------------------------------------------------------------- GIF


def gif_frames(path, wanted_ms):
    """The GIF's frame count, total duration (ms) and, for each wanted
    time, the frame shown then (its index and the composed picture)."""
    im = Image.open(path)
    start, shown = 0, {}
    starts = []
    for i in range(im.n_frames):
        im.seek(i)
        starts.append(start)
        start += im.info.get("duration", 0)
    for t in wanted_ms:
        shown[t] = max(i for i, s in enumerate(starts) if s <= t)
    pictures = {}
    for i in sorted(set(shown.values())):
        im.seek(i)
        pictures[i] = im.convert("RGB")
    return im.n_frames, start, {t: (i, pictures[i]) for t, i in shown.items()}


# ---------------------------------------------------------------- the checks


def recording(args, name, ocr_results):
    cast = ROOT / "recordings" / f"{name}.cast"
    out = Path(args.out) / name
    out.mkdir(parents=True, exist_ok=True)
    header, evs = events(cast)
    times = stable_times(evs)
    ts = [t / 1000 for t in times]
    check(len(times) >= 10, f"{name}: {len(times)} stable moments from {ts[0]:.3f} to {ts[-1]:.3f} s", f"{name}: only {len(times)} stable moments")
    oracle = avt(args, cast, ts)
    cols, rows = oracle["cols"], oracle["rows"]
    theme = Theme(oracle["theme"])

    # The animated SVG against its stills and avt.
    svg = render(args, out / f"{name}.svg", cast, "--idle-time-limit", "none")
    stills = [render(args, out / f"{name}-at-{t}ms.svg", cast, "--at", f"{t}ms") for t in times]
    shots = film(args, out / "film", svg, list(zip(ts, stills)))
    diffs, exact, exact_composited, noise = [], 0, 0, 0
    for shot, frame in zip(shots, oracle["frames"]):
        t = shot["t"]
        load = lambda f: Image.open(f).convert("RGB")
        paused, still, composited = load(shot["film"]), load(shot["still"]), load(shot["composited"])
        d = difference(paused, still)
        exact += d is None
        exact_composited += difference(paused, composited) is None
        if d and d["most"] > NOISE:
            diffs.append(f"{t:.3f} s (frame {shot['frame']}): {d['text']}")
        # Chromium's own noise: the same still, composited apart.
        same = difference(still, composited)
        noise = max(noise, same["most"] if same else 0)
        bad = [
            f"row {r + 1}: avt {want.rstrip()!r}, svg {got.rstrip()!r}"
            for r, (want, got) in enumerate(zip(frame["rows"], shot["rows"]))
            if want.rstrip() != got.rstrip()
        ]
        if len(shot["rows"]) != len(frame["rows"]):
            bad.insert(0, f"{len(shot['rows'])} rows, avt has {len(frame['rows'])}")
        if shot["animations"] != 1:
            bad.insert(0, f"{shot['animations']} animations, not the one of the strip")
        check(
            not bad,
            f"{name} svg at {t:.3f} s: frame {shot['frame']} of {shot['frames']} shows avt's {rows} rows",
            f"{name} svg at {t:.3f} s: frame {shot['frame']}: " + "; ".join(bad[:5]),
        )
    check(
        not diffs,
        f"{name} svg: the film paused at each of {len(shots)} moments is the still --at, pixel for pixel "
        f"(exact at {exact}, else within {NOISE} level; against the still composited alike exact at {exact_composited})",
        f"{name} svg: the paused film differs from the still --at by more than {NOISE} level at {len(diffs)} of {len(shots)} moments: "
        + "; ".join(diffs),
    )
    check(
        noise <= NOISE,
        f"{name} svg: Chromium's compositing alone shifts pixels by up to {noise} level (a still against itself under a paused animation)",
        f"{name} svg: a still against itself under a paused animation differs by {noise} levels",
    )

    # The GIF: the frame shown at each moment, read and sampled.
    gif = render(args, out / f"{name}.gif", cast, "--idle-time-limit", "none", "--font-size", str(FONT_PX))
    count, total, shown = gif_frames(gif, times)
    length = max(t for t, _, _ in evs) + HOLD
    check(
        abs(total - length * 1000) <= 10 * count,
        f"{name} gif: {count} frames lasting {total} ms, the film's {length * 1000:.0f} ms",
        f"{name} gif: {count} frames lasting {total} ms, the film is {length * 1000:.0f} ms",
    )
    first = shown[times[0]][1]
    print(
        f"   {name} gif: {first.width}x{first.height} px: cell {(first.width - 2 * PADDING) / cols:g}x"
        f"{(first.height - 2 * PADDING) / rows:g} px (expected 14x29 at {FONT_PX} px)"
    )
    jobs = []
    for t, frame in zip(times, oracle["frames"]):
        i, picture = shown[t]
        png = out / f"{name}-gif-{t}ms.png"
        picture.save(png)
        jobs.append((f"{name} gif at {t / 1000:.3f} s (frame {i})", png, picture, frame))
        check_colours(picture, frame, theme, cols, rows, f"{name} gif at {t / 1000:.3f} s", seed=f"{name}{t}")
    ocr_checks(jobs, cols, rows, f"{name} gif", ocr_results)

    # PNG stills at three moments.
    jobs = []
    for k in (0, len(times) // 2, len(times) - 1):
        t, frame = times[k], oracle["frames"][k]
        png = render(args, out / f"{name}-at-{t}ms.png", cast, "--at", f"{t}ms", "--font-size", str(FONT_PX))
        picture = Image.open(png).convert("RGB")
        jobs.append((f"{name} png at {t / 1000:.3f} s", png, picture, frame))
        check_colours(picture, frame, theme, cols, rows, f"{name} png at {t / 1000:.3f} s", seed=f"{name}png{t}")
    ocr_checks(jobs, cols, rows, f"{name} png", ocr_results)


def other_tools(args):
    out = Path(args.out) / "casts"
    out.mkdir(parents=True, exist_ok=True)
    for cast in sorted((ROOT / "tests/casts").glob("*.cast")):
        name = cast.stem
        _, evs = events(cast)
        pictures = {}
        for ext in ("svg", "gif", "png"):
            path = out / f"{name}.{ext}"
            path.unlink(missing_ok=True)
            try:
                render(args, path, cast, *(("--idle-time-limit", "none") if ext != "png" else ()))
            except RuntimeError as e:
                fail(f"{name}.{ext}: {e}")
                continue
            if check(path.is_file() and path.stat().st_size > 0, f"{name}.{ext}: written, {path.stat().st_size} bytes", f"{name}.{ext}: not written"):
                pictures[ext] = path
        if "svg" in pictures:
            text = pictures["svg"].read_text(encoding="utf-8")
            try:
                ET.fromstring(text)
                check("@keyframes" in text, f"{name}.svg: well-formed XML with @keyframes", f"{name}.svg: no @keyframes")
            except ET.ParseError as e:
                fail(f"{name}.svg: not XML: {e}")
        if "gif" in pictures:
            try:
                im = Image.open(pictures["gif"])
                durations = []
                for i in range(im.n_frames):
                    im.seek(i)
                    durations.append(im.info.get("duration", 0))
                    im.convert("RGB")
                length = (max(t for t, _, _ in evs) + HOLD) * 1000
                check(
                    len(durations) >= 2 and abs(sum(durations) - length) <= 10 * len(durations),
                    f"{name}.gif: {len(durations)} frames lasting {sum(durations)} ms, the film's {length:.0f} ms",
                    f"{name}.gif: {len(durations)} frames lasting {sum(durations)} ms, the film is {length:.0f} ms",
                )
            except Exception as e:  # noqa: BLE001 - any decoding error is the failure
                fail(f"{name}.gif: Pillow cannot decode it: {e}")
        if "png" in pictures:
            try:
                im = Image.open(pictures["png"])
                im.load()
                ok(f"{name}.png: decodes, {im.width}x{im.height}")
            except Exception as e:  # noqa: BLE001
                fail(f"{name}.png: Pillow cannot decode it: {e}")
        if name == "asciinema-v3":
            still = render(args, out / f"{name}-still.svg", cast, "--still")
            shot = film(args, out / f"{name}-film", still, [(0.0, None)])[0]
            want = avt(args, cast, [1e9])["frames"][0]["rows"]
            bad = [
                f"row {r + 1}: avt {w.rstrip()!r}, svg {g.rstrip()!r}"
                for r, (w, g) in enumerate(zip(want, shot["rows"]))
                if w.rstrip() != g.rstrip()
            ]
            if len(want) != len(shot["rows"]):
                bad.insert(0, f"{len(shot['rows'])} rows, avt has {len(want)}")
            check(not bad, f"{name}: the final still shows avt's final {len(want)} rows", f"{name}: the final still: " + "; ".join(bad[:5]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--director", default=ROOT / "target/release/director")
    p.add_argument("--avt-rows", default=ROOT / "target/release/examples/avt_rows")
    p.add_argument("--modules", default=ROOT / "target/e2e/npm/node_modules")
    p.add_argument("--out", default=ROOT / "target/e2e/pictures")
    args = p.parse_args()
    started = time.monotonic()
    ocr_results = {}
    for name in ("tcp", "colours"):
        try:
            recording(args, name, ocr_results)
        except Exception as e:  # noqa: BLE001 - reported, then the next cast
            fail(f"{name}: {type(e).__name__}: {e}")
    try:
        other_tools(args)
    except Exception as e:  # noqa: BLE001
        fail(f"tests/casts: {type(e).__name__}: {e}")
    for what, accuracies in ocr_results.items():
        print(f"   OCR {what}: min {min(accuracies):.1%}, mean {sum(accuracies) / len(accuracies):.1%} over {len(accuracies)} pictures")
    print(f"pictures: {passed} passed, {failed} failed in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
