"""MNIST, Fashion-MNIST and CIFAR-10: downloaded on first use into Dataset/<name>/, checked twice.

    python -m common.data mnist|fashion-mnist|cifar10 [--base-url URL] [--dest DIR]

A script run with --dataset mnist (or fashion-mnist, cifar10) does the same on first use.
common/data/datasets_manifest.json lists every file with its official checksums. Each file is

1. streamed into a temporary file beside its place (with a progress bar on a terminal),
2. checked as a file: its size, its MD5 (torchvision's list) and, where Keras lists one, its SHA-256,
3. decoded and checked again: the MD5 of the decompressed IDX file (MNIST, Fashion-MNIST) or
   of each pickle inside the tarball (CIFAR-10), then the shapes, the counts and the labels,
4. and only then renamed into Dataset/<name>/raw/.

A file that fails a check is deleted and named in the error, and the next run tries again;
files already in raw/ with the right checksum are not downloaded again. Nothing is unpickled
before its MD5 has matched, and then only by an unpickler that can build NumPy arrays and
nothing else. Files come from BASE_URL/<file name>: the manifest's official locations, tried
in order, or one mirror given with --base-url or the environment variable MNIST_BASE_URL,
FASHION_MNIST_BASE_URL or CIFAR10_BASE_URL.

From the checked files the usual layout is written, like the built-in digits:

    Dataset/<name>/train/images/<class>/<stem>.png   every training image (60,000; CIFAR-10: 50,000)
    Dataset/<name>/test/images/<class>/<stem>.png    the first 2 test images of each class, in the
                                                     official test file's order: 20 images

<stem> is the class and the image's position in its official file (mnist7_00000, ankle_boot_00000,
cat_00000), so that an AE's 20 reconstructions stay a handful of PNGs with telling names. The
layout is built in a hidden folder and renamed into place, test/ first and train/ last, so a
data set with train/images is complete. `--data Dataset/<name>/train/images` reads those PNGs;
a run with `--dataset <name>` reads the same pixels straight from the checked files in raw/
(load_split): 1.5 s for MNIST's 60,000 training images, where their PNG files take 5 s.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import pickle
import shutil
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path

import cv2
import numpy as np

from common import language
from common.data.download import CHUNK, CheckFailed, fetch
from common.data.images import ImageSet, convert
from common.errors import UserError, run_main
from common.files import atomic_path
from common.language import add_language_flag, say
from common.paths import DATASET_ROOT

MANIFEST = Path(__file__).resolve().parent / "datasets_manifest.json"
NAMES = ("mnist", "fashion-mnist", "cifar10")
TEST_PER_CLASS = 2  # the fixed test split: the first 2 images of each class in the official test file
STALE_S = 600  # a temporary download file untouched this long was left by a run that was killed


# --- the manifest -----------------------------------------------------------------------------


def load_manifest():
    return json.loads(Path(MANIFEST).read_text(encoding="utf-8"))["datasets"]


def data_set_of(name):
    manifest = load_manifest()
    if name not in manifest:
        raise UserError(say("datasets_unknown", name=name, manifest=MANIFEST, names=", ".join(manifest)))
    return manifest[name]


def environment_variable(name):
    """MNIST_BASE_URL, FASHION_MNIST_BASE_URL, CIFAR10_BASE_URL."""
    return f"{name.upper().replace('-', '_')}_BASE_URL"


def base_urls(name, data_set, base_url=None):
    """--base-url, else the environment variable, else the official locations (tried in order)."""
    chosen = base_url or os.environ.get(environment_variable(name))
    return [chosen] if chosen else list(data_set["base_urls"])


# --- making sure a data set is there ------------------------------------------------------------


def is_complete(root):
    return (root / "train" / "images").is_dir() and (root / "test" / "images").is_dir()


def ensure_dataset(name, root=None, base_url=None):
    """Download, check and lay out data set `name` under `root` (Dataset/<name>) unless it is there; return root."""
    root = Path(root) if root is not None else DATASET_ROOT / name
    if is_complete(root):
        return root
    data_set = data_set_of(name)
    raw = root / "raw"
    check_writable(name, raw)
    remove_leftovers(root)
    urls = base_urls(name, data_set, base_url)
    for file_name, entry in data_set["files"].items():
        if not is_present(raw / file_name, entry):
            download(name, data_set, file_name, entry, urls, raw)
    write_layout(name, data_set, root)
    return root


def check_writable(name, folder):
    """A read-only Dataset/ is one clear error before any download, not a traceback after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UserError(say("datasets_not_writable", folder=folder, reason=error.strerror or error, name=name)) from None


