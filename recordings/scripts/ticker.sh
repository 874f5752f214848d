#!/bin/sh
# Prints a line every fifth of a second until interrupted (Ctrl-C).
n=1
while :; do
  echo "tick $n"
  n=$((n + 1))
  sleep 0.2
done
