"""Reading images from disk into float32 arrays in [-1, 1], the same way for every script.

Every image becomes RGB (or gray with channels=1), SIZE x SIZE, channels last.
8-bit files are scaled as x / 127.5 - 1; 16-bit files by their own range.
"""

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from common.errors import UserError
from common.language import say

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
    return convert(decode(path, size), size, channels, path)


def convert(image, size, channels, source):
    """Pixels as OpenCV decodes them (gray, BGR or BGRA) -> float32 (size, size, channels) in [-1, 1], RGB
    order; `source` names them in errors. common/data/datasets.py uses it on pixels it never wrote to a file."""
    image = to_unit_range(image, source)  # float32 first, so 16-bit precision survives
    image = to_channels(image, channels)
    image = resize(image, size)
    return image.reshape(size, size, channels)


# A photo far larger than --size is not decoded whole. A JPEG is decoded at 1/2, 1/4 or 1/8 of
# its size by libjpeg itself (measured: a 12000 x 12000 gray JPEG took 144 MB decoded whole and
# under 3 MB at 1/8). Other formats cannot be decoded in part, so above LARGEST_DECODE bytes
# decoded they are refused with a clear message instead of filling the memory.
LARGE_PIXELS = 4096 * 4096  # from here on a JPEG is decoded at reduced resolution
LARGEST_DECODE = 512 * 2**20  # bytes a whole decode may take (a 13000 x 13000 RGB image)
REDUCED = {2: (cv2.IMREAD_REDUCED_COLOR_2, cv2.IMREAD_REDUCED_GRAYSCALE_2),
           4: (cv2.IMREAD_REDUCED_COLOR_4, cv2.IMREAD_REDUCED_GRAYSCALE_4),
           8: (cv2.IMREAD_REDUCED_COLOR_8, cv2.IMREAD_REDUCED_GRAYSCALE_8)}


def header(path):
    """(width, height, channels, format) from the file's header, without decoding its pixels; None if
    Pillow cannot tell (OpenCV then decides whether the file is readable)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we decide below, by our own limit
            Image.MAX_IMAGE_PIXELS, limit = None, Image.MAX_IMAGE_PIXELS
            try:
                with Image.open(path) as image:  # reads the header only
                    return image.width, image.height, len(image.getbands()), image.format
            finally:
                Image.MAX_IMAGE_PIXELS = limit
    except Exception:  # any unreadable header: OpenCV's decode below gives the clear error
        return None


def reduction(width, height, size):
    """The largest JPEG reduction (8, 4, 2) that still leaves at least `size` pixels a side, or 1."""
    for factor in (8, 4, 2):
        if min(width, height) // factor >= size:
            return factor
    return 1


def decode(path, size=None):
    """Decode with OpenCV; np.fromfile + imdecode also works for non-ASCII paths on Windows. With
    `size`, a very large image is decoded at reduced resolution where its format allows it."""
    damaged = UserError(say("image_damaged", path=path))
    # UNCHANGED keeps alpha and 16-bit depth; palette PNGs come back already expanded to BGR.
    # It also ignores the EXIF orientation of JPEGs, so a photo is read as stored.
    flags = cv2.IMREAD_UNCHANGED | cv2.IMREAD_ANYDEPTH
    found = header(path)
    if found is not None and found[0] * found[1] > LARGE_PIXELS:
        width, height, bands, kind = found
        factor = reduction(width, height, size or 0)
        if kind == "JPEG" and factor > 1:
            flags = REDUCED[factor][1 if bands == 1 else 0]
        elif width * height * bands * 2 > LARGEST_DECODE:  # 2 bytes a value: 16-bit files
            raise UserError(say("image_too_large", path=path, width=width, height=height,
                                gigabytes=width * height * bands * 2 / 2**30))
    try:
        data = np.fromfile(path, np.uint8)
        image = cv2.imdecode(data, flags)
        del data
    except (OSError, cv2.error):
        raise damaged from None
    if image is None or image.size == 0:
        raise damaged
    if size and image.shape[0] * image.shape[1] > LARGE_PIXELS:
        # Shrink while the pixels are still 8 or 16 bits: their float32 copy would be 2 to 4 times larger.
        image = cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)
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
    raise UserError(say("image_pixel_type", path=path, dtype=image.dtype))


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
        raise UserError(say("no_image_folder", folder=folder))
    found = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).parts):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue  # hidden files such as .DS_Store, and folders themselves
        if is_image_file(path):
            found.append(path)
        else:
            print(say("not_an_image", path=path), file=sys.stderr)
    if not found:
        extensions = " ".join(sorted(extension[1:] for extension in IMAGE_EXTENSIONS))
        raise UserError(say("no_images", extensions=extensions, folder=folder))
    return found


def load_folder(folder, size, channels):
    """Read every image under `folder` into one ImageSet, in sorted path order."""
    paths = find_images(folder)
    images = np.empty((len(paths), size, size, channels), np.float32)
    for index, path in enumerate(paths):
        images[index] = read_image(path, size, channels)
    return ImageSet(images=images, stems=[path.stem for path in paths], paths=paths)
