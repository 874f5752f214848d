"""B4: pictures of a cast. director render against svg-term-cli and termtosvg.

Called by benches/pictures.sh, which builds director and installs the
peers. Usage: python3 benches/pictures.py RUNS

Three casts: recordings/tcp.cast; a pane printing `seq 1 1000000`
recorded by director into target/bench-pictures/seq.cast (B2's scene, once
per invocation; if director does not build, the seq.cast of an earlier run
is kept, or the binary of an earlier build records it), which director
squashes to a few dozen events; and seq-raw.cast, the same output as a
plain recorder writes it, 1700 events of 4 KiB, where the frame cap works. Each tool renders each cast RUNS times, the tools taking
turns (each first in turn); the table gives the output's size, the median
wall time and the largest peak RSS, with the goals beside director's rows.
Peak RSS comes from `/usr/bin/time -f %M` where it is installed (its own
fork and exec, about 1 ms, is in the wall time), else from wait4.

A tool that fails, times out, is missing or writes the wrong thing (not a
GIF into .gif, an SVG that does not move) gets an error row: the table is
printed whatever happens. The last output of each tool is kept in
target/bench-pictures/out/ to be looked at.

Environment (set by pictures.sh): SVG_TERM and TERMTOSVG, the commands;
SVG_TERM_ERROR and TERMTOSVG_ERROR, why a peer could not be installed;
DIRECTOR_ERROR, why director could not be built.
PICTURES_TIMEOUT: seconds one run may take (default 300). A tool stops
being repeated once its runs on a cast add up to PICTURES_BUDGET seconds
(default 60); the row says how many runs it had.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

DIRECTOR = os.path.abspath("target/release/director")
WORK = os.path.abspath("target/bench-pictures")
OUT = os.path.join(WORK, "out")
GNU_TIME = "/usr/bin/time"
TIMEOUT = float(os.environ.get("PICTURES_TIMEOUT", "300"))
BUDGET = float(os.environ.get("PICTURES_BUDGET", "60"))
# B2's scene (benches/compare.py): one 100x36 pane printing seq 1 1000000.
SEQ_SCENE = ('[terminal]\ncols = 100\nrows = 36\nstatus = false\n'
             '[[pane]]\nname = "seq"\nprompt = "$ "\n'
             '[[step]]\nrun = "seq 1 1000000"\n[[step]]\nwait.exit = true\ntimeout = "5m"\n')
# (cast, form): (size KiB, wall ms, peak RSS MiB); None: no goal.
GOALS = {
    ("tcp", "svg"): (25, 100, 32),
    ("tcp", "gif"): (100, 100, 32),
    ("seq", "svg"): (300, None, None),
    ("seq", "gif"): (2048, None, None),
    ("seq-raw", "svg"): (300, None, None),
    ("seq-raw", "gif"): (2048, None, None),
}


def write_seq_raw():
    """seq 1 1000000 as a plain recorder writes it (asciinema rec): every
    4 KiB read its own event, a millisecond apart, lines ending in CRLF
    (6.9 MB of output in 1700 events over 1.7 s)."""
    path = os.path.join(WORK, "seq-raw.cast")
    if not os.path.exists(path):
        text = "".join(f"{i}\r\n" for i in range(1, 1000001))
        with open(path + ".tmp", "w") as f:
            f.write(json.dumps({"version": 2, "width": 100, "height": 36}) + "\n")
            for k, at in enumerate(range(0, len(text), 4096)):
                f.write(json.dumps([round(0.001 * k, 6), "o", text[at:at + 4096]]) + "\n")
        os.replace(path + ".tmp", path)
    return path


class Failed(Exception):
    pass


def short(text, limit=90):
    """One line of a tool's complaint, fit for a table cell."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The first line that says error, else the last one.
    line = next((l for l in lines if "error" in l.lower()), lines[-1] if lines else "")
    line = line.replace("|", "\\|")
    return line if len(line) <= limit else line[:limit - 3] + "..."


def run_once(argv, out):
    """Runs argv once with a fresh OUT; returns (wall seconds, peak RSS MiB)."""
    if os.path.exists(out):
        os.remove(out)
    with tempfile.NamedTemporaryFile(prefix="pictures-time-", delete=False) as f:
        timefile = f.name
    try:
        use_time = os.access(GNU_TIME, os.X_OK)
        full = [GNU_TIME, "-f", "%M", "-o", timefile, *argv] if use_time else argv
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(TIMEOUT, kill)
        timer.start()
        stderr = proc.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.stderr.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timed_out.is_set():
            raise Failed(f"timed out after {TIMEOUT:g} s")
        if proc.returncode != 0:
            raise Failed(f"exit {proc.returncode}: {short(stderr)}")
        if use_time:
            with open(timefile) as f:
                rss_kib = int(f.read().split()[-1])
        else:
            rss_kib = usage.ru_maxrss
    finally:
        os.remove(timefile)
    if not os.path.exists(out):
        raise Failed(f"exit 0 but wrote no {os.path.basename(out)}")
    return wall, rss_kib / 1024


