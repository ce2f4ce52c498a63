"""Imported first by the TensorFlow and Keras scripts: TensorFlow without its start-up lines.

TensorFlow's C++ code writes a few lines at start-up (absl's "All log messages before
absl::InitializeLog() is called are written to STDERR", oneDNN's notice, "Could not find cuda
drivers", "failed call to cuInit") straight to the process's stderr, before it reads
TF_CPP_MIN_LOG_LEVEL, so no setting silences them. They are not the learner's business, and on a
machine without a GPU "E0000 ... failed call to cuInit" reads like a failure. This module imports
TensorFlow and starts its runtime with that file descriptor caught, then passes on every line that
is not one of those: a real error still shows.

With Keras on another backend (KERAS_BACKEND=torch or jax) it does nothing, and without
TensorFlow installed it does nothing either.

It also keeps this repository's folder tensorflow/ from passing for TensorFlow. The scripts put the
repository's root on sys.path, and where TensorFlow is not installed Python imports that folder
(it has no __init__.py) as an empty namespace package named tensorflow; Keras on the torch
backend then takes it for TensorFlow and fails far away (`module 'tensorflow' has no attribute
'TensorShape'`, when it saves). Here `import tensorflow` is made to fail as it would without the
folder, and a script that needs TensorFlow (a TensorFlow script, or Keras on the tensorflow
backend) stops with one line that says what to install or which backend to use instead.
"""

import importlib.util
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # Python-side and later C++ logging: warnings and up

START_UP_NOISE = (
    "All log messages before absl::InitializeLog() is called",
    "oneDNN custom operations are on",
    "Could not find cuda drivers on your machine",
    "failed call to cuInit",
    "Unable to register cuDNN factory",
    "Unable to register cuFFT factory",
    "Unable to register cuBLAS factory",
    "This TensorFlow binary is optimized to use available CPU instructions",
    "To enable the following instructions",
)


@contextmanager
def native_stderr_filtered(noise=START_UP_NOISE):
    """Catch what anything (C++ included) writes to file descriptor 2 inside the block; afterwards
    write every line that contains none of `noise` to stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            kept = [line for line in caught.read().decode(errors="replace").splitlines(keepends=True)
                    if not any(text in line for text in noise)]
            sys.stderr.write("".join(kept))
            sys.stderr.flush()


def keras_backend():
    """The backend Keras will take: $KERAS_BACKEND, else keras.json's, else tensorflow (Keras's own order)."""
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    try:
        with open(os.path.join(home, "keras.json")) as file:
            return json.load(file).get("backend", "tensorflow")
    except (OSError, ValueError, AttributeError):
        return "tensorflow"


def tensorflow_installed():
    """Whether `import tensorflow` gives TensorFlow, not a folder named tensorflow/ on sys.path."""
    module = sys.modules.get("tensorflow")
    if module is not None:
        return getattr(module, "__file__", None) is not None  # a namespace package has no file
    try:
        spec = importlib.util.find_spec("tensorflow")
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.origin not in (None, "namespace")


def _script():
    """The script run as a command, as <folder>/<file> (keras/dcgan.py), or None (python -c, pytest)."""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return f"{Path(path).resolve().parent.name}/{Path(path).name}" if path else None


def keep_out_stray_tensorflow():
    """Without TensorFlow installed: make `import tensorflow` fail (Keras then knows that it is
    absent), and stop a TensorFlow or Keras-on-TensorFlow script with one line."""
    if tensorflow_installed():
        return
    sys.modules["tensorflow"] = None  # `import tensorflow` raises ModuleNotFoundError from now on
    script = _script() or ""
    if script.startswith("tensorflow/"):
        message = ("TensorFlow is not installed (this repository's tensorflow/ folder holds the scripts, not "
                   "TensorFlow): install it with `pip install tensorflow==2.21.0` (requirements.txt)")
    elif script.startswith("keras/") and keras_backend() == "tensorflow":
        message = ("Keras's backend is TensorFlow (KERAS_BACKEND unset or tensorflow), which is not installed: "
                   "install it with `pip install tensorflow==2.21.0` (requirements.txt), or run Keras on PyTorch: "
                   f"KERAS_BACKEND=torch python {script}")
    else:
        return  # not a script that needs it (Keras on torch, a test or tool importing this module)
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _import_tensorflow():
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow" or "tensorflow" in sys.modules:
        return
    with native_stderr_filtered():
        try:
            import tensorflow as tf
        except ImportError:  # Keras on another backend, configured in ~/.keras/keras.json
            return
        tf.constant(0.0)  # starts the runtime now: its CUDA probe writes the last of those lines


keep_out_stray_tensorflow()
_import_tensorflow()
