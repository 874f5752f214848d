"""Containment, frame by frame: director's own picture of each frame (its
`render --at` SVG) against what a player shows after the same events. Every
divider cell, every cell of the calm (right) pane and the status line must
be equal; the left pane prints characters whose width terminals dispute.

python3 containment.py reference DIRECTOR CAST OUT.json
    writes each frame's time and rows, as director draws them.
python3 containment.py tmux CAST REFERENCE.json
    replays the events one by one into a tmux pane of the cast's size.
python3 containment.py play ASCIINEMA CAST REFERENCE.json
    plays the cast cut after each checked frame in asciinema 2.4, in tmux.
python3 containment.py check REFERENCE.json ROWS.json
    checks rows a player showed (a list per frame, as in REFERENCE.json).
"""

import json, os, subprocess, sys, tempfile, unicodedata

import svgrows

COLS, ROWS, DIVIDER = 100, 36, 50


def cells(row, width=COLS):
    """A row's text as cells: a wide character, then an empty cell."""
    out = []
    for ch in row:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            out.append("")
    return (out + [" "] * width)[:width]


def problems(want, got):
    """Cells of the divider, the right pane and the status line that differ."""
    found = []
    for r in range(ROWS):
        w, g = cells(want[r] if r < len(want) else ""), cells(got[r] if r < len(got) else "")
        span = range(COLS) if r == ROWS - 1 else range(DIVIDER, COLS)
        bad = [c for c in span if w[c] != g[c]]
        if bad:
            found.append(f"row {r + 1}, columns {bad[0] + 1}..{bad[-1] + 1}: want {''.join(w[DIVIDER:])!r}, got {''.join(g[DIVIDER:])!r}")
    return found


def events(cast):
    lines = open(cast, encoding="utf-8").read().splitlines()
    return lines[0], [json.loads(l) for l in lines[1:] if l.strip()]


def reference(director, cast, out):
    _, evs = events(cast)
    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        svg = os.path.join(tmp, "frame.svg")
        for t, kind, _ in evs:
            if kind != "o":
                continue
            subprocess.run([director, "render", "-q", "--at", f"{t:.6f}s", svg, cast], check=True)
            rows = svgrows.rows(svg)
            frames.append({"time": t, "rows": rows})
    # `render --at` shows every event up to its time: a frame followed by
    # another at the same time is not checked.
    for f, g in zip(frames, frames[1:] + [None]):
        f["checked"] = g is None or g["time"] != f["time"]
    json.dump(frames, open(out, "w"), ensure_ascii=False)
    print(f"ok: director's picture of {len(frames)} frames")


class Tmux:
    def __init__(self, command):
        self.dir = tempfile.mkdtemp()
        self.sock = os.path.join(self.dir, "sock")
        self.run("-f", "/dev/null", "new-session", "-d", "-x", str(COLS), "-y", str(ROWS), command)

    def run(self, *args):
        return subprocess.run(["tmux", "-S", self.sock, *args], check=True, capture_output=True, text=True).stdout

    def screen(self):
        return self.run("capture-pane", "-p", "-N", "-t", "0").split("\n")[:ROWS]

    def close(self):
        subprocess.run(["tmux", "-S", self.sock, "kill-server"], capture_output=True)


# In the tmux pane: copy each chunk from the fifo to the terminal, then ask
# the terminal for the cursor position, so that its answer (read back) says
# the chunk has been drawn, and tell the driver.
FEEDER = r"""
import os, sys, termios, tty
fifo, sock = sys.argv[1], sys.argv[2]
tty.setraw(0)
src = open(fifo, "rb")
n = 0
while True:
    size = src.read(8)
    if len(size) < 8:
        break
    data = src.read(int(size))
    os.write(1, data + b"\x1b[6n")
    reply = b""
    while not reply.endswith(b"R"):
        reply += os.read(0, 1)
    n += 1
    os.system(f"tmux -S {sock} wait-for -S frame{n}")
"""


def tmux(cast, ref):
    _, evs = events(cast)
    frames = json.load(open(ref, encoding="utf-8"))
    d = tempfile.mkdtemp()
    fifo, feeder = os.path.join(d, "in"), os.path.join(d, "feeder.py")
    os.mkfifo(fifo)
    open(feeder, "w").write(FEEDER)
    t = Tmux("sleep 3600")
    t.run("respawn-pane", "-k", "-t", "0", f"python3 {feeder} {fifo} {t.sock}; sleep 3600")
    failed, shown = [], []
    try:
        with open(fifo, "wb") as out:
            for i, (time, kind, data) in enumerate(e for e in evs if e[1] == "o"):
                b = data.encode()
                out.write(b"%08d" % len(b) + b)
                out.flush()
                t.run("wait-for", f"frame{i + 1}")
                rows = t.screen()
                shown.append(rows)
                if frames[i]["checked"]:
                    failed += [f"tmux, frame {i + 1} ({time:.3f} s): {p}" for p in problems(frames[i]["rows"], rows)]
    finally:
        t.close()
    report("tmux", len(shown), failed)


def play(asciinema, cast, ref):
    header, evs = events(cast)
    frames = json.load(open(ref, encoding="utf-8"))
    outs = [e for e in evs if e[1] == "o"]
    # Every fourth frame and the last: asciinema plays in real time.
    checked = [i for i in sorted(set(range(0, len(outs), 4)) | {len(outs) - 1}) if frames[i]["checked"]]
    failed = []
    d = tempfile.mkdtemp()
    for i in checked:
        part = os.path.join(d, f"part{i}.cast")
        with open(part, "w", encoding="utf-8") as f:
            f.write(header + "\n")
            for e in outs[: i + 1]:
                f.write(json.dumps(e) + "\n")
        t = Tmux("sleep 3600")
        try:
            t.run("respawn-pane", "-k", "-t", "0", f"{asciinema} play -i 0.001 -s 1000 {part}; tmux -S {t.sock} wait-for -S done; sleep 3600")
            t.run("wait-for", "done")
            rows = t.screen()
        finally:
            t.close()
        failed += [f"asciinema play, frame {i + 1}: {p}" for p in problems(frames[i]["rows"], rows)]
    report("asciinema 2.4 play", len(checked), failed)


def check(ref, got, name):
    frames = json.load(open(ref, encoding="utf-8"))
    shown = json.load(open(got, encoding="utf-8"))
    failed = [
        f"{name}, frame {i + 1}: {p}"
        for i, (f, rows) in enumerate(zip(frames, shown))
        if f["checked"]
        for p in problems(f["rows"], rows)
    ]
    if len(shown) != len(frames):
        failed.append(f"{name}: {len(shown)} frames shown, {len(frames)} recorded")
    report(name, len(shown), failed)


def report(name, n, failed, kept="the divider, the calm pane and the status line"):
    if failed:
        print("\n".join(failed[:20]), file=sys.stderr)
        sys.exit(f"{name}: {len(failed)} problems in {n} frames")
    print(f"ok: {name} keeps {kept} in all {n} frames checked")


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    {"reference": reference, "tmux": tmux, "play": play, "check": check}[what](*args)
