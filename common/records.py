"""The numbers a run leaves, the same in all sixteen scripts: the metrics file (its JSON) and the
training log, which records each iteration's losses and shows the progress bar (pictures.py
draws the pictures). The JSON is written through `write_text_atomic`, so a crash never leaves
half a file behind.
"""

import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from common.errors import UserError
from common.files import write_text_atomic

# --- Metrics file -----------------------------------------------------------------------------

def _plain(value):
    """Turn NumPy scalars/arrays (and tuples, Paths) into what `json` can write.

    NaN and infinity are not valid JSON, so they become null.
    """
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _load_json_object(path):
    """The JSON object in `path`; raises OSError/ValueError if it is missing or not an object."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def write_metrics(path, updates):
    """Merge `updates` into the JSON file at `path` (created if missing) and write it atomically.

    Keys already in the file stay unless `updates` replaces them, so training and testing can
    each add their part. A file that cannot be read is replaced rather than failing the run.
    """
    try:
        metrics = _load_json_object(path)
    except (OSError, ValueError):
        metrics = {}
    metrics.update(_plain(updates))
    write_text_atomic(path, json.dumps(metrics, indent=2, allow_nan=False) + "\n")


def read_metrics(path):
    """The metrics JSON at `path` as a dict; {} if the file does not exist."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return _load_json_object(path)
    except (OSError, ValueError) as error:
        raise UserError(f"cannot read {path} ({error}): delete it or run the script again") from None


# --- Progress bar -----------------------------------------------------------------------------

class TrainingLog:
    """A progress bar for the training loop that also keeps the loss history and timing.

        log = TrainingLog(args.iters, start_iteration, losses=checkpoint_losses, description="dcgan")
        for iteration in log.iterations():
            ...one training step...
            log.record(d_loss=d_loss, g_loss=g_loss)
        log.close()

    `losses` from a resumed checkpoint are continued, so the loss curve covers the whole run.
    """

    def __init__(self, total_iterations, start_iteration=0, losses=None, description=""):
        self.total_iterations = total_iterations
        self.start_iteration = min(start_iteration, total_iterations)
        self.losses = {name: [float(value) for value in values] for name, values in (losses or {}).items()}
        self._durations = []  # seconds per recorded iteration, this session only
        self._mark = time.perf_counter()
        self._bar = tqdm(
            total=total_iterations,
            initial=self.start_iteration,
            desc=description,
            unit="it",
            file=sys.stderr,
            dynamic_ncols=True,
            mininterval=0.5,
            disable=False,
        )

    def iterations(self):
        """Yield the iteration numbers start_iteration .. total_iterations - 1."""
        self._mark = time.perf_counter()
        for iteration in range(self.start_iteration, self.total_iterations):
            # Timed from one record() to the next: the whole loop (batch, step, bar, checks,
            # and any checkpoint or sample grid written), what an iteration really costs.
            yield iteration
            self._bar.update(1)

    def record(self, **losses):
        """Store this iteration's losses and show them in the bar."""
        now = time.perf_counter()
        self._durations.append(now - self._mark)
        self._mark = now
        for name, value in losses.items():
            self.losses.setdefault(name, []).append(float(value))
        self._bar.set_postfix({name: f"{float(value):.4g}" for name, value in losses.items()}, refresh=False)

    @property
    def seconds_per_iteration(self):
        """Mean wall time of the recorded iterations; the first is left out (warm-up, compilation)."""
        durations = self._durations[1:] if len(self._durations) > 1 else self._durations
        return float(np.mean(durations)) if durations else 0.0

    def close(self):
        self._bar.close()
