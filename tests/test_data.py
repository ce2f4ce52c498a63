"""The built-in digits, folder resolution, stateless mini-batches, augmentation and noise."""

import time

import cv2
import numpy as np
import pytest

import common.data as data
import common.data.digits as digits
from common.data.augment import augment_batch, rotate_and_zoom
from common.cli import AUGMENTATIONS, parse_args
from common.errors import UserError
from common.data.images import read_image

ALL_ON = {name: True for name in AUGMENTATIONS}
ALL_OFF = {name: False for name in AUGMENTATIONS}


def only(*names):
    return {name: name in names for name in AUGMENTATIONS}


@pytest.fixture(scope="module")
def dataset_root(tmp_path_factory):
    """A Dataset/ folder holding the digits, created once for this file."""
    root = tmp_path_factory.mktemp("Dataset")
    digits.ensure_digits(root / "digits")
    return root


@pytest.fixture
def use_root(dataset_root, monkeypatch):
    monkeypatch.setattr(data, "DATASET_ROOT", dataset_root)
    return dataset_root


def args_for(*argv):
    return parse_args("ae", "pytorch", list(argv))


def random_images(count=10, size=16, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (count, size, size, channels)).astype(np.float32)


# --- the digits dataset ------------------------------------------------------------


def test_digits_layout_and_split(dataset_root):
    root = dataset_root / "digits"
    train = sorted((root / "train" / "images").rglob("*.png"))
    test = sorted((root / "test" / "images").rglob("*.png"))
    assert len(train) == 1777 and len(test) == 20
    assert sorted(p.name for p in (root / "test" / "images").iterdir()) == [str(d) for d in range(10)]
    for label in range(10):
        assert len(list((root / "test" / "images" / str(label)).iterdir())) == 2
    assert (root / "test" / "images" / "0" / "digit0_0000.png").is_file()
    assert (root / "test" / "images" / "3" / "digit3_0013.png").is_file()  # second 3 in load_digits order
    assert (root / "train" / "images" / "3" / "digit3_0023.png").is_file()  # third 3
    assert not [p for p in dataset_root.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_digit_pixels_match_scikit_learn(dataset_root):
    from sklearn.datasets import load_digits

    expected = np.rint(load_digits().images[23] * 255 / 16).astype(np.uint8)
    path = dataset_root / "digits" / "train" / "images" / "3" / "digit3_0023.png"
    stored = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert stored.dtype == np.uint8 and stored.ndim == 2
    np.testing.assert_array_equal(stored, expected)


def test_digits_is_idempotent(dataset_root, capsys):
    marker = dataset_root / "digits" / "train" / "images" / "0" / "digit0_0020.png"
    before = marker.stat().st_mtime_ns
    digits.ensure_digits(dataset_root / "digits")
    assert marker.stat().st_mtime_ns == before
    assert capsys.readouterr().err == ""


def test_interrupted_creation_leaves_nothing(tmp_path, monkeypatch, capsys):
    def write_a_little_then_fail(folder):
        (folder / "train" / "images").mkdir(parents=True)
        raise KeyboardInterrupt

    monkeypatch.setattr(digits, "write_digits", write_a_little_then_fail)
    with pytest.raises(KeyboardInterrupt):
        digits.ensure_digits(tmp_path / "digits")
    assert list(tmp_path.iterdir()) == []
    assert "creating the built-in digits dataset" in capsys.readouterr().err


# --- folders -----------------------------------------------------------------------


def test_default_is_the_digits(use_root):
    args = args_for()
    train, test = data.training_folder(args), data.test_folder(args)
    assert train == use_root / "digits" / "train" / "images"
    assert test == use_root / "digits" / "test" / "images"


def test_missing_newts_suggests_the_download(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATASET_ROOT", tmp_path)
    with pytest.raises(UserError, match="python -m common.data newts"):
        data.training_folder(args_for("--dataset", "newts"))


def test_missing_dataset_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATASET_ROOT", tmp_path)
    with pytest.raises(UserError, match="--dataset faces"):
        data.test_folder(args_for("--dataset", "faces"))


def test_data_flags_win_and_do_not_create_the_digits(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATASET_ROOT", tmp_path / "Dataset")
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    args = args_for("--data", str(mine), "--test-data", str(theirs))
    assert (data.training_folder(args), data.test_folder(args)) == (mine, theirs)
    assert not (tmp_path / "Dataset").exists()


def test_test_images_beside_train_images(tmp_path):
    (tmp_path / "train" / "images").mkdir(parents=True)
    (tmp_path / "test" / "images").mkdir(parents=True)
    args = args_for("--data", str(tmp_path / "train" / "images"))
    assert data.test_folder(args) == tmp_path / "test" / "images"


def test_flat_data_folder_needs_test_data_only_for_testing(tmp_path):
    args = args_for("--data", str(tmp_path))
    assert data.training_folder(args) == tmp_path
    with pytest.raises(UserError, match="--test-data"):
        data.test_folder(args)


def test_loading_the_digits(use_root):
    args = args_for("--size", "8", "--channels", "1")
    training, test = data.load_training_set(args), data.load_test_set(args)
    assert training.images.shape == (1777, 8, 8, 1) and training.images.dtype == np.float32
    assert test.images.shape == (20, 8, 8, 1)
    assert test.stems[:4] == ["digit0_0000", "digit0_0010", "digit1_0001", "digit1_0011"]
    assert test.stems == sorted(test.stems, key=lambda stem: (stem[5], stem))
    assert training.images.min() == -1 and training.images.max() == 1


def test_test_set_is_the_files_pixels_even_with_every_augmentation_on(use_root):
    """The digits are never augmented by default, so the flags switch every augmentation on:
    the test set must still be each file as it is, the same every time it is read."""
    args = args_for("--size", "16", "--hflip", "--vflip", "--rotate", "--scale", "--color")
    assert all(args.augment.values())
    first, second = data.load_test_set(args), data.load_test_set(args)
    assert first.stems == second.stems
    np.testing.assert_array_equal(first.images, second.images)
    for path, image in zip(first.paths, first.images):
        np.testing.assert_array_equal(image, read_image(path, 16, 1), err_msg=path.name)


# --- mini-batches --------------------------------------------------------------------


def test_same_seed_same_batches_other_seed_other_batches():
    images = random_images()
    one, two, other = (data.Batches(images, 4, seed, ALL_ON) for seed in (7, 7, 8))
    for iteration in range(5):
        np.testing.assert_array_equal(one.batch(iteration), two.batch(iteration))
    assert not np.array_equal(one.batch(0), other.batch(0))
    assert not np.array_equal(one.batch(0), one.batch(1))


def test_batches_are_stateless():
    images = random_images()
    fresh = data.Batches(images, 3, 1, ALL_ON).batch(5)
    used = data.Batches(images, 3, 1, ALL_ON)
    for iteration in range(5):
        used.batch(iteration)
    np.testing.assert_array_equal(fresh, used.batch(5))


def test_each_epoch_shows_every_image_once():
    batches = data.Batches(random_images(12), 4, 3, ALL_OFF)
    for epoch in range(3):
        seen = np.concatenate([batches.indices(3 * epoch + i) for i in range(3)])
        assert sorted(seen) == list(range(12))
    assert not np.array_equal(batches.indices(0), batches.indices(3))  # a new order each epoch


def test_batch_larger_than_the_dataset():
    images = random_images(5)
    batches = data.Batches(images, 12, 0, ALL_OFF)
    indices = batches.indices(0)
    assert sorted(indices[:5]) == list(range(5)) and sorted(indices[5:10]) == list(range(5))
    assert batches.batch(3).shape == (12, 16, 16, 3)


def test_batches_continue_across_an_epoch_boundary():
    batches = data.Batches(random_images(10), 4, 0, ALL_OFF)
    stream = np.concatenate([batches.indices(i) for i in range(5)])  # 20 items = 2 epochs
    np.testing.assert_array_equal(stream[:10], batches.epoch_order(0))
    np.testing.assert_array_equal(stream[10:], batches.epoch_order(1))


def test_no_augmentation_gives_the_source_images():
    images = random_images()
    batches = data.Batches(images, 4, 0, ALL_OFF)
    batch = batches.batch(2)
    np.testing.assert_array_equal(batch, images[batches.indices(2)])
    batch[...] = 0  # a copy: changing it leaves the data set alone
    assert images.any()


def test_augmentation_changes_images_and_stays_in_range():
    images = random_images(channels=3)
    batches = data.Batches(images, 8, 0, ALL_ON)
    for iteration in range(4):
        batch = batches.batch(iteration)
        source = images[batches.indices(iteration)]
        assert batch.dtype == np.float32 and batch.shape == source.shape
        assert batch.min() >= -1 and batch.max() <= 1
        assert not np.allclose(batch, source)


def test_each_iteration_draws_its_own_augmentation():
    """One image, batch 1: every batch shows the same picture, so only the draws can differ."""
    batches = data.Batches(random_images(1), 1, 0, ALL_ON)
    drawn = [batches.batch(iteration) for iteration in range(3)]
    assert not np.array_equal(drawn[0], drawn[1]) and not np.array_equal(drawn[1], drawn[2])


def test_batches_keep_only_a_reference_to_the_images():
    images = random_images(20)
    batches = data.Batches(images, 8, 0, ALL_ON)
    for iteration in range(3):
        batches.batch(iteration)
    assert batches.images is images
    arrays = [value for value in vars(batches).values() if isinstance(value, np.ndarray)]
    assert len(arrays) == 1


def test_negative_seed_is_a_user_error():
    with pytest.raises(UserError, match="--seed"):
        parse_args("ae", "pytorch", ["--seed", "-1"])


# --- augmentation ------------------------------------------------------------------


@pytest.mark.parametrize("channels", [1, 3])
def test_augment_keeps_shape_type_range_and_input(channels):
    images = random_images(6, 12, channels)
    original = images.copy()
    output = augment_batch(images, np.random.default_rng(0), ALL_ON)
    assert output.shape == images.shape and output.dtype == np.float32
    assert output.min() >= -1 and output.max() <= 1
    np.testing.assert_array_equal(images, original)


def test_rotation_fills_corners_by_reflection():
    # A bright image: a grey (0) or black (-1) fill would show up as dark corners.
    images = np.random.default_rng(1).uniform(0.5, 1, (16, 20, 20, 3)).astype(np.float32)
    rotated = augment_batch(images, np.random.default_rng(2), only("rotate", "scale"))
    assert rotated.min() >= 0.5 - 1e-5
    assert not np.allclose(rotated, images)


def test_rotated_corners_are_image_content():
    gradient = np.linspace(-1, 1, 32, dtype=np.float32)
    image = np.tile(gradient, (32, 1))[:, :, None]  # left dark, right bright
    rotated = rotate_and_zoom(image, angle=45, zoom=1.0, shift=np.zeros(2))
    corners = [rotated[0, 0, 0], rotated[0, -1, 0], rotated[-1, 0, 0], rotated[-1, -1, 0]]
    assert len(set(np.round(corners, 3))) > 1  # a constant fill would make them all equal
    assert rotated.shape == (32, 32, 1)


def test_rotation_by_zero_is_the_identity():
    image = random_images(1)[0]
    np.testing.assert_allclose(rotate_and_zoom(image, 0.0, 1.0, np.zeros(2)), image, atol=1e-6)


def test_flips_only_flip():
    images = random_images(20)
    output = augment_batch(images, np.random.default_rng(3), only("hflip"))
    flipped = [np.array_equal(out, image[:, ::-1]) for out, image in zip(output, images)]
    kept = [np.array_equal(out, image) for out, image in zip(output, images)]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept)


def test_color_stays_in_range_for_extreme_images():
    images = np.concatenate([np.full((4, 8, 8, 3), -1, np.float32), np.ones((4, 8, 8, 3), np.float32)])
    output = augment_batch(images, np.random.default_rng(4), only("color"))
    assert output.min() >= -1 and output.max() <= 1


def test_augmenting_a_batch_is_fast():
    images = random_images(32, 64, 3)
    rng = np.random.default_rng(0)
    augment_batch(images, rng, ALL_ON)  # warm up
    start = time.perf_counter()
    for _ in range(10):
        augment_batch(images, rng, ALL_ON)
    assert (time.perf_counter() - start) / 10 < 0.05


# --- noise ---------------------------------------------------------------------------


def test_noise_is_deterministic():
    z = data.noise(0, 10, 8)
    assert z.shape == (8, 100) and z.dtype == np.float32
    np.testing.assert_array_equal(z, data.noise(0, 10, 8))
    assert not np.array_equal(z, data.noise(0, 11, 8))
    assert not np.array_equal(z, data.noise(1, 10, 8))
    assert data.noise(0, 0, 4, dim=16).shape == (4, 16)


def test_fixed_noise_is_the_committed_file():
    noise = data.fixed_noise()
    assert noise.shape == (64, 100) and noise.dtype == np.float32
    np.testing.assert_array_equal(noise, data.make_fixed_noise())
    np.testing.assert_array_equal(data.fixed_noise(16), noise[:16])
    assert np.load(data.FIXED_NOISE).shape == (64, 100)
