#!/usr/bin/env bash
# Prints calm text filling its pane's width, a line at a time.
set -u
cols=$(tput cols)
for i in $(seq 1 40); do
  printf '%s\n' "$(printf 'calm line %02d ' "$i")$(printf 'abcdefghij%.0s' 1 2 3 4 5 6 7 8 | cut -c1-$((cols - 13)))"
  sleep 0.05
done
