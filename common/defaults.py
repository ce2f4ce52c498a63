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

Every value here can be overridden by its flag; metrics.json records what a run used.
"""

AUGMENTATIONS = ("hflip", "vflip", "rotate", "scale", "color")
ALL_AUGMENTATIONS = {name: True for name in AUGMENTATIONS}

DIGITS, PHOTOS = "digits", "photos"

DATA_DEFAULTS = {
    DIGITS: {"size": 16, "channels": 1, "augment": {name: False for name in AUGMENTATIONS}},
    PHOTOS: {"size": 64, "channels": 3, "augment": ALL_AUGMENTATIONS},
}

# Training defaults per data set and model. The AE numbers are the exercise's (Adam 0.001,
# 1000 iterations); the GANs use the DCGAN paper's Adam(0.0002, beta1 0.5), with as many
# iterations as the README's measurements showed they need (see "How to read the results").
TRAINING_DEFAULTS = {
    DIGITS: {
        "ae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "convae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "gan": {"iters": 6000, "lr": 0.0002, "batch_size": 64},
        "dcgan": {"iters": 1500, "lr": 0.0002, "batch_size": 32},
    },
    PHOTOS: {
        "ae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "convae": {"iters": 1000, "lr": 0.001, "batch_size": 32},
        "gan": {"iters": 1000, "lr": 0.0002, "batch_size": 32},
        "dcgan": {"iters": 600, "lr": 0.0002, "batch_size": 32},  # 9 minutes at 64x64x3
    },
}


def data_kind(dataset, data_folder):
    """DIGITS for the built-in digits, PHOTOS for the newts and any other folder."""
    return DIGITS if data_folder is None and dataset == "digits" else PHOTOS


def data_defaults(dataset, data_folder=None):
    return DATA_DEFAULTS[data_kind(dataset, data_folder)]


def training_defaults(model, dataset="digits", data_folder=None):
    return TRAINING_DEFAULTS[data_kind(dataset, data_folder)][model]


def describe(model, setting):
    """'digits 16, photos 64': a flag's defaults for --help and the README."""
    values = []
    for kind in (DIGITS, PHOTOS):
        table = TRAINING_DEFAULTS[kind][model] if setting in TRAINING_DEFAULTS[kind][model] else DATA_DEFAULTS[kind]
        values.append(f"{kind} {table[setting]}")
    return ", ".join(values)
