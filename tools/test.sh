#!/usr/bin/env bash
# Install what is needed, then run the whole test suite. CI runs exactly this.
# PYTHON and VENV choose the interpreter and the environment folder, as for tools/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export TF_CPP_MIN_LOG_LEVEL=2
exec "${VENV:-.venv}/bin/python" -m pytest -q "$@"