def skip_blocks(data, pos):
    """Past a GIF's data sub-blocks (each a length byte, then that many)."""
    while pos < len(data):
        n = data[pos]
        pos += 1 + n
        if n == 0:
            break
    return pos


def gif_frames(data):
    """The number of images in a GIF, or None if it is not one."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        return None
    pos = 13
    if data[10] & 0x80:
        pos += 3 << ((data[10] & 7) + 1)
    frames = 0
    while pos < len(data) and data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension: label, then sub-blocks
            pos = skip_blocks(data, pos + 2)
        elif data[pos] == 0x2C:  # image: descriptor, local table, LZW size, sub-blocks
            flags = data[pos + 9] if pos + 9 < len(data) else 0
            pos += 10
            if flags & 0x80:
                pos += 3 << ((flags & 7) + 1)
            frames += 1
            pos = skip_blocks(data, pos + 1)
        else:
            break
    return frames


def describe(path, form):
    """What OUT holds, e.g. "GIF, 57 frames"; Failed if it is not the form asked for."""
    with open(path, "rb") as f:
        data = f.read()
    head = data[:40].decode(errors="replace").strip().replace("|", "\\|").replace("\n", " ")
    if form == "gif":
        frames = gif_frames(data)
        if frames is None:
            raise Failed(f"wrote no GIF into .gif (it starts {head!r})")
        if frames < 2:
            raise Failed(f"a GIF of {frames} frame: not animated")
        return f"GIF, {frames} frames"
    if b"<svg" not in data[:4096]:
        raise Failed(f"wrote no SVG (it starts {head!r})")
    kinds = [name for name, mark in (("CSS", b"@keyframes"), ("SMIL", b"<animate"), ("SMIL", b"<set"),
                                     ("script", b"<script")) if mark in data]
    if not kinds:
        raise Failed("a still SVG: no @keyframes, <animate>, <set> or <script>")
    return "animated (" + ", ".join(dict.fromkeys(kinds)) + ")"


def cast_info(path):
    """(version, events, duration seconds, bytes) of an asciicast v2 or v3."""
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    header = json.loads(lines[0])
    version = header.get("version")
    times = [json.loads(line)[0] for line in lines[1:]]
    duration = sum(times) if version == 3 else (times[-1] if times else 0.0)
    return version, len(times), duration, os.path.getsize(path)


def record_seq():
    """seq.cast recorded by director, or the reason it could not be."""
    os.makedirs(WORK, exist_ok=True)
    scene, cast = os.path.join(WORK, "seq.toml"), os.path.join(WORK, "seq.cast")
    with open(scene, "w") as f:
        f.write(SEQ_SCENE)
    try:
        # v2: svg-term-cli reads v1 and v2 only.
        run_once([DIRECTOR, "record", "--quiet", "--format", "v2", scene, cast], cast)
    except Failed as e:
        return None, f"director record failed: {e}"
    return cast, None


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    os.makedirs(OUT, exist_ok=True)
    casts = {"tcp": os.path.abspath("recordings/tcp.cast")}
    cast_errors = {}
    director_error = os.environ.get("DIRECTOR_ERROR") or None
    kept = os.path.join(WORK, "seq.cast")
    seq_note = ""
    if not director_error:
        seq, why = record_seq()
    elif os.path.exists(kept):  # the peers' rows need no new build
        seq, why, seq_note = kept, None, " (kept from an earlier run: the build failed)"
    elif os.access(DIRECTOR, os.X_OK):
        seq, why = record_seq()
        seq_note = " (recorded by an earlier build: this one failed)"
    else:
        seq, why = None, f"not recorded: {director_error}"
    if seq:
        casts["seq"] = seq
    else:
        casts["seq"], cast_errors["seq"] = None, why
    casts["seq-raw"] = write_seq_raw()
    infos = {name: cast_info(path) for name, path in casts.items() if path}

    svg_term = os.environ.get("SVG_TERM", os.path.abspath("target/bench-npm/node_modules/.bin/svg-term"))
    termtosvg = os.environ.get("TERMTOSVG", os.path.abspath("target/bench-venv/bin/termtosvg"))
    # (label, form, argv for (cast, out), why it cannot run or None, asciicast versions it reads)
    tools = [
        ("director", "svg", lambda c, o: [DIRECTOR, "render", o, c], director_error, (2, 3)),
        ("director", "gif", lambda c, o: [DIRECTOR, "render", o, c], director_error, (2, 3)),
        ("svg-term-cli 2.1.1", "svg", lambda c, o: [svg_term, "--in", c, "--out", o],
         os.environ.get("SVG_TERM_ERROR") or None, (1, 2)),
        ("termtosvg 1.1.0", "svg", lambda c, o: [termtosvg, "render", c, o],
         os.environ.get("TERMTOSVG_ERROR") or None, (1, 2)),
    ]
    jobs = []  # one per (cast, tool): its samples, or the reason it has none
    for cast in casts:
        for label, form, argv, why, versions in tools:
            job = {"cast": cast, "tool": label, "form": form, "argv": argv, "walls": [], "rss": [],
                   "bytes": None, "what": "", "error": cast_errors.get(cast) or why}
            if not job["error"] and not os.access(argv("", "")[0], os.X_OK):
                job["error"] = f"not installed: {argv('', '')[0]}"
            if not job["error"] and infos[cast][0] not in versions:
                job["error"] = f"reads asciicast v{'/v'.join(map(str, versions))} only; this cast is v{infos[cast][0]}"
            jobs.append(job)

    for i in range(runs):
        for job in jobs[i % len(jobs):] + jobs[:i % len(jobs)]:
            if job["error"] or (job["walls"] and sum(job["walls"]) >= BUDGET):
                continue
            tool = job["tool"].split()[0]
            out = os.path.join(OUT, f"{job['cast']}.{tool}.{job['form']}")
            try:
                wall, rss = run_once(job["argv"](casts[job["cast"]], out), out)
                job["what"] = describe(out, job["form"])
            except Failed as e:
                job["error"] = str(e)
                continue
            job["walls"].append(wall)
            job["rss"].append(rss)
            job["bytes"] = os.path.getsize(out)

    python = sys.version.split()[0]
    print(f"\nB4: pictures of a cast. {runs} runs each, taking turns; median wall, largest peak RSS; "
          f"KiB and MiB of 1024; peak RSS from {'GNU time' if os.access(GNU_TIME, os.X_OK) else 'wait4'}; "
          f"Python {python}; outputs in {os.path.relpath(OUT)}/")
    for name, path in casts.items():
        if name in infos:
            version, events, duration, size = infos[name]
            note = seq_note if name == "seq" else ""
            print(f"- {name}: {os.path.relpath(path)}, v{version}, {events} events, {duration:.1f} s, {size} bytes{note}")
        else:
            print(f"- {name}: {cast_errors[name]}")
    print("| cast | tool | output | bytes | KiB | wall (ms) | peak RSS (MiB) | goal | met |")
    print("|---|---|---|---|---|---|---|---|---|")
    for job in jobs:
        goal = GOALS.get((job["cast"], job["form"])) if job["tool"] == "director" else None
        goal_text = ""
        if goal:
            size, wall, rss = goal
            goal_text = ", ".join(t for t in (f"<= {size} KiB",
                                              f"<= {wall} ms" if wall else "",
                                              f"<= {rss} MiB" if rss else "") if t)
        name = f"{job['tool']} .{job['form']}"
        if job["error"] or not job["walls"]:
            why = job["error"] or "no run"
            if job["walls"]:
                why = f"failed after {len(job['walls'])} good runs: {why}"
            print(f"| {job['cast']} | {name} | error: {why} | | | | | {goal_text} | {'no' if goal else ''} |")
            continue
        kib = job["bytes"] / 1024
        ms = 1000 * statistics.median(job["walls"])
        rss = max(job["rss"])
        what = job["what"] + (f"; {len(job['walls'])} runs (budget)" if len(job["walls"]) < runs else "")
        met = ""
        if goal:
            misses = [m for m, value, limit in (("size", kib, goal[0]), ("wall", ms, goal[1]), ("RSS", rss, goal[2]))
                      if limit is not None and value > limit]
            met = "no: " + ", ".join(misses) if misses else "yes"
        print(f"| {job['cast']} | {name} | {what} | {job['bytes']} | {kib:.1f} | {ms:.0f} | {rss:.1f} | {goal_text} | {met} |")


if __name__ == "__main__":
    main()