def remove_leftovers(root):
    """Temporary files and layout folders that a killed run left behind (a running one's are kept)."""
    now = time.time()
    for stale in (root / "raw").glob(".*"):
        if stale.is_file() and now - stale.stat().st_mtime > STALE_S:
            stale.unlink(missing_ok=True)
    for building in root.glob(".layout-*"):
        pid = building.name.rsplit("-", 1)[-1]
        if not (pid.isdigit() and is_running(int(pid))):
            shutil.rmtree(building, ignore_errors=True)


def is_running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def is_present(path, entry):
    """A file already downloaded and checked (its size and checksums; its content is checked on reading)."""
    if not path.is_file() or path.stat().st_size != entry["bytes"]:
        return False
    digests = file_digests(path)
    return all(digests[kind] == entry[kind] for kind in ("md5", "sha256") if kind in entry)


def file_digests(path):
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            md5.update(block)
            sha256.update(block)
    return {"md5": md5.hexdigest(), "sha256": sha256.hexdigest()}


# --- downloading ----------------------------------------------------------------------------------


def download(name, data_set, file_name, entry, urls, raw):
    """Fetch `file_name` from the first URL that gives the right file; else one UserError naming it."""
    failures = []
    for base in urls:
        url = f"{base.rstrip('/')}/{file_name}"
        print(say("datasets_downloading", name=name, url=url, megabytes=entry["bytes"] / 1e6), file=sys.stderr)
        try:
            with atomic_path(raw / file_name) as temporary:  # renamed into place only if no check raises
                digests = fetch(url, temporary, entry["bytes"], file_name)
                check_digests(digests, entry)
                check_content(data_set, file_name, temporary.read_bytes())
            return
        except CheckFailed as failure:
            failures.append(f"{url}: {failure}")
        except OSError as error:  # network errors became CheckFailed in fetch: this is the disk
            raise UserError(say("datasets_cannot_write_file", path=raw / file_name, error=error)) from None
    raise UserError(say("datasets_cannot_get", file=file_name, name=name,
                        failures=say("datasets_failure_separator").join(failures), variable=environment_variable(name)))


def check_digests(digests, entry):
    for kind in ("md5", "sha256"):
        if kind in entry and digests[kind] != entry[kind]:
            raise CheckFailed(say("download_checksum", kind=kind, expected=entry[kind], actual=digests[kind]))


# --- decoding and checking the content ---------------------------------------------------------


def check_content(data_set, file_name, data):
    """Decode one downloaded file and check what is inside; raise CheckFailed if anything is off."""
    if data_set["format"] == "idx":
        split, role = idx_role(data_set, file_name)
        decode_idx(data_set, file_name, data, split, role)
    else:
        read_archive(data_set, data, ("train", "test"))


def idx_role(data_set, file_name):
    for split, files in data_set["splits"].items():
        for role in ("images", "labels"):
            if files[role] == file_name:
                return split, role
    raise ValueError(f"{file_name} is in no split of the manifest")


def decode_idx(data_set, file_name, data, split, role):
    """A gzipped IDX file -> uint8 array: (count, 28, 28) images or (count,) labels, all checked."""
    try:
        content = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise CheckFailed(say("file_not_gzip", file=file_name, error=error)) from None
    expected = data_set["files"][file_name]["content_md5"]
    actual = hashlib.md5(content).hexdigest()
    if actual != expected:
        raise CheckFailed(say("file_content_checksum", file=file_name, expected=expected, actual=actual))
    count = data_set["splits"][split]["count"]
    shape = (count, *data_set["image_shape"]) if role == "images" else (count,)
    # IDX: two zero bytes, 0x08 (unsigned bytes), the number of dimensions, then each size as a
    # big-endian uint32, then the values. Images have 3 dimensions, labels 1.
    header_size = 4 + 4 * len(shape)
    header = bytes([0, 0, 8, len(shape)]) + b"".join(size.to_bytes(4, "big") for size in shape)
    if content[:header_size] != header or len(content) != header_size + int(np.prod(shape)):
        raise CheckFailed(say("file_not_idx", file=file_name, shape=shape))
    values = np.frombuffer(content, np.uint8, offset=header_size).reshape(shape)
    if role == "labels" and values.max(initial=0) >= len(data_set["classes"]):
        raise CheckFailed(say("file_label_range", file=file_name, largest=len(data_set["classes"]) - 1))
    return values


