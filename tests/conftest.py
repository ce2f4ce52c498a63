"""Shared test helpers: load a script as a module, run one end to end, small settings."""

import contextlib
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The tests read the English messages whatever the machine's locale (tests/test_messages.py
# chooses Japanese itself, by LANG or --lang, in the processes it starts).
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"
sys.path.insert(0, str(REPO))

from common.cli import FRAMEWORKS, MODELS  # noqa: E402,F401  (the one list of each, for every test file)
from common.scripts import load_script  # noqa: E402,F401  (the tests import scripts as the tools do)

# Tiny settings that keep every end-to-end run to seconds on two CPU cores.
TINY = ["--size", "16", "--channels", "1", "--iters", "3", "--batch-size", "4", "--save-every", "2"]


def assert_same_image(found, expected, levels=1):
    """Two PNGs hold the same picture to `levels` of 255. Not byte for byte: two processes may
    differ in the last bit of a float32 output (thread counts, summation order), and a value
    that sits on a rounding boundary then lands one 8-bit level away."""
    import cv2
    import numpy as np
    read = [cv2.imread(str(path), cv2.IMREAD_UNCHANGED) for path in (found, expected)]
    assert read[0] is not None and read[1] is not None and read[0].shape == read[1].shape, (found, expected)
    largest = int(np.abs(read[0].astype(np.int16) - read[1]).max())
    assert largest <= levels, f"{found} and {expected} differ by {largest} levels"


@contextlib.contextmanager
def http_server(handler):
    """Serve with `handler` on a free local port (the tests that download reach nothing else);
    yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_script(framework, model, *flags, cwd=None, env=None, timeout=600):
    """Run a script the way a user does, in a fresh process; return the CompletedProcess."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.run([PYTHON, str(REPO / framework / f"{model}.py"), *map(str, flags)],
                          cwd=cwd or REPO, env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def digits():
    """Make sure the built-in data set exists once, before scripts race to create it."""
    from common.data.digits import ensure_digits
    return ensure_digits()
