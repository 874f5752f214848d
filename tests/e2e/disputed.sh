#!/usr/bin/env bash
# Prints, a line at a time, characters whose width terminals dispute, each
# line ending on them and some filling the pane's last columns.
set -u
lines=(
  $'family \U1F468\u200d\U1F469\u200d\U1F467 coder \U1F468\u200d\U1F4BB end'
  $'flag \U1F3F3\ufe0f\u200d\U1F308 pair \U1F1FA\U1F1F8 tone \U1F44D\U1F3FD'
  $'new \U1FAE8 \U1FA77 soft\u00adhyphen\u00ad zero\u200bwidth\u2060joiner'
  $'unassigned \u0378 \U000F0000 private \ue0b0 keycap 1\ufe0f\u20e3'
  $'ambiguous \u00b1\u00a7 accent e\u0301 tags \U1F3F4\U000E0067\U000E0062\U000E007F'
  $'\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad'
  $'0123456789012345678901234567890123456789012345\U1F468\u200d\U1F4BB'
  $'01234567890123456789012345678901234567890123456\U1FAE8'
  $'012345678901234567890123456789012345678901234567\u0378'
  $'0123456789012345678901234567890123456789012345678\U1F1FA\U1F1F8'
)
for i in 1 2 3; do
  for line in "${lines[@]}"; do
    printf '%s\n' "$line"
    sleep 0.1
  done
done
