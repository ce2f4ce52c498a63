"""Atomic file writing: a result or checkpoint is either the old file or the new one, never half."""

import contextlib
import os
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
