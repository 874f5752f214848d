"""Measures director against asciinema rec and against the physical limit.

Called by benches/compare.sh, which builds director and installs asciinema
3.x. Runs each measurement RUNS times, the tools taking turns (B2's
order below), and prints medians, ratios and the targets of the
performance issue.

B1: the built-in TCP scene: director's wall time against the cast's
    duration and against the demo programs' own run time.
B2: one pane running `seq 1 1000000`: director against
    `asciinema rec --headless`, wall time, CPU time (the recorder's and
    seq's) and cast bytes; director's peak RSS. For reference, the same
    command read off its terminal by examples/bare_reader.rs, a bare
    blocking reader that keeps nothing. The three take turns, each first
    in every third round. Timings on a shared machine vary by 10% between
    batches: the wall ratio comes with a 95% bootstrap interval, and the
    rounds in which director was faster are counted.
"""

import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

DIRECTOR = os.path.abspath("target/release/director")
BARE = os.path.abspath("target/release/examples/bare_reader")
ASCIINEMA = os.environ.get("ASCIINEMA", "asciinema")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(argv, **kwargs):
    """Runs argv; returns (wall seconds, peak RSS in MiB, CPU seconds).
    The CPU time (user + system) counts the processes it waited for too:
    for a recorder, the recorded program's."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed: {stderr}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def ratio_interval(num, den, resamples=2000):
    """The 95% bootstrap interval of median(num) / median(den): both
    samples drawn again with replacement, from a fixed seed."""
    rng = random.Random(0)
    med = statistics.median
    ratios = sorted(med(rng.choices(num, k=len(num))) / med(rng.choices(den, k=len(den)))
                    for _ in range(resamples))
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


def cast_duration(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = json.loads(lines[0])
    times = [json.loads(line)[0] for line in lines[1:] if line.strip()]
    return sum(times) if header.get("version") == 3 else times[-1]


def programs_alone(port):
    """The demo's own run time: server and client without director."""
    env = dict(os.environ, DIRECTOR_DEMO_ADDR=f"127.0.0.1:{port}")
    start = time.perf_counter()
    server = subprocess.Popen([DIRECTOR, "demo", "server"], env=env, stdout=subprocess.PIPE)
    server.stdout.readline()  # "Server listening on ..."
    subprocess.run([DIRECTOR, "demo", "client"], env=env, stdout=subprocess.DEVNULL, check=True)
    server.wait()
    server.stdout.close()
    return time.perf_counter() - start


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    # Casts in memory where there is a tmpfs: asciinema's 10 MB written
    # back to disk would land in whichever run comes next.
    work = tempfile.mkdtemp(prefix="director-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    asciinema = subprocess.run([ASCIINEMA, "--version"], capture_output=True, text=True).stdout.strip()

    # B1
    port = free_port()
    b1_wall, b1_cast, alone = [], [], []
    for _ in range(runs):
        out = os.path.join(work, "tcp.cast")
        wall, _, _ = timed([DIRECTOR, "record", "--quiet", "--set", f"addr=127.0.0.1:{port}", out])
        b1_wall.append(wall)
        b1_cast.append(cast_duration(out))
        alone.append(programs_alone(port))

    # B2
    scene = os.path.join(work, "seq.toml")
    with open(scene, "w") as f:
        f.write('[terminal]\ncols = 100\nrows = 36\nstatus = false\n'
                '[[pane]]\nname = "seq"\nprompt = "$ "\n'
                '[[step]]\nrun = "seq 1 1000000"\n[[step]]\nwait.exit = true\ntimeout = "5m"\n')
    d_wall, d_rss, d_cpu, a_wall, a_cpu, b_wall = [], [], [], [], [], []
    d_out, a_out = os.path.join(work, "d.cast"), os.path.join(work, "a.cast")

    def run_director():
        wall, rss, cpu = timed([DIRECTOR, "record", "--quiet", scene, d_out], stdin=subprocess.DEVNULL)
        d_wall.append(wall)
        d_rss.append(rss)
        d_cpu.append(cpu)
        size = os.path.getsize(d_out)
        os.remove(d_out)
        return size

    def run_asciinema():
        wall, _, cpu = timed([ASCIINEMA, "rec", "--headless", "--window-size", "100x36", "-c", "seq 1 1000000", a_out],
                             stdin=subprocess.DEVNULL)
        a_wall.append(wall)
        a_cpu.append(cpu)
        size = os.path.getsize(a_out)
        os.remove(a_out)
        return size

    def run_bare():
        wall, _, _ = timed([BARE, "seq 1 1000000"], stdin=subprocess.DEVNULL)
        b_wall.append(wall)

    sizes = {}
    tools = [("director", run_director), ("asciinema", run_asciinema), ("bare", run_bare)]
    for i in range(runs):
        for name, run in tools[i % 3:] + tools[:i % 3]:
            sizes[name] = run()
    d_bytes, a_bytes = sizes["director"], sizes["asciinema"]
    shutil.rmtree(work)

    med = statistics.median
    low, high = ratio_interval(d_wall, a_wall)
    faster = sum(d < a for d, a in zip(d_wall, a_wall))
    rows = [
        ("B1", "director wall (s)", f"{med(b1_wall):.3f}", "", "", ""),
        ("B1", "cast duration (s)", f"{med(b1_cast):.3f}", "", f"{med(b1_wall) / med(b1_cast):.3f}", "wall <= 0.25 x cast"),
        ("B1", "programs alone (s)", f"{med(alone):.3f}", "", f"+{med(b1_wall) - med(alone):.3f} s", "wall <= alone + 0.3 s"),
        ("B2", "wall, seq 1 1000000 (s)", f"{med(d_wall):.3f}", f"{med(a_wall):.3f}", f"{med(d_wall) / med(a_wall):.2f} ({low:.2f}-{high:.2f})", "<= 1"),
        ("B2", "rounds director was faster", f"{faster} of {runs}", "", "", ""),
        ("B2", f"wall against a bare blocking reader's ({med(b_wall):.3f} s)",
         f"{med(d_wall) / med(b_wall):.2f} x", f"{med(a_wall) / med(b_wall):.2f} x", "", ""),
        ("B2", "CPU, recorder + seq (s)", f"{med(d_cpu):.3f}", f"{med(a_cpu):.3f}", f"{med(d_cpu) / med(a_cpu):.2f}", ""),
        ("B2", "cast bytes", f"{d_bytes}", f"{a_bytes}", f"{100 * d_bytes / a_bytes:.2f}%", "<= 5%"),
        ("B2", "director peak RSS (MiB)", f"{max(d_rss):.1f}", "", "", "<= 30"),
    ]
    print(f"\n{runs} runs each, taking turns, medians (a ratio's 95% interval); director {DIRECTOR}, {asciinema}")
    print(f"| bench | metric | director | asciinema rec | ratio | target |")
    print(f"|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
