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
"""

import os
import sys
import tempfile
from contextlib import contextmanager

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


def _import_tensorflow():
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow" or "tensorflow" in sys.modules:
        return
    with native_stderr_filtered():
        try:
            import tensorflow as tf
        except ImportError:  # Keras on another backend, configured in ~/.keras/keras.json
            return
        tf.constant(0.0)  # starts the runtime now: its CUDA probe writes the last of those lines


_import_tensorflow()
