"""`director edit` on a large hand recording: throughput and peak RSS.

Called by benches/edit.sh, which builds director.

  python3 benches/edit.py gen CAST
      Writes a ~50 MB asciicast v2 (seeded, so the same bytes every time)
      as `asciinema rec` would have written a long session by hand: a
      100x36 terminal, before each prompt `alice@pc42:~/src$ ` the title
      `\\e]0;alice@pc42: ~/src\\a`, commands typed one character per event
      about 0.1 s apart, output (ls -l, cargo builds, logs, grep, cat, git,
      SGR colours, paths under /home/alice) line by line or in chunks of up
      to 4 KiB a few ms apart, seconds between commands (now and then a
      pause of minutes), and full-screen programs (top, less) that clear
      the screen and draw 36 lines.

  python3 benches/edit.py run DIRECTOR CAST RUNS
      Runs each operation RUNS times under `/usr/bin/time -f "%e %M"`,
      checks every output (`director check`; after a scrub, no `alice`
      and no `pc42` left in it) and prints a table of medians against the
      goals: >= 50 MB/s (input bytes / wall) and peak RSS <= 64 MiB.
      `cat CAST > /dev/null` is the floor, `director check CAST` (a full
      parse) a reference.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

TARGET_BYTES = 50_000_000
COLS, ROWS = 100, 36
USER, HOST = "alice", "pc42"
HOME = f"/home/{USER}"
GOAL_MBPS = 50.0
GOAL_RSS_MIB = 64.0

# ---------------------------------------------------------------- generator

WORDS = ("alpha beta gamma delta config server client handler request response "
         "buffer stream parser token cache index module worker queue socket "
         "render frame screen cursor layout scene pane timeline output event").split()
EXTS = ["rs", "toml", "md", "py", "json", "txt", "sh", "lock", "c", "h"]
PROJECTS = ["director", "webapp", "dotfiles", "notes", "kernel-patches"]
CWDS = ["~/src", "~/src", "~/src", "~/src/director", "~/src/webapp", "~"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
CRATES = ("serde serde_json regex clap anyhow thiserror libc nix memchr "
          "unicode-width vte tokio bytes log itoa ryu smallvec").split()
LEVELS = [("INFO", "\x1b[32m"), ("DEBUG", "\x1b[34m"), ("WARN", "\x1b[33m"), ("ERROR", "\x1b[31m")]


class Cast:
    def __init__(self, f):
        self.f = f
        self.t = 0.0
        self.bytes = 0
        self.events = 0

    def out(self, gap, data):
        self.t += gap
        line = "[%.6f, \"o\", %s]\n" % (self.t, json.dumps(data, ensure_ascii=False))
        self.f.write(line)
        self.bytes += len(line.encode())
        self.events += 1


def name(r):
    return "_".join(r.sample(WORDS, r.randint(1, 2))) + "." + r.choice(EXTS)


def ls_lines(r, cwd):
    lines = [f"total {r.randint(8, 4000)}"]
    for _ in range(r.randint(8, 60)):
        is_dir = r.random() < 0.25
        perm = "drwxr-xr-x" if is_dir else r.choice(["-rw-r--r--", "-rwxr-xr-x", "-rw-------"])
        n = r.choice(WORDS) if is_dir else name(r)
        shown = f"\x1b[01;34m{n}\x1b[0m" if is_dir else (f"\x1b[01;32m{n}\x1b[0m" if "x" in perm[3] else n)
        lines.append(f"{perm} {r.randint(1, 9):2} {USER} {USER} {r.randint(0, 999999):7} "
                     f"{r.choice(MONTHS)} {r.randint(1, 28):2} {r.randint(0, 23):02}:{r.randint(0, 59):02} {shown}")
    return lines


def cargo_lines(r):
    proj = r.choice(PROJECTS)
    lines = []
    for c in r.sample(CRATES, r.randint(3, len(CRATES))):
        lines.append(f"\x1b[1m\x1b[32m   Compiling\x1b[0m {c} v{r.randint(0, 2)}.{r.randint(0, 30)}.{r.randint(0, 9)}")
    lines.append(f"\x1b[1m\x1b[32m   Compiling\x1b[0m {proj} v0.1.0 ({HOME}/src/{proj})")
    for _ in range(r.randint(0, 12)):
        var = r.choice(WORDS)
        f = f"src/{r.choice(WORDS)}.rs"
        ln, col = r.randint(1, 900), r.randint(1, 60)
        lines += [
            f"\x1b[1m\x1b[33mwarning\x1b[0m\x1b[1m: unused variable: `{var}`\x1b[0m",
            f"\x1b[1m\x1b[34m  --> \x1b[0m{f}:{ln}:{col}",
            "\x1b[1m\x1b[34m   |\x1b[0m",
            f"\x1b[1m\x1b[34m{ln:<4}|\x1b[0m     let {var} = {r.choice(WORDS)}.{r.choice(WORDS)}();",
            f"\x1b[1m\x1b[34m   |\x1b[0m         \x1b[1m\x1b[33m{'^' * len(var)}\x1b[0m "
            f"\x1b[1m\x1b[33mhelp: if this is intentional, prefix it with an underscore: `_{var}`\x1b[0m",
            "",
        ]
    lines.append(f"\x1b[1m\x1b[32m    Finished\x1b[0m `release` profile [optimized] target(s) in {r.uniform(0.5, 90):.2f}s")
    return lines


def log_lines(r, n):
    lines = []
    for _ in range(n):
        lvl, sgr = r.choice(LEVELS)
        lines.append(f"2024-03-{r.randint(1, 28):02}T{r.randint(0, 23):02}:{r.randint(0, 59):02}:"
                     f"{r.randint(0, 59):02}.{r.randint(0, 999):03}Z {sgr}{lvl:5}\x1b[0m "
                     f"{r.choice(WORDS)}::{r.choice(WORDS)}: request handled "
                     f"path=/api/v1/{r.choice(WORDS)}/{r.randint(1, 99999)} status={r.choice([200, 200, 200, 201, 304, 404, 500])} "
                     f"elapsed={r.randint(1, 900)}ms")
        if r.random() < 0.05:
            lines.append(f"    at {r.choice(WORDS)} ({HOME}/src/webapp/{name(r)}:{r.randint(1, 500)}:{r.randint(1, 80)})")
    return lines


def grep_lines(r):
    w = r.choice(WORDS)
    lines = []
    for _ in range(r.randint(10, 300)):
        path = f"{HOME}/src/{r.choice(PROJECTS)}/src/{name(r)}" if r.random() < 0.5 else f"src/{name(r)}"
        lines.append(f"\x1b[35m{path}\x1b[0m\x1b[36m:\x1b[0m\x1b[32m{r.randint(1, 2000)}\x1b[0m\x1b[36m:\x1b[0m"
                     f"    let x = {r.choice(WORDS)}(\x1b[01;31m\x1b[K{w}\x1b[m\x1b[K, {r.randint(0, 99)});")
    return lines


def source_lines(r, n):
    lines, indent = [], 0
    for _ in range(n):
        k = r.random()
        if k < 0.1:
            lines.append("    " * indent + f"fn {r.choice(WORDS)}_{r.choice(WORDS)}(&mut self, {r.choice(WORDS)}: usize) -> Result<(), Error> {{")
            indent = min(indent + 1, 4)
        elif k < 0.2 and indent:
            indent -= 1
            lines.append("    " * indent + "}")
        elif k < 0.3:
            lines.append("    " * indent + f"// {' '.join(r.choices(WORDS, k=r.randint(3, 10)))}")
        else:
            lines.append("    " * indent + f"let {r.choice(WORDS)} = self.{r.choice(WORDS)}.{r.choice(WORDS)}({r.randint(0, 999)});")
    return lines


def git_lines(r):
    if r.random() < 0.5:
        lines = ["On branch main", "Changes not staged for commit:", ""]
        for _ in range(r.randint(1, 8)):
            lines.append(f"\t\x1b[31mmodified:   src/{name(r)}\x1b[m")
        return lines + [""]
    lines = []
    for _ in range(r.randint(5, 40)):
        lines += [f"\x1b[33mcommit {r.getrandbits(160):040x}\x1b[m",
                  f"Author: Alice Example <{USER}@{HOST}.example.org>",
                  f"Date:   {r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} {r.choice(MONTHS)} {r.randint(1, 28)} 12:00:00 2024 +0100",
                  "", f"    {' '.join(r.choices(WORDS, k=r.randint(3, 9)))}", ""]
    return lines


def full_screen(r, first):
    """One redraw of a full-screen program (top): home, clear, 36 lines."""
    rows = [f"top - {r.randint(0, 23):02}:{r.randint(0, 59):02}:{r.randint(0, 59):02} up 3 days,  2 users,  load average: {r.uniform(0, 4):.2f}",
            f"Tasks: {r.randint(200, 400)} total,   {r.randint(1, 5)} running",
            f"%Cpu(s): {r.uniform(0, 100):4.1f} us,  {r.uniform(0, 20):4.1f} sy",
            f"MiB Mem :  15890.2 total,   {r.uniform(100, 9000):7.1f} free", "",
            "\x1b[7m    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND      \x1b[m"]
    while len(rows) < ROWS:
        u = r.choice([USER, USER, "root", "systemd+"])
        rows.append(f"{r.randint(1, 99999):7} {u:9} 20   0 {r.randint(1000, 9999999):7} {r.randint(1000, 999999):6} "
                    f"{r.randint(100, 99999):6} {r.choice('SSSR')} {r.uniform(0, 100):5.1f} {r.uniform(0, 30):5.1f} "
                    f"{r.randint(0, 999)}:{r.randint(0, 59):02}.{r.randint(0, 99):02} {r.choice(WORDS)[:12]}")
    head = "\x1b[?1049h\x1b[?25l" if first else ""
    return head + "\x1b[H\x1b[2J" + "".join(f"\x1b[{i + 1};1H{row[:COLS]}\x1b[K" for i, row in enumerate(rows))


def emit_lines(cast, r, lines, bulk):
    """Line-buffered programs write a few lines per event, ms apart; bulk
    writers (cat, a log dump) fill chunks of up to 4 KiB back to back."""
    if bulk:
        text = "".join(l + "\r\n" for l in lines)
        i = 0
        while i < len(text):
            n = 4096 if r.random() < 0.5 else r.randint(256, 4096)
            cast.out(r.uniform(0.0002, 0.003), text[i:i + n])
            i += n
        return
    i = 0
    while i < len(lines):
        n = 1 if r.random() < 0.9 else 2
        cast.out(r.uniform(0.001, 0.03) if r.random() < 0.95 else r.uniform(0.1, 1.5),
                 "".join(l + "\r\n" for l in lines[i:i + n]))
        i += n


def generate(path):
    r = random.Random(20240303)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        header = {"version": 2, "width": COLS, "height": ROWS, "timestamp": 1709467200,
                  "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"}}
        f.write(json.dumps(header) + "\n")
        cast = Cast(f)
        cwd = "~/src"
        cast.out(0.05, f"\x1b]0;{USER}@{HOST}: {cwd}\x07{USER}@{HOST}:{cwd}$ ")
        while cast.bytes < TARGET_BYTES:
            k = r.random()
            if k < 0.24:
                cmd, lines, bulk = r.choice(["ls -l", "ls -la", "ll"]), ls_lines(r, cwd), False
            elif k < 0.40:
                cmd, lines, bulk = r.choice(["cargo build --release", "cargo test", "cargo clippy"]), cargo_lines(r), False
            elif k < 0.45:
                cmd, lines, bulk = "tail -n 500 logs/server.log", log_lines(r, r.randint(50, 500)), True
            elif k < 0.56:
                cmd, lines, bulk = "journalctl -f -u webapp", log_lines(r, r.randint(20, 400)), False
            elif k < 0.69:
                cmd, lines, bulk = f"grep -rn {r.choice(WORDS)} {HOME}/src", grep_lines(r), False
            elif k < 0.73:
                cmd, lines, bulk = f"cat src/{name(r)}", source_lines(r, r.randint(30, 400)), True
            elif k < 0.88:
                cmd, lines, bulk = r.choice(["git status", "git log"]), git_lines(r), False
            elif k < 0.91:
                cmd, lines, bulk = r.choice(["top", "htop"]), None, False
            else:
                new = r.choice(CWDS)
                cmd, lines, bulk = f"cd {new}", [], False
                cwd = new
            for ch in cmd:  # typed, echoed one character at a time
                cast.out(r.uniform(0.05, 0.2), ch)
            cast.out(r.uniform(0.2, 0.8), "\r\n")
            if lines is None:
                for i in range(r.randint(2, 12)):
                    cast.out(r.uniform(0.05, 0.2) if i == 0 else r.uniform(0.9, 1.1), full_screen(r, i == 0))
                cast.out(r.uniform(0.3, 2.0), "\x1b[?25h\x1b[?1049l")
            else:
                emit_lines(cast, r, lines, bulk)
            cast.out(r.uniform(0.001, 0.01), f"\x1b]0;{USER}@{HOST}: {cwd}\x07{USER}@{HOST}:{cwd}$ ")
            # thinking before the next command; now and then away for minutes
            cast.t += r.uniform(1, 5) if r.random() < 0.98 else r.uniform(30, 600)
    os.replace(tmp, path)
    print(f"wrote {path}: {cast.bytes / 1e6:.1f} MB, {cast.events} events, {cast.t:.0f} s of cast", file=sys.stderr)


# ---------------------------------------------------------------- runner

def timed(argv):
    """Wall seconds and peak RSS (MiB) as /usr/bin/time reports them, and
    the command's error if it failed."""
    with tempfile.NamedTemporaryFile("r") as tf:
        proc = subprocess.run(["/usr/bin/time", "-o", tf.name, "-f", "%e %M"] + argv,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall, kib = tf.read().split()[-2:]
    error = None
    if proc.returncode != 0:
        error = (proc.stderr.decode(errors="replace").strip().splitlines() or [f"exit {proc.returncode}"])[-1]
    return float(wall), int(kib) / 1024, error


def last_time(cast):
    with open(cast, "rb") as f:
        f.seek(-4096, os.SEEK_END)
        return float(json.loads(f.read().splitlines()[-1])[0])


def verify(director, out, scrubbed):
    proc = subprocess.run([director, "check", out], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"check FAILED: {proc.stderr.strip()}"
    if scrubbed:
        data = open(out, "rb").read()
        left = {w: data.count(w.encode()) for w in (USER, HOST)}
        if any(left.values()):
            return "LEAK: " + ", ".join(f"{w} x{n}" for w, n in left.items() if n)
    return "ok"


def run(director, cast, runs):
    size = os.path.getsize(cast)
    mb = size / 1e6
    dur = last_time(cast)
    a, b, to = round(dur * 0.4), round(dur * 0.5), round(dur * 0.95)
    trim = ["--from", "5s", "--cut", f"{a}s..{b}s", "--to", f"{to}s"]
    retime = ["--idle-time-limit", "1s", "--speed", "1.5"]
    ops = [
        ("retime", retime, False),
        ("trim", trim, False),
        ("scrub (auto)", ["--scrub"], True),
        ("scrub --user --host", ["--user", USER, "--host", HOST], True),
        ("all together", ["--scrub", "--user", USER, "--host", HOST] + trim + retime, True),
    ]
    out = os.path.join(os.path.dirname(cast), "out.cast")
    print(f"input: {cast}, {mb:.1f} MB, {dur:.0f} s of cast; {runs} runs each, medians; peak RSS the largest")
    print(f"trim: {' '.join(trim)}")
    print()
    print("| operation | input MB | wall (s) | MB/s | peak RSS (MiB) | goals (>= 50 MB/s, <= 64 MiB) | output |")
    print("|---|---|---|---|---|---|---|")
    for label, argv in [("floor: cat IN > /dev/null", ["cat", cast]),
                        ("reference: director check IN", [director, "check", cast])]:
        walls, rss, errors = zip(*(timed(argv) for _ in range(runs)))
        if any(errors):
            sys.exit(f"{' '.join(argv)}: {[e for e in errors if e][0]}")
        wall = statistics.median(walls)
        print(f"| {label} | {mb:.1f} | {wall:.2f} | {mb / max(wall, 0.01):.0f} | {max(rss):.1f} | | |", flush=True)
    worst = None
    for label, args, scrubbed in ops:
        walls, rss, status = [], [], None
        for _ in range(runs):
            if os.path.exists(out):
                os.remove(out)
            w, m, error = timed([director, "edit", "-q", cast, out] + args)
            if error:
                status = f"FAILED after {w:.2f} s: {error}"
                break
            walls.append(w)
            rss.append(m)
            status = verify(director, out, scrubbed)
            if status != "ok":
                break
        if not walls:
            print(f"| {label} | {mb:.1f} | | | {m:.1f} | not measured | {status} |", flush=True)
            continue
        wall = statistics.median(walls)
        rate = mb / max(wall, 0.01)
        met = []
        met.append("speed ok" if rate >= GOAL_MBPS else "speed MISSED")
        met.append("RSS ok" if max(rss) <= GOAL_RSS_MIB else "RSS MISSED")
        print(f"| {label} | {mb:.1f} | {wall:.2f} | {rate:.1f} | {max(rss):.1f} | {', '.join(met)} | {status} |", flush=True)
        if worst is None or wall > worst[0]:
            worst = (wall, label, args)
    # the slowest operation's command line, for benches/edit.sh's `perf record`
    if worst is None:
        return
    with open(os.path.join(os.path.dirname(cast), "slowest"), "w") as f:
        f.write("\n".join(worst[2]) + "\n")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "gen":
        generate(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 3)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
