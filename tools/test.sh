#!/usr/bin/env bash
# Install what is needed, then run the whole test suite. CI runs exactly this.
# PYTHON and VENV choose the interpreter and the environment folder, as for tools/setup.sh.
# The tests run in one worker process per CPU core, at most four (pytest-xdist): most of a
# test's time is a fresh Python importing a framework, which two cores do side by side (on two
# cores the suite took 508 s this way and 930 s one test at a time). At most four, because each
# worker holds frameworks in memory (the largest process of a run here peaked at 6.4 GB).
# `-n 0` after the command runs one test at a time, in this process, for a debugger.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export TF_CPP_MIN_LOG_LEVEL=2
exec "${VENV:-.venv}/bin/python" -m pytest -q --numprocesses auto --maxprocesses 4 "$@"
