"""Atomic file writing: a result or checkpoint is either the old file or the new one, never half."""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success move it over `path` in one step.

    Write the file to the yielded path with any library (np.savez, torch.save,
    cv2.imwrite, ...). If the block raises, the temporary file is removed and
    `path` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes files private (0600); use the usual mode
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def write_bytes_atomic(path, data: bytes):
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def write_text_atomic(path, text: str):
    write_bytes_atomic(path, text.encode("utf-8"))


# A folder (TensorFlow's checkpoint is one) cannot replace a folder in one rename: the old one
# is moved aside first, under this name, and `recover_folder` puts it back should the run be
# stopped between the two renames.
def _aside(path):
    return path.with_name(f".{path.name}.old")


@contextlib.contextmanager
def atomic_folder(path):
    """Yield a temporary folder beside `path`; on success it replaces `path` (old or new, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.new-*"):  # left by a run killed mid-write
        shutil.rmtree(stale, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new-"))
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    aside = _aside(path)
    shutil.rmtree(aside, ignore_errors=True)
    if path.exists():
        os.replace(path, aside)
    try:
        os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        recover_folder(path)  # the old folder goes back in place
        raise
    shutil.rmtree(aside, ignore_errors=True)


def recover_folder(path):
    """Put back a folder that atomic_folder had moved aside when the run stopped."""
    path = Path(path)
    if not path.exists() and _aside(path).is_dir():
        os.replace(_aside(path), path)


def between_markers(content, start, end, text):
    """`content` with what lies between the markers `start` and `end` replaced by `text` on lines of
    its own (the markers and everything around them stay), or None when a marker is missing: how
    the tools write their measured tables into README.md and docs/."""
    if start not in content or end not in content.split(start, 1)[1]:
        return None
    before, rest = content.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{text}\n{end}{after}"
