#!/usr/bin/env bash
# B4: pictures of a cast. `director render` into an animated SVG and an
# animated GIF against svg-term-cli 2.1.1 and termtosvg 1.1.0 (SVG only),
# on recordings/tcp.cast and on a pane printing `seq 1 1000000` (B2's
# scene, recorded by director into target/bench-pictures/seq.cast). Prints
# the output's size, the median wall time and the peak RSS of each, with
# the goals beside director's rows; a tool that fails gets an error row.
# Installs the peers under target/ when missing: svg-term-cli with npm into
# target/bench-npm, termtosvg with pip into the venv target/bench-venv.
# Usage: benches/pictures.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# What went wrong, in one line, for the table.
last_line() { { grep -v '^\s*$' "$log" || true; } | tail -n 1 | cut -c1-120; }

# A build that fails (the lead's work in progress) gives error rows too.
export DIRECTOR_ERROR=
if ! cargo build --release --quiet --bin director 2>"$log"; then
  cat "$log" >&2
  DIRECTOR_ERROR="cargo build --release failed: $({ grep -m1 '^error' "$log" || true; } | cut -c1-100)"
fi

export SVG_TERM=$PWD/target/bench-npm/node_modules/.bin/svg-term SVG_TERM_ERROR=
if [ "$("$SVG_TERM" --version 2>/dev/null)" != 2.1.1 ]; then
  if ! command -v npm >/dev/null; then
    SVG_TERM_ERROR="npm not found: cannot install svg-term-cli"
  else
    echo "== npm install svg-term-cli@2.1.1 into target/bench-npm"
    npm install --prefix target/bench-npm --no-audit --no-fund --silent svg-term-cli@2.1.1 >"$log" 2>&1 ||
      SVG_TERM_ERROR="npm install svg-term-cli@2.1.1 failed: $(last_line)"
  fi
fi

venv=target/bench-venv
export TERMTOSVG=$PWD/$venv/bin/termtosvg TERMTOSVG_ERROR=
installed() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("termtosvg"))' 2>/dev/null; }
if [ "$(installed)" != 1.1.0 ]; then
  echo "== pip install termtosvg==1.1.0 into $venv ($(python3 --version))"
  if ! { [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"; } >"$log" 2>&1; then
    TERMTOSVG_ERROR="python3 -m venv failed: $(last_line)"
  elif ! "$venv/bin/pip" install --quiet --disable-pip-version-check termtosvg==1.1.0 >"$log" 2>&1; then
    TERMTOSVG_ERROR="pip install termtosvg==1.1.0 failed on $(python3 --version): $(last_line)"
  fi
fi

python3 benches/pictures.py "$runs"
