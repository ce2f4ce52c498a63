#!/usr/bin/env bash
# Create a virtual environment inside the checkout and install the pinned packages into it.
#   bash tools/setup.sh                                  .venv, with the newest supported Python on the PATH
#   PYTHON=python3.12 bash tools/setup.sh                .venv, with that Python
#   PYTHON=python3.12 VENV=.venv-py3.12 bash tools/setup.sh   another folder (CI keeps one per Python)
# Safe to run again: it reinstalls only when requirements.txt has changed, and it rebuilds the
# environment, rather than installing into it, when it was made by another Python than the one
# asked for: packages built for one Python do not load in another.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pythons.sh
venv=${VENV:-.venv}

# Every refusal is this one line: what was wrong, which versions work, and a command to paste,
# naming a supported Python this machine really has where there is one.
fail() {
  local example
  example=$(all_supported_pythons | sed -n '1s/.* //p')  # sed, not head: reads on, so no SIGPIPE
  echo "error: $*; this project needs $SUPPORTED_TEXT: pass one as PYTHON=${example:-python3.12} bash tools/setup.sh" >&2
  exit 2
}

# The Python the environment has now: empty when there is none, or when its interpreter no
# longer runs (its base Python was removed or upgraded, or an earlier creation was cut short).
have=""
if [ -e "$venv/pyvenv.cfg" ]; then have=$(python_version "$venv/bin/python" || true); fi

if [ -n "${PYTHON:-}" ]; then
  python=$PYTHON
  wanted=$(python_version "$python") || fail "PYTHON=$python does not run"
  is_supported "$wanted" || fail "PYTHON=$python is Python $wanted"
elif [ -n "$have" ] && is_supported "$have"; then
  # Nothing was asked for and the environment works: keep it, whichever supported Python made it.
  python="" wanted=$have
else
  python=$(newest_python_on_path) || {
    found=$(python_version python3) && fail "python3 is Python $found and no python3.13, python3.12 or python3.11 runs"
    fail "no python3.13, python3.12, python3.11 or python3 runs"
  }
  wanted=$(python_version "$python")
fi

if [ "$have" != "$wanted" ]; then
  # Only ever delete what is recognisably a virtual environment: VENV is the user's to name.
  if [ -e "$venv/pyvenv.cfg" ]; then
    echo "rebuilding $venv: it was made by ${have:+Python }${have:-a Python that no longer runs}, not by Python $wanted"
    rm -rf "$venv"
  elif [ -n "$(ls -A "$venv" 2>/dev/null)" ]; then
    echo "error: $venv exists and is not a virtual environment: move it away, or name another folder as VENV=.venv-py$wanted" >&2
    exit 2
  fi
  echo "creating $venv with $("$python" --version)"
  "$python" -m venv "$venv"
fi

pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
stamp=$venv/requirements.sha256
wanted_stamp=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted_stamp" ]; then
  echo "installing the pinned packages into $venv (a few minutes the first time)"
  # Chainer 7.8.1 ships only as source and its setup.py imports pkg_resources, which
  # setuptools 81 removed: install an older setuptools first and build Chainer with it.
  "${pip[@]}" "setuptools==80.9.0" "wheel==0.48.0"
  "${pip[@]}" --no-build-isolation -r requirements.txt
  echo "$wanted_stamp" > "$stamp"
fi
