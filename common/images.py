"""Reading images from disk into float32 arrays in [-1, 1], the same way for every script.

Every image becomes RGB (or gray with channels=1), SIZE x SIZE, channels last.
8-bit files are scaled as x / 127.5 - 1; 16-bit files by their own range.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from common.errors import UserError

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})


@dataclass
class ImageSet:
    """A folder's images, in sorted path order, with the file names they came from."""

    images: np.ndarray  # float32, (N, size, size, channels), values in [-1, 1]
    stems: list  # file names without extension, e.g. "akahara_0009"
    paths: list  # the files themselves, as Path objects


def is_image_file(path):
    return Path(path).suffix.lower() in IMAGE_EXTENSIONS


def read_image(path, size, channels):
    """Read one image file as float32 (size, size, channels) in [-1, 1], RGB order."""
    return convert(decode(path), size, channels, path)


def convert(image, size, channels, source):
    """Pixels as OpenCV decodes them (gray, BGR or BGRA) -> float32 (size, size, channels) in [-1, 1], RGB
    order; `source` names them in errors. common/datasets.py uses it on pixels it never wrote to a file."""
    image = to_unit_range(image, source)  # float32 first, so 16-bit precision survives
    image = to_channels(image, channels)
    image = resize(image, size)
    return image.reshape(size, size, channels)


def decode(path):
    """Decode with OpenCV; np.fromfile + imdecode also works for non-ASCII paths on Windows."""
    damaged = UserError(f"cannot read image {path}: the file is damaged or not an image; delete or replace it")
    try:
        data = np.fromfile(path, np.uint8)
        # UNCHANGED keeps alpha and 16-bit depth; palette PNGs come back already expanded to BGR.
        # It also ignores the EXIF orientation of JPEGs, so a photo is read as stored.
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED | cv2.IMREAD_ANYDEPTH)
    except (OSError, cv2.error):
        raise damaged from None
    if image is None or image.size == 0:
        raise damaged
    return image


def to_channels(image, channels):
    """Turn gray / BGR / BGRA into RGB (channels=3) or gray (channels=1)."""
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]  # drop alpha: transparent pixels keep whatever colour they store
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    is_gray = image.ndim == 2
    if channels == 1:
        return image if is_gray else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB if is_gray else cv2.COLOR_BGR2RGB)


def to_unit_range(image, path):
    """Scale integer pixels by their type's full range to [-1, 1], as float32."""
    if image.dtype == np.uint8:
        return image.astype(np.float32) / 127.5 - 1
    if image.dtype == np.uint16:
        return image.astype(np.float32) / 65535 * 2 - 1
    if image.dtype in (np.float32, np.float64):
        # Floating-point TIFFs are taken to hold values in [0, 1].
        return np.clip(image.astype(np.float32), 0, 1) * 2 - 1
    raise UserError(f"cannot read image {path}: pixels of type {image.dtype} are not supported; save it as 8- or 16-bit")


def resize(image, size):
    """INTER_AREA averages pixels when shrinking (no aliasing); INTER_LINEAR when enlarging."""
    height, width = image.shape[:2]
    if (height, width) == (size, size):
        return image
    shrinking = height * width > size * size
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    return cv2.resize(image, (size, size), interpolation=interpolation)


def find_images(folder):
    """All image files under `folder` (flat, or one sub-folder per class), in sorted order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"image folder {folder} does not exist; check --data / --test-data, or choose another --dataset")
    found = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).parts):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue  # hidden files such as .DS_Store, and folders themselves
        if is_image_file(path):
            found.append(path)
        else:
            print(f"warning: skipping {path}: not an image", file=sys.stderr)
    if not found:
        extensions = " ".join(sorted(extension[1:] for extension in IMAGE_EXTENSIONS))
        raise UserError(f"no images ({extensions}) in {folder}; check --data / --test-data, or choose another --dataset")
    return found


def load_folder(folder, size, channels):
    """Read every image under `folder` into one ImageSet, in sorted path order."""
    paths = find_images(folder)
    images = np.empty((len(paths), size, size, channels), np.float32)
    for index, path in enumerate(paths):
        images[index] = read_image(path, size, channels)
    return ImageSet(images=images, stems=[path.stem for path in paths], paths=paths)
