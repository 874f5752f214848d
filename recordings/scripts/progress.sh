#!/bin/bash
# A progress bar redrawn in place with a carriage return.
bar='########################################'
for ((i = 0; i <= 40; i++)); do
  printf '\rdownloading [%-40s] %3d%%' "${bar:0:i}" $((i * 100 / 40))
  sleep 0.05
done
printf '\n\033[32mdone\033[0m\n'
