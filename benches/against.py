"""B1 and B2 (see compare.py) for two director binaries, taking turns, each
first in every other round: medians and the ratio's 95% bootstrap interval.
Called by benches/against.sh: against.py BEFORE AFTER RUNS LABEL."""

import os
import statistics
import subprocess
import sys
import tempfile

from compare import cast_duration, free_port, ratio_interval, timed

SEQ_SCENE = ('[terminal]\ncols = 100\nrows = 36\nstatus = false\n[[pane]]\nname = "seq"\nprompt = "$ "\n'
             '[[step]]\nrun = "seq 1 1000000"\n[[step]]\nwait.exit = true\ntimeout = "5m"\n')


def main():
    before, after, runs, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    binaries = {label: os.path.abspath(before), "this tree": os.path.abspath(after)}
    work = tempfile.mkdtemp(prefix="director-against-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    scene = os.path.join(work, "seq.toml")
    with open(scene, "w") as f:
        f.write(SEQ_SCENE)
    results = {name: {"B1 wall (s)": [], "B1 cast (s)": [], "B2 wall (s)": [], "B2 CPU (s)": [], "B2 peak RSS (MiB)": []}
               for name in binaries}
    names = list(binaries)
    for i in range(runs):
        for name in names if i % 2 == 0 else names[::-1]:
            out = os.path.join(work, "tcp.cast")
            wall, _, _ = timed([binaries[name], "record", "--quiet", "--set", f"addr=127.0.0.1:{free_port()}", out])
            results[name]["B1 wall (s)"].append(wall)
            results[name]["B1 cast (s)"].append(cast_duration(out))
            out = os.path.join(work, "seq.cast")
            wall, rss, cpu = timed([binaries[name], "record", "--quiet", scene, out], stdin=subprocess.DEVNULL)
            results[name]["B2 wall (s)"].append(wall)
            results[name]["B2 CPU (s)"].append(cpu)
            results[name]["B2 peak RSS (MiB)"].append(rss)
            os.remove(out)
    med = statistics.median
    print(f"\n{runs} rounds, taking turns, medians; ratio = this tree / {label} (95% interval)")
    print(f"| metric | {label} | this tree | ratio |")
    print("|---|---|---|---|")
    for metric in results[label]:
        old, new = results[label][metric], results["this tree"][metric]
        low, high = ratio_interval(new, old)
        print(f"| {metric} | {med(old):.3f} | {med(new):.3f} | {med(new) / med(old):.3f} ({low:.3f}-{high:.3f}) |")


if __name__ == "__main__":
    main()