class ArrayUnpickler(pickle.Unpickler):
    """Unpickles the CIFAR-10 batches (dicts of lists, strings and NumPy arrays) and nothing else:
    any other global a pickle names (a function to call, a class to build) is refused."""

    _reconstruct = np.zeros(0).__reduce__()[0]  # NumPy's array builder, wherever this NumPy keeps it
    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): _reconstruct,  # what the CIFAR files name (NumPy 1)
        ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # the same under NumPy 2
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
    }

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return self.ALLOWED[(module, name)]
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}: a CIFAR-10 batch holds only arrays and lists")


def unpickle(data, label):
    """A Python 2 pickle from the CIFAR-10 tarball (its strings stay bytes), restricted to arrays."""
    try:
        loaded = ArrayUnpickler(io.BytesIO(data), encoding="bytes").load()
    except Exception as error:  # a damaged pickle can raise almost anything; none of it is usable
        raise CheckFailed(say("file_unreadable_pickle", file=label, error=error)) from None
    if not isinstance(loaded, dict):
        raise CheckFailed(say("file_not_cifar_batch", file=label))
    return loaded


def read_archive(data_set, data, splits):
    """The CIFAR-10 tarball (bytes) -> {split: (images uint8 (N, 32, 32, 3) RGB, labels)}, all checked.

    Every member is read into memory (nothing is extracted to disk, so no path in the tarball
    matters), its MD5 checked, and only then unpickled."""
    entry = data_set["files"][data_set["archive"]]
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            def member(name):
                try:
                    info = archive.getmember(name)
                except KeyError:
                    raise CheckFailed(say("archive_lacks", archive=data_set["archive"], member=name)) from None
                content = archive.extractfile(info).read() if info.isfile() else b""
                expected, actual = entry["members"][name], hashlib.md5(content).hexdigest()
                if actual != expected:
                    raise CheckFailed(say("archive_member_checksum", archive=data_set["archive"], member=name,
                                                    expected=expected, actual=actual))
                return content

            meta = unpickle(member(data_set["meta"]), data_set["meta"])
            names = [label.decode("utf-8") if isinstance(label, bytes) else label for label in meta.get(b"label_names", [])]
            if names != data_set["classes"]:
                raise CheckFailed(say("archive_classes", meta=data_set["meta"], names=names, classes=data_set["classes"]))
            result = {}
            for split in splits:
                batches = [decode_batch(data_set, name, unpickle(member(name), name)) for name in data_set["splits"][split]["members"]]
                images = np.concatenate([images for images, _ in batches])
                labels = np.concatenate([labels for _, labels in batches])
                if len(images) != data_set["splits"][split]["count"]:
                    raise CheckFailed(say("archive_count", split=split, count=len(images),
                                                    expected=data_set["splits"][split]["count"]))
                result[split] = images, labels
            return result
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise CheckFailed(say("archive_not_tar_gz", archive=data_set["archive"], error=error)) from None


def decode_batch(data_set, name, batch):
    """One CIFAR-10 batch: b"data" (N, 3072) uint8, channel-major (all red, all green, all blue) -> (N, 32, 32, 3)."""
    pixels, labels = batch.get(b"data"), batch.get(b"labels")
    height, width, channels = data_set["image_shape"]
    if (not isinstance(pixels, np.ndarray) or pixels.dtype != np.uint8 or pixels.ndim != 2
            or pixels.shape[1] != height * width * channels or not isinstance(labels, list) or len(labels) != len(pixels)):
        raise CheckFailed(say("batch_shape", file=name, height=height, width=width, channels=channels))
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= len(data_set["classes"])):
        raise CheckFailed(say("file_label_range", file=name, largest=len(data_set["classes"]) - 1))
    images = pixels.reshape(len(pixels), channels, height, width).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels.astype(np.int64)


def read_split(data_set, raw, split):
    """The images (uint8; gray (N, H, W) or RGB (N, H, W, 3)) and labels of one split, from the
    files in `raw`, their content checked again (so a file damaged on disk is never used)."""
    try:
        if data_set["format"] == "idx":
            files = data_set["splits"][split]
            images = decode_idx(data_set, files["images"], (raw / files["images"]).read_bytes(), split, "images")
            labels = decode_idx(data_set, files["labels"], (raw / files["labels"]).read_bytes(), split, "labels")
            return images, labels.astype(np.int64)
        return read_archive(data_set, (raw / data_set["archive"]).read_bytes(), (split,))[split]
    except CheckFailed as failure:
        raise UserError(say("datasets_damaged_file", raw=raw, failure=failure)) from None


