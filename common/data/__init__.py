"""Where the images come from, how mini-batches are drawn, and the noise the GANs use.

Everything random here is a pure function of (--seed, iteration): a run resumed
at iteration i draws exactly the batches and noise an uninterrupted run would
have drawn, in every framework.

Random streams (numpy SeedSequence entropy lists; each stream has its own tag):
    [seed, 0, epoch]      order of the training images in that epoch
    [seed, 1, iteration]  augmentation of that iteration's batch
    [seed, 2, iteration]  the GAN's noise for that iteration
All three lists have the same length, so no two streams ever coincide. (SeedSequence
ignores trailing zeros: [seed, 1] equals [seed, 1, 0], and [seed] equals [seed, 0, 0];
other code should draw from lists that cannot end up equal to these.)
"""

from pathlib import Path

import numpy as np

from common.data import datasets
from common.architectures import NOISE_DIM
from common.data.augment import augment_batch
from common.data.digits import ensure_digits
from common.errors import UserError
from common.language import say
from common.data.images import load_folder
from common.paths import DATASET_ROOT, FIXED_NOISE

ORDER_STREAM, AUGMENT_STREAM, NOISE_STREAM = 0, 1, 2
FIXED_NOISE_SEED = 20190301  # any fixed number: it only has to be the same everywhere
FIXED_NOISE_ROWS = 64


# --- folders ---------------------------------------------------------------------


def training_folder(args):
    """The training images: --data, or Dataset/<--dataset>/train/images."""
    if args.data is not None:
        return Path(args.data)
    return dataset_folder(args.dataset, getattr(args, "base_url", None)) / "train" / "images"


def test_folder(args):
    """The test images: --test-data, a test/images beside --data, or Dataset/<--dataset>/test/images."""
    if args.test_data is not None:
        return Path(args.test_data)
    if args.data is None:
        return dataset_folder(args.dataset, getattr(args, "base_url", None)) / "test" / "images"
    data = Path(args.data)
    sibling = data.parent.parent / "test" / "images"
    if data.name == "images" and data.parent.name == "train" and sibling.is_dir():
        return sibling
    raise UserError(say("no_test_data_beside", data=data))


def is_builtin_digits(args):
    """True when the run reads the built-in digits (not --data, not another data set)."""
    return args.data is None and args.dataset == "digits"


def is_mnist(args):
    """True when the run reads MNIST through --dataset mnist (its digits get the digit score too)."""
    return args.data is None and args.dataset == "mnist"


def dataset_folder(name, base_url=None):
    """Dataset/<name>, creating the built-in digits, or downloading MNIST, Fashion-MNIST or
    CIFAR-10 (from `base_url` if given), on first use."""
    folder = DATASET_ROOT / name
    if name == "digits":
        return ensure_digits(folder)
    if name in datasets.NAMES:
        return datasets.ensure_dataset(name, folder, base_url)
    if folder.is_dir():
        return folder
    if name == "newts":
        raise UserError(say("no_dataset_folder_newts", name=name, folder=folder))
    raise UserError(say("no_dataset_folder", name=name, folder=folder, train=folder / "train" / "images",
                        test=folder / "test" / "images"))


def load_training_set(args):
    folder = training_folder(args)
    return read_downloaded(args, "train") or load_folder(folder, args.size, args.channels)


def load_test_set(args):
    """The test images in sorted path order, never augmented; their stems name the results."""
    folder = test_folder(args)
    return read_downloaded(args, "test") or load_folder(folder, args.size, args.channels)


def load_test_set_if_any(args):
    """The test images, or None where the data has none (a GAN needs none: its figures then go
    without the test images' yardstick)."""
    try:
        return load_test_set(args)
    except UserError:
        return None


def read_downloaded(args, split):
    """MNIST, Fashion-MNIST, CIFAR-10 under --dataset: the layout's images, read from the checked
    original files (1.5 s for MNIST's 60,000, where their PNG files take 5 s); None for every other source."""
    chosen_folder = args.data if split == "train" else (args.data or args.test_data)
    if chosen_folder is not None or args.dataset not in datasets.NAMES:
        return None
    return datasets.load_split(args.dataset, DATASET_ROOT / args.dataset, split, args.size, args.channels)


# --- mini-batches ----------------------------------------------------------------


class Batches:
    """Mini-batch number i, as a pure function of (seed, i): no state, so resuming is exact.

    The images are read epoch after epoch, each epoch in its own random order;
    batch i is items i*batch_size ... (i+1)*batch_size - 1 of that endless stream.
    Only a reference to `images` is kept: augmented copies exist one batch at a time.
    """

    def __init__(self, images, batch_size, seed, augment_options):
        self.images = images
        self.batch_size = batch_size
        self.seed = seed
        self.augment_options = dict(augment_options)
        self._order = (None, None)  # (epoch, its order): drawn once per epoch, not once per batch

    def indices(self, iteration):
        """Which images batch `iteration` holds (may span two or more epochs)."""
        count = len(self.images)
        epoch, offset = divmod(iteration * self.batch_size, count)
        if offset + self.batch_size <= count:  # the usual case: the whole batch lies in one epoch
            return self.epoch_order(epoch)[offset:offset + self.batch_size].copy()
        positions = np.arange(iteration * self.batch_size, (iteration + 1) * self.batch_size)
        epochs, offsets = np.divmod(positions, count)
        indices = np.empty(self.batch_size, dtype=np.int64)
        for epoch in np.unique(epochs):
            in_epoch = epochs == epoch
            indices[in_epoch] = self.epoch_order(int(epoch))[offsets[in_epoch]]
        return indices

    def epoch_order(self, epoch):
        if self._order[0] != epoch:
            self._order = (epoch, np.random.default_rng([self.seed, ORDER_STREAM, epoch]).permutation(len(self.images)))
        return self._order[1]

    def batch(self, iteration):
        """float32 (batch_size, H, W, C) in [-1, 1], augmented if any option is on."""
        chosen = self.images[self.indices(iteration)]  # fancy indexing: already a copy
        if not any(self.augment_options.values()):
            return chosen
        rng = np.random.default_rng([self.seed, AUGMENT_STREAM, iteration])
        return augment_batch(chosen, rng, self.augment_options)


# --- noise -----------------------------------------------------------------------


def noise(seed, iteration, batch_size, dim=NOISE_DIM):
    """The GAN's input z ~ N(0, 1) for one iteration: float32 (batch_size, dim)."""
    rng = np.random.default_rng([seed, NOISE_STREAM, iteration])
    return rng.standard_normal((batch_size, dim)).astype(np.float32)


def make_fixed_noise():
    """The numbers in common/fixed_noise.npy: 64 x 100 standard normals, float32.

    The file is committed so every framework draws its sample grid from the very
    same noise; this function documents where it came from (and stands in should it be missing).
    """
    rng = np.random.default_rng(FIXED_NOISE_SEED)
    return rng.standard_normal((FIXED_NOISE_ROWS, NOISE_DIM)).astype(np.float32)


def fixed_noise(count=FIXED_NOISE_ROWS, dim=NOISE_DIM):
    """The first `count` rows of the shared fixed noise, for sample grids."""
    if not 1 <= count <= FIXED_NOISE_ROWS or dim != NOISE_DIM:
        raise ValueError(f"fixed noise has {FIXED_NOISE_ROWS} rows of {NOISE_DIM}; asked for {count} of {dim}")
    if FIXED_NOISE.is_file():
        return np.load(FIXED_NOISE)[:count].astype(np.float32)
    return make_fixed_noise()[:count]  # same numbers, should the file be missing

