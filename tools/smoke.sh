#!/usr/bin/env bash
# A quick check that one Python works with this project, for when the whole suite is too long:
# install (PYTHON and VENV as for tools/setup.sh), then train and test each framework's AE and
# DCGAN for two iterations on tiny images. About a minute once installed. CI runs it on every
# supported Python other than the one the suite ran on.
#   PYTHON=python3.12 VENV=.venv-py3.12 bash tools/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
python=${VENV:-.venv}/bin/python
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export TF_CPP_MIN_LOG_LEVEL=2
echo "smoke test with $("$python" --version) in ${VENV:-.venv}"
for framework in pytorch tensorflow keras chainer; do
  for model in ae dcgan; do
    start=$SECONDS
    if ! "$python" "$framework/$model.py" --iters 2 --size 16 --batch-size 4 --out "$out" > "$out/log" 2>&1 ||
       ! grep -qE '"(psnr|swd)"' "$out/${model}_${framework}_metrics.json"; then
      # The quality figures are written by the test pass, after training: a run that exits 0
      # without them skipped its test, which is what a smoke test is for catching.
      cat "$out/log" >&2
      echo "error: $framework/$model.py failed on $("$python" --version) (output above)" >&2
      exit 1
    fi
    echo "  $framework/$model.py ok ($((SECONDS - start)) s)"
  done
done