def selected(data_set, split, labels):
    """Which images of a split the layout holds: all training images; the first TEST_PER_CLASS
    test images of each class, in the official file's order."""
    if split == "train":
        return np.arange(len(labels))
    return np.sort(np.concatenate([np.flatnonzero(labels == label)[:TEST_PER_CLASS] for label in range(len(data_set["classes"]))]))


def entries(data_set, raw, split):
    """(pixels, class folder, stem) of each image in the layout, in the order a folder is read:
    sorted by class folder, then file name (common/data/images.py find_images)."""
    images, labels = read_split(data_set, raw, split)
    chosen = selected(data_set, split, labels)
    rows = []
    for index in chosen:
        label = data_set["classes"][labels[index]]
        rows.append((label, f"{data_set['stem_prefix']}{label}_{int(index):05d}", index))
    rows.sort(key=lambda row: (row[0], row[1] + ".png"))
    return [(images[index], label, stem) for label, stem, index in rows]


# --- the folder layout, and reading the same pixels fast -------------------------------------------


def as_opencv(pixels):
    """What OpenCV reads back from our PNG of these pixels: gray as it is, RGB as BGR."""
    return pixels if pixels.ndim == 2 else pixels[:, :, ::-1]


def write_layout(name, data_set, root):
    raw = root / "raw"
    building = root / f".layout-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        counts = {}
        for split in ("test", "train"):
            rows = entries(data_set, raw, split)
            counts[split] = len(rows)
            print(say("datasets_writing", name=name, count=len(rows), split=split, folder=root / split / "images"),
                  file=sys.stderr)
            for label in sorted({label for _, label, _ in rows}):
                (building / split / "images" / label).mkdir(parents=True)
            for pixels, label, stem in rows:
                ok, encoded = cv2.imencode(".png", as_opencv(pixels))
                if not ok:
                    raise RuntimeError("OpenCV could not encode a PNG")
                (building / split / "images" / label / f"{stem}.png").write_bytes(encoded.tobytes())
        if is_complete(root):
            return  # another process finished first: use its copy
        for split in ("test", "train"):  # train last: a data set with train/images is complete
            target = root / split
            if target.exists():
                shutil.rmtree(target)  # half a layout from a run stopped between the two renames
            os.rename(building / split, target)
    except OSError as error:
        raise UserError(say("datasets_cannot_write_images", name=name, root=root, error=error)) from None
    finally:
        shutil.rmtree(building, ignore_errors=True)


def load_split(name, root, split, size, channels):
    """The layout's images of one split, read from the checked files in root/raw: the same
    ImageSet that reading root/<split>/images would give, without opening 60,000 PNG files.
    None when raw/ lacks the files (a layout made by hand): read the folder then."""
    data_set = data_set_of(name)
    raw = Path(root) / "raw"
    if not all(is_plausible(raw / file_name, entry) for file_name, entry in data_set["files"].items()):
        return None
    rows = entries(data_set, raw, split)
    images = np.empty((len(rows), size, size, channels), np.float32)
    source = f"{name} in {raw}"  # names the pixels in an error message
    for index, (pixels, _, _) in enumerate(rows):
        images[index] = convert(as_opencv(pixels), size, channels, source)
    folders = {label: Path(root) / split / "images" / label for label in data_set["classes"]}
    paths = [folders[label].joinpath(f"{stem}.png") for _, label, stem in rows]
    return ImageSet(images=images, stems=[stem for _, _, stem in rows], paths=paths)


def is_plausible(path, entry):
    """Cheap test before reading: the file is there and has its size (its content is checked on reading)."""
    return path.is_file() and path.stat().st_size == entry["bytes"]


# --- the command line ---------------------------------------------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m common.data",
        description=say("datasets_description"),
    )
    parser.add_argument("name", choices=NAMES)
    parser.add_argument("--base-url", help=say("help_datasets_base_url"))
    parser.add_argument("--dest", type=Path, help=say("help_datasets_dest"))
    add_language_flag(parser)
    return parser


def main(argv=None):
    language.choose(argv)
    args = build_parser().parse_args(argv)
    root = ensure_dataset(args.name, args.dest, args.base_url)
    train = sum(1 for _ in (root / "train" / "images").rglob("*.png"))
    test = sum(1 for _ in (root / "test" / "images").rglob("*.png"))
    print(say("datasets_done", name=args.name, train=train, test=test, root=root))
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
