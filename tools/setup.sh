#!/usr/bin/env bash
# Create .venv inside the checkout and install the pinned packages into it.
# Safe to run again: it reinstalls only when requirements.txt has changed.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)

if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
stamp=.venv/requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "installing the pinned packages (a few minutes the first time)"
  # Chainer 7.8.1 ships only as source and its setup.py imports pkg_resources, which
  # setuptools 81 removed: install an older setuptools first and build Chainer with it.
  "${pip[@]}" "setuptools==80.9.0" "wheel==0.48.0"
  "${pip[@]}" --no-build-isolation -r requirements.txt
  echo "$wanted" > "$stamp"
fi
