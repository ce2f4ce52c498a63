"""The checkpoint of a run: the framework's own file (model and optimizer state, written by
the script's save_checkpoint) and, beside it, a JSON state saying how far training got.

The two are written one after the other, so a run stopped between the writes would leave the
weights of iteration N beside the state of an earlier save. The JSON therefore carries the
checkpoint's SHA-256, and `load` refuses a pair that does not match instead of resuming with
the wrong iteration count, losses and data order.
"""

import errno
import hashlib
import json
from pathlib import Path

from common.errors import UserError
from common.language import say
from common.files import recover_folder, write_text_atomic


def state_path(checkpoint):
    return Path(checkpoint).with_suffix(".json")  # out/<model>_<framework>_checkpoint.json


def save(script, checkpoint, model, optimizer, iteration, losses, size, channels):
    """Write the checkpoint, then the state that names it."""
    try:
        script.save_checkpoint(checkpoint, model, optimizer)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        raise UserError(say("disk_full", checkpoint=checkpoint)) from None
    state = {"model": script.MODEL, "framework": script.FRAMEWORK, "iteration": iteration,
             "size": size, "channels": channels, "losses": losses,
             "checkpoint_sha256": fingerprint(checkpoint)}
    write_state(checkpoint, state)


def write_state(checkpoint, state):
    write_text_atomic(state_path(checkpoint), json.dumps(state))


def load(script, checkpoint, model, optimizer, size, channels):
    """Restore the checkpoint into model (and optimizer unless None); return (iteration, losses)."""
    checkpoint = Path(checkpoint)
    recover_folder(checkpoint)  # a folder checkpoint whose replacement was interrupted
    iteration, losses = read_state(checkpoint, size, channels)
    script.load_checkpoint(checkpoint, model, optimizer)
    return iteration, losses


def read_state(checkpoint, size, channels, check_size=True):
    """(iteration, losses) of the checkpoint, or a clear UserError."""
    path, out = state_path(checkpoint), checkpoint.parent
    if not path.is_file() or not checkpoint.exists():
        raise UserError(say("no_checkpoint", checkpoint=checkpoint, out=out))
    try:
        state = json.loads(path.read_text())
    except ValueError:
        raise UserError(say("checkpoint_state_damaged", path=path)) from None
    if check_size and (state["size"], state["channels"]) != (size, channels):
        raise UserError(say("checkpoint_other_size", out=out, size=state["size"], channels=state["channels"]))
    # A state written before checksums were recorded has none: it is trusted as before.
    if state.get("checkpoint_sha256", fingerprint(checkpoint)) != fingerprint(checkpoint):
        raise UserError(say("checkpoint_mismatch", checkpoint=checkpoint, path=path))
    return state["iteration"], state["losses"]


def fingerprint(checkpoint):
    """SHA-256 of a checkpoint file, or of every file in a checkpoint folder (TensorFlow's)."""
    digest = hashlib.sha256()
    path = Path(checkpoint)
    files = sorted(item for item in path.rglob("*") if item.is_file()) if path.is_dir() else [path]
    for item in files:
        digest.update(str(item.relative_to(path)).encode() if path.is_dir() else b"")
        with open(item, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
