#!/usr/bin/env bash
# tools/gpu_check.py with the repository's .venv if there is one, else python3; arguments pass on.
root="$(cd "$(dirname "$0")/.." && pwd)"; python="$root/.venv/bin/python"; [ -x "$python" ] || python=python3; exec "$python" "$root/tools/gpu_check.py" "$@"
