"""The settings a run starts from when a flag is not given: each data set brings its own.

The 8x8 gray digits and the 64x64 colour photos of the exercise want different treatment:

- digits: gray (a gray digit read as RGB asks a GAN to learn three equal channels, and it
  paints coloured speckle until it has); 16x16, twice the 8x8 original, which keeps every
  stroke and makes the DCGAN's iteration five times cheaper than at 64x64; no augmentation:
  a rotated 6 is a 9 and a mirrored 2 is no digit, and even a mild zoom and contrast change
  cut the share of DCGAN samples that a classifier calls a digit to under a third (measured
  in two runs: 0.19 after 750 iterations with them, 0.66 after 800 without), while 1,777 training digits are
  enough not to be memorised.
- photos (the newts, and any other folder): the exercise's 64x64 RGB with every augmentation,
  which is what 16 training photos need.
- mnist, fashion-mnist (downloaded by common/data/datasets.py): gray, as they are; 32x32, their
  28x28 enlarged to the next size the DCGAN takes (a multiple of 16; 16 would halve their
  resolution); no augmentation: MNIST for the digits' reasons, and Fashion-MNIST's articles
  are all photographed upright and centred in one standard pose, so a flip or a rotation
  makes images the test set never shows; 60,000 training images need no help against
  memorising.
- cifar10: RGB 32x32 as it is; a horizontal flip only, the usual one for CIFAR-10: a
  mirrored car or horse is still one, an upside-down or rotated one is no CIFAR photo (their
  horizon is level), and 50,000 photos need no zoom or colour change to stay unmemorised.

Every value here can be overridden by its flag; metrics.json records what a run used.
"""

AUGMENTATIONS = ("hflip", "vflip", "rotate", "scale", "color")
ALL_AUGMENTATIONS = {name: True for name in AUGMENTATIONS}
NO_AUGMENTATION = {name: False for name in AUGMENTATIONS}

DIGITS, PHOTOS = "digits", "photos"
MNIST, FASHION_MNIST, CIFAR10 = "mnist", "fashion-mnist", "cifar10"
KINDS = (DIGITS, PHOTOS, MNIST, FASHION_MNIST, CIFAR10)  # the order --help lists them in

DATA_DEFAULTS = {
    DIGITS: {"size": 16, "channels": 1, "augment": dict(NO_AUGMENTATION)},
    PHOTOS: {"size": 64, "channels": 3, "augment": ALL_AUGMENTATIONS},
    MNIST: {"size": 32, "channels": 1, "augment": dict(NO_AUGMENTATION)},
    FASHION_MNIST: {"size": 32, "channels": 1, "augment": dict(NO_AUGMENTATION)},
    CIFAR10: {"size": 32, "channels": 3, "augment": {**NO_AUGMENTATION, "hflip": True}},
}

# Training defaults per data set and model. The AE numbers are the exercise's (Adam 0.001,
# 1000 iterations); the GANs use the DCGAN paper's Adam(0.0002, beta1 0.5), with as many
# iterations as the README's measurements showed they need (see "How to read the results").
_DIGITS_TRAINING = {
    "ae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
    "convae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
    "gan": {"iters": 6000, "lr": 0.0002, "batch_size": 64},
    "dcgan": {"iters": 2500, "lr": 0.0002, "batch_size": 64},
}
# MNIST, Fashion-MNIST and CIFAR-10 start from the digits' numbers, not yet tuned by full runs;
# the DCGAN gets 1000 iterations (of the digits' 64) because at 32x32 an iteration costs about
# 2.6 times one at 16x16 (measured with one thread: 0.74 s against 0.29 s).
_32PX_TRAINING = {**_DIGITS_TRAINING, "dcgan": {"iters": 1000, "lr": 0.0002, "batch_size": 64}}
TRAINING_DEFAULTS = {
    DIGITS: _DIGITS_TRAINING,
    PHOTOS: {
        "ae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "convae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "gan": {"iters": 1000, "lr": 0.0002, "batch_size": 32},
        "dcgan": {"iters": 600, "lr": 0.0002, "batch_size": 32},  # 9 minutes at 64x64x3
    },
    MNIST: _32PX_TRAINING,
    FASHION_MNIST: _32PX_TRAINING,
    CIFAR10: _32PX_TRAINING,
}


def data_kind(dataset, data_folder):
    """The data set's own defaults for a named data set; PHOTOS for the newts and any --data folder."""
    if data_folder is None and dataset in DATA_DEFAULTS and dataset != PHOTOS:
        return dataset
    return PHOTOS


def data_defaults(dataset, data_folder=None):
    return DATA_DEFAULTS[data_kind(dataset, data_folder)]


def training_defaults(model, dataset="digits", data_folder=None):
    return TRAINING_DEFAULTS[data_kind(dataset, data_folder)][model]


def describe(model, setting):
    """'digits 16, photos 64, mnist 32, ...': a flag's defaults for --help and the README."""
    values = []
    for kind in KINDS:
        table = TRAINING_DEFAULTS[kind][model] if setting in TRAINING_DEFAULTS[kind][model] else DATA_DEFAULTS[kind]
        values.append(f"{kind} {table[setting]}")
    return ", ".join(values)
