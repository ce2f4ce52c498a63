"""The built-in offline dataset: scikit-learn's bundled handwritten digits, written as PNG files.

1,797 gray 8x8 images of the digits 0-9 become
    Dataset/digits/train/images/<class>/digit<class>_<index>.png   (1,777 files)
    Dataset/digits/test/images/<class>/digit<class>_<index>.png    (20 files)
so they are read exactly like any other image folder. The split is fixed: the
first two images of each class (in load_digits order) are the test set.
"""

import os
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np

from common.errors import UserError
from common.language import say
from common.files import write_bytes_atomic
from common.paths import DATASET_ROOT

TEST_PER_CLASS = 2


def ensure_digits(root=DATASET_ROOT / "digits"):
    """Create the digits dataset under `root` unless it is already there; return `root`."""
    root = Path(root)
    if is_complete(root):
        return root
    print(say("creating_digits", root=root), file=sys.stderr)
    root.parent.mkdir(parents=True, exist_ok=True)
    # Build everything in a hidden folder beside `root`, then rename it into place in
    # one step: an interrupted run never leaves a half dataset behind.
    building = root.parent / f".{root.name}-creating-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()  # plain mkdir, not mkdtemp: the folder gets the usual permissions
    try:
        write_digits(building)
        move_into_place(building, root)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return root


def is_complete(root):
    return (root / "train" / "images").is_dir() and (root / "test" / "images").is_dir()


def write_digits(folder):
    from sklearn.datasets import load_digits  # imported here: slow, and only needed once

    digits = load_digits()
    pixels = np.rint(digits.images * 255 / 16).astype(np.uint8)  # values 0..16 -> 0..255
    seen_per_class = {}
    for index, (image, label) in enumerate(zip(pixels, digits.target)):
        label = int(label)
        seen_per_class[label] = seen_per_class.get(label, 0) + 1
        split = "test" if seen_per_class[label] <= TEST_PER_CLASS else "train"
        path = folder / split / "images" / str(label) / f"digit{label}_{index:04d}.png"
        write_bytes_atomic(path, encode_png(image))


def encode_png(image):
    ok, encoded = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("OpenCV could not encode a PNG")
    return encoded.tobytes()


def move_into_place(building, root):
    if root.exists() and not any(root.iterdir()):
        root.rmdir()  # an empty folder left by hand is fine to replace
    try:
        os.rename(building, root)
    except OSError:
        if is_complete(root):
            return  # another process finished first: use its copy
        raise UserError(say("digits_incomplete", root=root)) from None
