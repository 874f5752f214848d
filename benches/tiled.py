"""16 panes in tmux's tiled layout on a 240x68 terminal, one printing
`seq 1 1000000`, set beside one 100x36 pane printing the same (B2): wall
time and peak RSS of `director record`, the two taking turns RUNS times.
Usage: python3 benches/tiled.py DIRECTOR [RUNS]"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

SEQ = '[[step]]\npane = "p0"\nrun = "seq 1 1000000"\n[[step]]\nwait.exit = true\ntimeout = "5m"\n'


def scene(cols, rows, panes, layout):
    text = f'layout = "{layout}"\n[terminal]\ncols = {cols}\nrows = {rows}\n'
    for i in range(panes):
        text += f'[[pane]]\nname = "p{i}"\nprompt = "$ "\n'
    return text + SEQ


def timed(argv):
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if status != 0:
        sys.exit(f"{argv} failed: {status}")
    return wall, usage.ru_maxrss / 1024


def main():
    director = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    work = tempfile.mkdtemp()
    scenes = {
        "one pane, 100x36 (B2)": scene(100, 36, 1, "columns"),
        "16 panes tiled, 240x68": scene(240, 68, 16, "tiled"),
    }
    paths = {}
    for name, text in scenes.items():
        path = os.path.join(work, f"{len(paths)}.toml")
        with open(path, "w") as f:
            f.write(text)
        paths[name] = path
    walls = {name: [] for name in scenes}
    rss = {name: [] for name in scenes}
    for _ in range(runs):
        for name, path in paths.items():
            wall, peak = timed([director, "record", "--quiet", path, os.path.join(work, "out.cast")])
            walls[name].append(wall)
            rss[name].append(peak)
    base = statistics.median(walls["one pane, 100x36 (B2)"])
    print(f"{runs} rounds, taking turns; medians")
    print("| scene | wall (s) | against B2 | peak RSS (MiB) |")
    print("|---|---|---|---|")
    for name in scenes:
        wall = statistics.median(walls[name])
        print(f"| {name} | {wall:.3f} | {wall / base:.2f} | {max(rss[name]):.1f} |")


main()
