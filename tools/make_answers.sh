#!/usr/bin/env bash
# Remake answers/: full runs at the default settings on the built-in digits, every script
# given (default: all sixteen). Checkpoints stay out of answers/ (they are large); images,
# loss plots, metrics and the GANs' progress GIFs go in (the GIF holds the progress frames,
# so their PNGs stay out).      bash tools/make_answers.sh [framework/model ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export TF_CPP_MIN_LOG_LEVEL=2
scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
  for framework in pytorch tensorflow keras chainer; do
    for model in ae convae gan dcgan; do scripts+=("$framework/$model"); done
  done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p answers
for script in "${scripts[@]}"; do
  echo "== $script.py"
  case "$script" in */gan|*/dcgan) extra=(--gif) ;; *) extra=() ;; esac
  .venv/bin/python "$script.py" --out "$work/$script" "${extra[@]}"
  find "$work/$script" -maxdepth 1 -type f \( -name '*.png' -o -name '*.gif' -o -name '*_metrics.json' \) \
    ! -name '*_samples_[0-9]*.png' -exec cp {} answers/ \;
done
