#!/usr/bin/env bash
# Install what is needed, then train and test one framework's four models on the built-in
# digits and compare the results with answers/.   bash tools/run.sh [pytorch|tensorflow|keras|chainer]
set -euo pipefail
cd "$(dirname "$0")/.."
framework=${1:-pytorch}
case "$framework" in pytorch|tensorflow|keras|chainer) ;; *)
  echo "error: unknown framework '$framework': use pytorch, tensorflow, keras or chainer" >&2; exit 2;;
esac
bash tools/setup.sh
export TF_CPP_MIN_LOG_LEVEL=2
for model in ae convae gan dcgan; do
  echo "== $framework/$model.py"
  case "$model" in gan|dcgan) extra=(--gif) ;; *) extra=() ;; esac  # the GANs show their progress
  .venv/bin/python "$framework/$model.py" --out results "${extra[@]}"
done
.venv/bin/python -m common.compare results --framework "$framework"
echo "Look at the PNGs in results/ next to those in answers/."
