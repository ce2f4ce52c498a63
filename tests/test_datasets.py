"""MNIST, Fashion-MNIST and CIFAR-10 (common/data/datasets.py) against a local HTTP server.

The tests write small files in the real formats (gzipped IDX; CIFAR-10's tarball of Python 2
pickles) and point the code at a manifest of their checksums, made the way the real one is:
the checking itself is never switched off.
"""

import contextlib
import errno
import gzip
import hashlib
import http.server
import io
import json
import os
import pickle
import struct
import tarfile

import cv2
import numpy as np
import pytest

import common.data as data
import common.data.datasets as datasets
import common.digit_score as digit_score
from common import cli
from common.data import images
from common.errors import UserError
from conftest import http_server

MNIST_TRAIN, MNIST_TEST = 100, 30  # small stand-ins: 10 and 3 per class
CIFAR_TRAIN_BATCHES, CIFAR_PER_BATCH, CIFAR_TEST = 5, 6, 30


# --- files in the real formats ---------------------------------------------------------------------


def drawn_digits(count, seed):
    """28x28 gray digits drawn with OpenCV's font, labels 0-9 in a shuffled order."""
    rng = np.random.default_rng(seed)
    labels = np.resize(np.arange(10), count)
    rng.shuffle(labels)
    pictures = np.zeros((count, 28, 28), np.uint8)
    for picture, label in zip(pictures, labels):
        x, y = (int(v) for v in rng.integers(4, 9, 2))
        cv2.putText(picture, str(label), (x, 14 + y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, 2)
    return pictures, labels.astype(np.uint8)


def idx(array):
    """An IDX file: 0, 0, 0x08 (unsigned bytes), the number of dimensions, the sizes, the bytes."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(struct.pack(">I", size) for size in array.shape)
    return header + array.astype(np.uint8).tobytes()


def mnist_files(seed=0):
    train, train_labels = drawn_digits(MNIST_TRAIN, seed)
    test, test_labels = drawn_digits(MNIST_TEST, seed + 1)
    contents = {"train-images-idx3-ubyte.gz": idx(train), "train-labels-idx1-ubyte.gz": idx(train_labels),
                "t10k-images-idx3-ubyte.gz": idx(test), "t10k-labels-idx1-ubyte.gz": idx(test_labels)}
    files = {name: gzip.compress(content, mtime=0) for name, content in contents.items()}
    arrays = {"train": (train, train_labels), "test": (test, test_labels)}
    return files, contents, arrays


class Python2Pickler(pickle._Pickler):
    """Writes a pickle as CIFAR-10's Python 2 cPickle did: protocol 2, every string a byte
    string (SHORT_BINSTRING / BINSTRING), NumPy's array builder under its NumPy 1 name."""

    dispatch = dict(pickle._Pickler.dispatch)

    def save_string(self, obj):
        raw = obj.encode("latin-1") if isinstance(obj, str) else bytes(obj)
        opcode = pickle.SHORT_BINSTRING + bytes([len(raw)]) if len(raw) < 256 else pickle.BINSTRING + struct.pack("<i", len(raw))
        self.write(opcode + raw)
        self.memoize(obj)

    dispatch[str] = save_string
    dispatch[bytes] = save_string

    def save_global(self, obj, name=None):
        module = obj.__module__.replace("numpy._core", "numpy.core")
        self.write(pickle.GLOBAL + f"{module}\n{name or obj.__qualname__}\n".encode())
        self.memoize(obj)

    dispatch[type] = save_global


def python2_pickle(value):
    stream = io.BytesIO()
    Python2Pickler(stream, protocol=2).dump(value)
    return stream.getvalue()


def cifar_pictures(count, seed):
    """RGB pictures whose three channels differ, so a swapped channel order shows."""
    rng = np.random.default_rng(seed)
    labels = np.resize(np.arange(10), count)
    rng.shuffle(labels)
    pictures = rng.integers(0, 256, (count, 32, 32, 3), dtype=np.uint8)
    pictures[:, :, :, 0] //= 2  # red darker than blue
    return pictures, labels


def cifar_members(batches=None):
    """The tarball's members as CIFAR-10 has them: data (N, 3072) channel-major, labels a list."""
    classes = datasets.load_manifest()["cifar10"]["classes"]
    members = {"cifar-10-batches-py/batches.meta": python2_pickle(
        {"num_cases_per_batch": CIFAR_PER_BATCH, "label_names": classes, "num_vis": 3072})}
    arrays = {}
    batches = batches or [f"data_batch_{i}" for i in range(1, CIFAR_TRAIN_BATCHES + 1)] + ["test_batch"]
    for seed, batch in enumerate(batches):
        pictures, labels = cifar_pictures(CIFAR_TEST if batch == "test_batch" else CIFAR_PER_BATCH, seed)
        arrays[batch] = pictures, labels
        members[f"cifar-10-batches-py/{batch}"] = python2_pickle({
            "batch_label": f"batch {batch}", "labels": [int(label) for label in labels],
            "data": pictures.transpose(0, 3, 1, 2).reshape(len(pictures), -1),
            "filenames": [f"picture_{i}.png" for i in range(len(pictures))]})
    return members, arrays


def tarball(members):
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return stream.getvalue()


def cifar_files():
    members, arrays = cifar_members()
    train = [arrays[f"data_batch_{i}"] for i in range(1, CIFAR_TRAIN_BATCHES + 1)]
    arrays = {"train": (np.concatenate([p for p, _ in train]), np.concatenate([l for _, l in train])),
              "test": arrays["test_batch"]}
    return {"cifar-10-python.tar.gz": tarball(members)}, members, arrays


# --- a manifest of the test's files, made as the real one is ------------------------------------------------


def md5(content):
    return hashlib.md5(content).hexdigest()


def manifest_for(name, files, contents):
    """The real manifest's entry for `name` (classes, format, names), with the test files' sizes,
    checksums and counts in place of the official ones."""
    data_set = json.loads(datasets.MANIFEST.read_text())["datasets"][name]
    if data_set["format"] == "idx":
        data_set["files"] = {file_name: {"bytes": len(content), "md5": md5(content), "content_md5": md5(contents[file_name])}
                         for file_name, content in files.items()}
        data_set["splits"]["train"]["count"], data_set["splits"]["test"]["count"] = MNIST_TRAIN, MNIST_TEST
    else:
        content = files[data_set["archive"]]
        data_set["files"] = {data_set["archive"]: {"bytes": len(content), "md5": md5(content),
                                           "sha256": hashlib.sha256(content).hexdigest(),
                                           "members": {member: md5(data) for member, data in contents.items()}}}
        data_set["splits"]["train"]["count"] = CIFAR_TRAIN_BATCHES * CIFAR_PER_BATCH
        data_set["splits"]["test"]["count"] = CIFAR_TEST
    data_set["base_urls"] = ["http://127.0.0.1:9/nothing-listens-here"]  # the tests give their server's URL
    return data_set


@pytest.fixture
def use_manifest(tmp_path, monkeypatch):
    """Write a manifest holding the given data sets' specs and point common/data/datasets.py at it."""
    path = tmp_path / "manifest.json"

    def write(**specs):
        path.write_text(json.dumps({"datasets": {name.replace("_", "-"): data_set for name, data_set in specs.items()}}))
        monkeypatch.setattr(datasets, "MANIFEST", path)
    return write


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No proxy may intercept the local server, no mirror variable leaks in, and Dataset/ is a temporary folder."""
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                     "MNIST_BASE_URL", "FASHION_MNIST_BASE_URL", "CIFAR10_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(data, "DATASET_ROOT", tmp_path / "Dataset")
    monkeypatch.setattr(digit_score, "JUDGE_CACHE", tmp_path / "Dataset" / "digit_judges")


# --- a local server ----------------------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    files = {}  # set per server: {"/mnist/train-images-idx3-ubyte.gz": bytes}
    truncate = set()  # paths whose body stops halfway (the header still promises all of it)

    def do_GET(self):
        content = self.files.get(self.path)
        if content is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content[: len(content) // 2] if self.path in self.truncate else content)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(files, truncate=()):
    """Serve {path: bytes} on a free local port; yield the base URL."""
    handler = type("ServedFiles", (Handler,), {"files": dict(files), "truncate": set(truncate)})
    with http_server(handler) as url:
        yield url


def under(prefix, files):
    return {f"/{prefix}/{name}": content for name, content in files.items()}


@pytest.fixture
def mnist(use_manifest):
    files, contents, arrays = mnist_files()
    use_manifest(mnist=manifest_for("mnist", files, contents))
    return files, contents, arrays


def leftovers(folder):
    """Hidden temporary files or folders anywhere under `folder`."""
    return [path for path in folder.rglob(".*")] if folder.exists() else []


def png_files(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.png"))


# --- the real manifest -------------------------------------------------------------------------------


def test_the_manifest_holds_the_official_files_and_checksums():
    manifest = datasets.load_manifest()
    assert set(manifest) == set(datasets.NAMES)
    hexadecimal = set("0123456789abcdef")
    for name, data_set in manifest.items():
        assert len(data_set["classes"]) == 10 and data_set["base_urls"], name
        for file_name, entry in data_set["files"].items():
            assert len(entry["md5"]) == 32 and set(entry["md5"]) <= hexadecimal, file_name
            assert entry["bytes"] > 0
            checks = [entry.get("content_md5")] if data_set["format"] == "idx" else list(entry["members"].values())
            assert checks and all(len(check) == 32 for check in checks), file_name
    assert manifest["mnist"]["files"]["train-images-idx3-ubyte.gz"]["md5"] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    cifar = manifest["cifar10"]["files"]["cifar-10-python.tar.gz"]
    assert cifar["sha256"] == "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
    assert manifest["mnist"]["splits"]["train"]["count"] == 60000 and manifest["cifar10"]["splits"]["test"]["count"] == 10000


# --- downloading: the happy path ---------------------------------------------------------------------


def test_mnist_downloads_checks_and_lays_out(mnist, monkeypatch, capsys):
    files, contents, arrays = mnist
    with serve(under("mirror", files)) as url:
        monkeypatch.setenv("MNIST_BASE_URL", f"{url}/mirror")
        root = data.dataset_folder("mnist")
    assert root == data.DATASET_ROOT / "mnist"
    assert sorted(p.name for p in (root / "raw").iterdir()) == sorted(files)
    train, test = png_files(root / "train" / "images"), png_files(root / "test" / "images")
    assert len(train) == MNIST_TRAIN and len(test) == 20  # the first 2 test images of each class
    test_images, test_labels = arrays["test"]
    expected_test = sorted(f"{label}/mnist{label}_{index:05d}.png" for label in range(10)
                           for index in np.flatnonzero(test_labels == label)[:2])
    assert test == expected_test
    first = expected_test[0]
    index = int(first.split("_")[1][:5])
    stored = cv2.imread(str(root / "test" / "images" / first), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(stored, test_images[index])  # the very pixels, gray
    assert not leftovers(root)
    assert "downloading" in capsys.readouterr().err

    with serve({}) as url:  # a second use downloads nothing, even with no file on the server
        monkeypatch.setenv("MNIST_BASE_URL", url)
        assert data.dataset_folder("mnist") == root


def test_a_run_reads_the_checked_originals_with_the_pixels_of_the_pngs(mnist):
    files = mnist[0]
    with serve(under("m", files)) as url:
        args = cli.parse_args("ae", "pytorch", ["--dataset", "mnist", "--base-url", f"{url}/m"])
        training, test = data.load_training_set(args), data.load_test_set(args)
    assert (args.size, args.channels) == (32, 1)
    root = data.DATASET_ROOT / "mnist"
    for split, loaded in (("train", training), ("test", test)):
        for size, channels in ((32, 1), (16, 3)):
            fast = datasets.load_split("mnist", root, split, size, channels)
            from_pngs = images.load_folder(root / split / "images", size, channels)
            np.testing.assert_array_equal(fast.images, from_pngs.images)
            assert fast.stems == from_pngs.stems and fast.paths == from_pngs.paths
        assert loaded.stems == images.load_folder(root / split / "images", 32, 1).stems
    assert test.stems[:2] == [stem for stem in test.stems if stem.startswith("mnist0_")]
    # Without raw/ (a layout made by hand) the folder is read instead.
    for path in (root / "raw").iterdir():
        path.unlink()
    assert datasets.load_split("mnist", root, "test", 32, 1) is None
    assert data.load_test_set(args).stems == test.stems


def test_fashion_mnist_has_named_classes(use_manifest):
    files, contents, arrays = mnist_files(seed=5)
    use_manifest(fashion_mnist=manifest_for("fashion-mnist", files, contents))
    with serve(under("f", files)) as url:
        args = cli.parse_args("convae", "keras", ["--dataset", "fashion-mnist", "--base-url", f"{url}/f"])
        test = data.load_test_set(args)
    assert (args.size, args.channels, any(args.augment.values())) == (32, 1, False)
    assert len(test.stems) == 20 and {path.parent.name for path in test.paths} == {
        "t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"}
    assert all(stem.startswith(path.parent.name + "_") for stem, path in zip(test.stems, test.paths))


def test_cifar10_from_a_tarball_of_python2_pickles(use_manifest):
    files, members, arrays = cifar_files()
    use_manifest(cifar10=manifest_for("cifar10", files, members))
    with serve(under("c", files)) as url:
        root = datasets.ensure_dataset("cifar10", data.DATASET_ROOT / "cifar10", f"{url}/c")
    assert len(png_files(root / "train" / "images")) == CIFAR_TRAIN_BATCHES * CIFAR_PER_BATCH
    assert len(png_files(root / "test" / "images")) == 20
    pictures, labels = arrays["test"]
    first = int(np.flatnonzero(labels == 3)[0])
    stored = cv2.imread(str(root / "test" / "images" / "cat" / f"cat_{first:05d}.png"), cv2.IMREAD_COLOR)
    np.testing.assert_array_equal(stored[:, :, ::-1], pictures[first])  # RGB kept, not swapped
    fast = datasets.load_split("cifar10", root, "train", 32, 3)
    from_pngs = images.load_folder(root / "train" / "images", 32, 3)
    np.testing.assert_array_equal(fast.images, from_pngs.images)
    assert fast.stems == from_pngs.stems
    args = cli.parse_args("dcgan", "chainer", ["--dataset", "cifar10"])
    assert (args.size, args.channels) == (32, 3)
    assert args.augment == {"hflip": True, "vflip": False, "rotate": False, "scale": False, "color": False}
    assert not leftovers(root)


def test_the_official_locations_are_tried_in_order(mnist, use_manifest):
    files, contents, _ = mnist
    data_set = manifest_for("mnist", files, contents)
    with serve(under("second", files)) as url:
        data_set["base_urls"] = [f"{url}/first", f"{url}/second"]  # the first answers 404 for every file
        use_manifest(mnist=data_set)
        root = datasets.ensure_dataset("mnist", data.DATASET_ROOT / "mnist")
    assert len(png_files(root / "test" / "images")) == 20


def test_base_url_flag_beats_the_environment_which_beats_the_manifest(monkeypatch):
    data_set = {"base_urls": ["https://official/a", "https://official/b"]}
    assert datasets.base_urls("cifar10", data_set) == data_set["base_urls"]
    monkeypatch.setenv("CIFAR10_BASE_URL", "http://env")
    assert datasets.base_urls("cifar10", data_set) == ["http://env"]
    assert datasets.base_urls("cifar10", data_set, "http://flag") == ["http://flag"]
    assert datasets.environment_variable("fashion-mnist") == "FASHION_MNIST_BASE_URL"


def test_command_line_downloads_into_dest(mnist, tmp_path, capsys):
    with serve(under("m", mnist[0])) as url:
        datasets.main(["mnist", "--base-url", f"{url}/m", "--dest", str(tmp_path / "elsewhere")])
    assert f"{MNIST_TRAIN} training and 20 test images" in capsys.readouterr().out
    assert not data.DATASET_ROOT.exists()


# --- downloading: what goes wrong ----------------------------------------------------------------------


def assert_nothing_kept(root):
    assert not (root / "train").exists() and not (root / "test").exists()
    assert not leftovers(root)


def test_a_corrupt_file_is_refused_named_and_not_kept(mnist):
    files = dict(mnist[0])
    damaged = bytearray(files["t10k-images-idx3-ubyte.gz"])
    damaged[len(damaged) // 2] ^= 0xFF
    files["t10k-images-idx3-ubyte.gz"] = bytes(damaged)
    root = data.DATASET_ROOT / "mnist"
    with serve(under("m", files)) as url, pytest.raises(
            UserError, match=r"cannot get t10k-images-idx3-ubyte\.gz .*checksum mismatch: md5 expected"):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert not (root / "raw" / "t10k-images-idx3-ubyte.gz").exists()
    assert (root / "raw" / "train-images-idx3-ubyte.gz").is_file()  # the good ones stay: a retry skips them
    assert_nothing_kept(root)


def test_a_truncated_download_is_refused_and_can_be_retried(mnist):
    files = mnist[0]
    root = data.DATASET_ROOT / "mnist"
    with serve(under("m", files), truncate={"/m/train-images-idx3-ubyte.gz"}) as url, pytest.raises(
            UserError, match=r"train-images-idx3-ubyte\.gz.*truncated: \d+ of \d+ bytes.*run again to retry"):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert not (root / "raw" / "train-images-idx3-ubyte.gz").exists()
    assert_nothing_kept(root)
    with serve(under("m", files)) as url:  # the retry
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert len(png_files(root / "train" / "images")) == MNIST_TRAIN


def test_a_wrong_checksum_in_the_manifest_refuses_the_file(mnist, use_manifest):
    files, contents, _ = mnist
    data_set = manifest_for("mnist", files, contents)
    data_set["files"]["train-labels-idx1-ubyte.gz"]["md5"] = "0" * 32
    use_manifest(mnist=data_set)
    root = data.DATASET_ROOT / "mnist"
    with serve(under("m", files)) as url, pytest.raises(
            UserError, match=r"train-labels-idx1-ubyte\.gz.*md5 expected 0{32}, got "):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert not (root / "raw" / "train-labels-idx1-ubyte.gz").exists()
    assert_nothing_kept(root)


def test_the_decoded_content_is_checked_too(mnist, use_manifest):
    """A file whose own checksum matches is still refused when what it decodes to does not."""
    files, contents, _ = mnist
    data_set = manifest_for("mnist", files, contents)
    data_set["files"]["t10k-labels-idx1-ubyte.gz"]["content_md5"] = "f" * 32
    use_manifest(mnist=data_set)
    root = data.DATASET_ROOT / "mnist"
    with serve(under("m", files)) as url, pytest.raises(UserError, match=r"decompressed t10k-labels-idx1-ubyte\.gz"):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert_nothing_kept(root)

    # Checksums made from a broken file (a label file with a wrong header) match; the decoding does not.
    broken_contents = dict(contents, **{"t10k-labels-idx1-ubyte.gz": b"\x00\x00\x08\x03" + contents["t10k-labels-idx1-ubyte.gz"][4:]})
    broken = dict(files, **{"t10k-labels-idx1-ubyte.gz": gzip.compress(broken_contents["t10k-labels-idx1-ubyte.gz"])})
    use_manifest(mnist=manifest_for("mnist", broken, broken_contents))
    with serve(under("m", broken)) as url, pytest.raises(UserError, match=r"t10k-labels-idx1-ubyte\.gz is not an IDX file"):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    not_gzip = dict(files, **{"t10k-labels-idx1-ubyte.gz": contents["t10k-labels-idx1-ubyte.gz"]})  # never compressed
    use_manifest(mnist=manifest_for("mnist", not_gzip, contents))
    with serve(under("m", not_gzip)) as url, pytest.raises(UserError, match=r"not a valid gzip file"):
        datasets.ensure_dataset("mnist", root, f"{url}/m")
    assert_nothing_kept(root)


def test_a_server_that_is_down_is_named_with_the_way_out(mnist):
    with serve({}) as url:
        pass  # the server is gone: nothing listens on that port any more
    root = data.DATASET_ROOT / "mnist"
    with pytest.raises(UserError) as error:
        datasets.ensure_dataset("mnist", root, url)
    message = str(error.value)
    assert f"cannot get train-images-idx3-ubyte.gz for --dataset mnist: {url}/train-images-idx3-ubyte.gz: download failed" in message
    assert "--base-url" in message and "MNIST_BASE_URL" in message
    assert_nothing_kept(root)


def test_a_read_only_dataset_folder_is_one_clear_error(mnist, monkeypatch):
    root = data.DATASET_ROOT
    root.mkdir()
    root.chmod(0o555)
    with monkeypatch.context() as patch:
        if os.geteuid() == 0:  # root writes into any folder: refuse as the kernel does for anyone else
            def refusing(real):
                def call(path, *args, **kwargs):
                    if os.fspath(path).startswith(os.fspath(root)):
                        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
                    return real(path, *args, **kwargs)
                return call
            patch.setattr(os, "mkdir", refusing(os.mkdir))
            patch.setattr(os, "open", refusing(os.open))
        with serve(under("m", mnist[0])) as url, pytest.raises(
                UserError, match=r"cannot write to .*mnist.raw \(Permission denied\).*writable.*--dest DIR"):
            data.dataset_folder("mnist", f"{url}/m")
    assert list(root.iterdir()) == []
    root.chmod(0o755)
    with serve(under("m", mnist[0])) as url:
        assert (data.dataset_folder("mnist", f"{url}/m") / "train" / "images").is_dir()


# --- CIFAR-10's pickles are never trusted ----------------------------------------------------------------

CALLED = []


def mark_called(*args):
    CALLED.append(args)
    return {}


def test_a_pickle_naming_anything_but_arrays_is_refused(use_manifest):
    CALLED.clear()
    members, _ = cifar_members()
    members["cifar-10-batches-py/data_batch_2"] = b"\x80\x02c" + f"{__name__}\nmark_called\n".encode() + b")R."
    files = {"cifar-10-python.tar.gz": tarball(members)}
    use_manifest(cifar10=manifest_for("cifar10", files, members))  # its checksums match: only the unpickler stands
    with serve(under("c", files)) as url, pytest.raises(UserError, match=r"data_batch_2 cannot be read: refusing to load .*mark_called"):
        datasets.ensure_dataset("cifar10", data.DATASET_ROOT / "cifar10", f"{url}/c")
    assert CALLED == []
    assert not (data.DATASET_ROOT / "cifar10" / "raw" / "cifar-10-python.tar.gz").exists()


def test_nothing_is_unpickled_before_its_checksum_matched(use_manifest):
    CALLED.clear()
    members, _ = cifar_members()
    data_set = manifest_for("cifar10", {"cifar-10-python.tar.gz": tarball(members)}, members)
    bad = dict(members, **{"cifar-10-batches-py/test_batch": b"\x80\x02c" + f"{__name__}\nmark_called\n".encode() + b")R."})
    bad_files = {"cifar-10-python.tar.gz": tarball(bad)}
    data_set["files"] = manifest_for("cifar10", bad_files, members)["files"]  # the tarball's checksums match, the member's do not
    use_manifest(cifar10=data_set)
    with serve(under("c", bad_files)) as url, pytest.raises(
            UserError, match=r"checksum mismatch in cifar-10-python\.tar\.gz: cifar-10-batches-py/test_batch md5"):
        datasets.ensure_dataset("cifar10", data.DATASET_ROOT / "cifar10", f"{url}/c")
    assert CALLED == []


# --- defaults and the digit score ------------------------------------------------------------------------


def test_each_data_set_brings_its_defaults_and_help_lists_them(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # argparse wraps at the terminal's width, and breaks at hyphens
    for name, expected in (("mnist", (32, 1)), ("fashion-mnist", (32, 1)), ("cifar10", (32, 3))):
        args = cli.parse_args("dcgan", "pytorch", ["--dataset", name])
        assert (args.size, args.channels, args.iters) == (*expected, 1000), name
    assert not any(cli.parse_args("gan", "pytorch", ["--dataset", "mnist"]).augment.values())
    assert cli.parse_args("gan", "pytorch", ["--dataset", "mnist", "--size", "16"]).size == 16
    assert cli.parse_args("gan", "pytorch", ["--dataset", "mnist", "--data", "x"]).size == 64  # a folder is photos
    with pytest.raises(SystemExit):
        cli.parse_args("gan", "pytorch", ["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "digits 16, photos 64, mnist 32, fashion-mnist 32, cifar10 32" in text
    assert "(default: on for photos and cifar10)" in text and "--base-url URL" in text


def test_the_digit_judge_for_mnist_is_trained_once_and_cached(monkeypatch):
    monkeypatch.setattr(digit_score, "JUDGE_TRAINING_LIMIT", 30)  # a stand-in "large" set ...
    monkeypatch.setattr(digit_score, "JUDGE_PER_CLASS", 4)  # ... judged by a subset, as MNIST's 60,000 are
    pictures, labels = drawn_digits(60, seed=3)
    folder = data.DATASET_ROOT / "digits_like"
    paths = [folder / str(label) / f"mnist{label}_{i:05d}.png" for i, label in enumerate(labels)]
    training = images.ImageSet(images=np.stack([images.convert(p, 16, 1, "test") for p in pictures]),
                               stems=[p.stem for p in paths], paths=paths)
    first = digit_score.judge_for(training)
    cached = list(digit_score.JUDGE_CACHE.glob("*.pkl"))
    assert len(cached) == 1 and first.classifier.support_vectors_.shape[0] <= 40

    def no_training(*args):
        raise AssertionError("the cached judge was trained again")
    with monkeypatch.context() as patch:
        patch.setattr(digit_score, "fit_svc", no_training)
        again = digit_score.judge_for(training)
    np.testing.assert_array_equal(again.probabilities(training.images), first.probabilities(training.images))

    cached[0].write_bytes(b"\x80\x02c" + f"{__name__}\nmark_called\n".encode() + b")R.")  # tampered with
    CALLED.clear()
    digit_score.judge_for(training)  # its SHA-256 no longer matches: trained again, never unpickled
    assert CALLED == []


def test_a_gan_on_mnist_gets_the_digit_score(mnist, tmp_path, monkeypatch):
    from conftest import load_script

    script = load_script("pytorch", "gan")
    out = tmp_path / "out"
    with serve(under("m", mnist[0])) as url:
        monkeypatch.setenv("MNIST_BASE_URL", f"{url}/m")
        script.main(["--dataset", "mnist", "--iters", "2", "--batch-size", "8", "--size", "16", "--out", str(out)])
    metrics = json.loads((out / "gan_pytorch_metrics.json").read_text())
    assert metrics["data"] == "mnist" and metrics["channels"] == 1
    assert {"digit_share", "digit_kinds", "real_digit_share", "real_digit_kinds"} <= set(metrics)
    # The number itself means little here: an SVC's Platt probabilities stay low with 10 examples
    # of each digit. What counts is that an MNIST run is judged at all, with its test digits.
    assert 0 <= metrics["real_digit_share"] <= 1 and metrics["digit_confidence"] == digit_score.CONFIDENCE


def test_every_data_set_is_fetched_by_the_one_downloader():
    """MNIST, Fashion-MNIST, CIFAR-10 and the newts share common/data/download.py: one time limit,
    one size check, one way of naming a failed download. No other module opens a URL."""
    from conftest import REPO
    opening = sorted(str(path.relative_to(REPO)) for path in (REPO / "common").rglob("*.py") if "urlopen" in path.read_text())
    assert opening == ["common/data/download.py"], opening
