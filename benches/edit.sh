#!/usr/bin/env bash
# Measures `director edit` on a large hand recording against the goal of the
# issue: a 50 MB cast edited as a stream in bounded memory (peak RSS <= 64
# MiB) at >= 50 MB/s for scrub, trim and retime.
# The cast (~50 MB asciicast v2, 100x36, seeded: the same bytes every time)
# is written once by benches/edit.py under target/bench-edit/ and written
# again when edit.py changes: a bash session of several hours as `asciinema
# rec` would have kept it, `alice@pc42:~/src$ ` prompts after OSC 0 titles,
# commands typed a character per event, ls/cargo/log/grep/cat/git output
# line by line or in 4 KiB chunks, full-screen top redraws.
# Each operation runs RUNS times under /usr/bin/time (wall, peak RSS):
# retime (--idle-time-limit 1s --speed 1.5), trim (--from 5s, a cut from
# 40% to 50% of the cast, --to at 95%), --scrub, --user alice --host pc42,
# and all of them at once. Every output must pass `director check`, and
# after a scrub hold no `alice` and no `pc42`. For scale: `cat` (the floor)
# and `director check` (a full parse) on the same cast.
# MB/s is the input's size (10^6 bytes) over the median wall time.
# An operation that fails (director edit refusing, a check failing, a name
# left after a scrub) shows in the table with its error and no timing.
# Usage: benches/edit.sh [RUNS]   (default 3)
#        PERF=1 benches/edit.sh   also `perf record -g` the slowest operation
#                                 that succeeded, once, and print its top 10
#                                 symbols (`perf report --no-children`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet --bin director
dir=target/bench-edit
cast=$dir/hand.cast
mkdir -p "$dir"
if [[ ! -s $cast || benches/edit.py -nt $cast ]]; then
  echo "== writing $cast (once)"
  python3 benches/edit.py gen "$cast"
fi
rm -f "$dir/slowest"
python3 benches/edit.py run target/release/director "$cast" "$runs"
if [[ ${PERF:-0} == 1 && -s $dir/slowest ]]; then
  mapfile -t args <"$dir/slowest"
  echo
  echo "== perf record -g: director edit ${args[*]}"
  perf record -q -g -o "$dir/perf.data" -- \
    target/release/director edit -q "$cast" "$dir/out.cast" "${args[@]}" 2>/dev/null
  perf report -i "$dir/perf.data" --no-children --stdio 2>/dev/null |
    grep -E '^ +[0-9.]+%' | head -10
fi
