"""The command line shared by all sixteen scripts: same flags, same defaults, same checks."""

import argparse
from pathlib import Path

from common import defaults
from common.defaults import AUGMENTATIONS
from common.errors import UserError
from common.language import add_language_flag
from common.paths import DEFAULT_OUT

MODELS = ("ae", "convae", "gan", "dcgan")
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")


def build_parser(model, framework):
    def by_data(setting):  # e.g. "(default: digits 16, photos 64)"
        return f"(default: {defaults.describe(model, setting)})"

    parser = argparse.ArgumentParser(
        prog=f"{framework}/{model}.py",
        description=f"Train and test the {model.upper()} in {framework}. "
        "With neither --train nor --test it trains, then tests.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--train", action="store_true", help="only train (and save the checkpoint)")
    mode.add_argument("--test", action="store_true", help="only test, from the checkpoint in --out")

    training = parser.add_argument_group("training")
    # None means "the data set's default", filled in by parse_args once the data is known.
    training.add_argument("--iters", type=int, help=f"training iterations, 0 is allowed {by_data('iters')}")
    training.add_argument("--batch-size", type=int, help=f"images per mini-batch {by_data('batch_size')}")
    training.add_argument("--lr", type=float, help=f"Adam learning rate {by_data('lr')}")
    training.add_argument("--seed", type=int, default=0, help="seed for weights, batches, augmentation and noise")
    training.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out up to --iters")
    training.add_argument("--save-every", type=int, default=500, help="write the checkpoint every N iterations (0: only at the end)")
    training.add_argument("--sample-every", type=int, default=0, help="write an intermediate sample image every N iterations (0: never)")
    training.add_argument("--gif", action="store_true", help="GANs: write a GIF of the sample grid during training "
                          "(frames every --sample-every iterations, or 1/20 of the run when that is 0)")
    training.add_argument("--init-weights", type=Path, metavar="W.npz", help="start from this canonical weight file")
    training.add_argument("--export-weights", type=Path, metavar="W.npz", help="write the canonical weight file after training")

    data = parser.add_argument_group("data")
    data.add_argument("--dataset", default="digits", help="name of a folder under Dataset/ (default: the built-in digits); "
                      "mnist, fashion-mnist and cifar10 are downloaded and checked on first use")
    data.add_argument("--base-url", metavar="URL", help="a mirror for that first download of mnist, fashion-mnist or "
                      "cifar10: files are fetched from URL/<file name> (default: $MNIST_BASE_URL, "
                      "$FASHION_MNIST_BASE_URL or $CIFAR10_BASE_URL, else the official locations)")
    data.add_argument("--data", type=Path, metavar="DIR", help="training images folder (overrides --dataset)")
    data.add_argument("--test-data", type=Path, metavar="DIR", help="test images folder (overrides --dataset)")
    data.add_argument("--size", type=int, help=f"images are resized to SIZE x SIZE {by_data('size')}")
    data.add_argument("--channels", type=int, choices=(1, 3), help=f"3 for RGB, 1 for gray {by_data('channels')}")
    data.add_argument("--no-augment", action="store_true", help="switch every augmentation off (one named, e.g. --hflip, stays on)")
    whats = ("horizontal flip", "vertical flip", "rotation by any angle", "zoom (scale/crop)", "brightness/contrast")
    for name, what in zip(AUGMENTATIONS, whats):
        on = [kind for kind in defaults.KINDS if defaults.DATA_DEFAULTS[kind]["augment"][name]]
        data.add_argument(f"--{name}", action=argparse.BooleanOptionalAction,
                          help=f"switch the {what} on or off (default: on for {' and '.join(on) or 'none'})")

    output = parser.add_argument_group("output")
    output.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for images, metrics and the checkpoint")
    output.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="auto uses a GPU when the framework sees one")
    add_language_flag(parser)
    return parser



def parse_args(model, framework, argv=None):
    """Parse and check the flags; a bad value raises UserError naming the flag."""
    parser = build_parser(model, framework)
    args = parser.parse_args(argv)
    args.model, args.framework = model, framework
    fill_defaults(args)
    check_args(args)
    args.do_train = not args.test
    args.do_test = not args.train
    return args


def fill_defaults(args):
    """Give every flag left out the default of the data set in use (common/defaults.py)."""
    data = defaults.data_defaults(args.dataset, args.data)
    training = defaults.training_defaults(args.model, args.dataset, args.data)
    for setting in ("iters", "batch_size", "lr"):
        if getattr(args, setting) is None:
            setattr(args, setting, training[setting])
    for setting in ("size", "channels"):
        if getattr(args, setting) is None:
            setattr(args, setting, data[setting])
    # An augmentation named on the command line wins; then --no-augment; then the data set's choice.
    args.augment = {}
    for name in AUGMENTATIONS:
        chosen = getattr(args, name)
        if chosen is None:
            chosen = False if args.no_augment else data["augment"][name]
        args.augment[name] = chosen


def check_args(args):
    if args.iters < 0:
        raise UserError(f"--iters must be 0 or more, got {args.iters}")
    if args.seed < 0:
        raise UserError(f"--seed must be 0 or more, got {args.seed}")
    if args.batch_size < 1:
        raise UserError(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.model in ("gan", "dcgan") and args.batch_size < 2:
        raise UserError("--batch-size must be at least 2 for the GANs: BatchNorm needs two samples for a variance")
    if not args.lr > 0:
        raise UserError(f"--lr must be positive, got {args.lr}")
    if args.save_every < 0 or args.sample_every < 0:
        raise UserError("--save-every and --sample-every must be 0 or more")
    if args.size < 4:
        raise UserError(f"--size must be at least 4, got {args.size}")
    if args.model == "convae" and args.size % 4:
        raise UserError(f"--size must be a multiple of 4 for the ConvAE (two 2x poolings), got {args.size}")
    if args.model == "dcgan" and args.size % 16:
        raise UserError(f"--size must be a multiple of 16 for the DCGAN (four 2x steps), got {args.size}; try {max(16, args.size // 16 * 16)}")
    if args.init_weights is not None and not args.init_weights.is_file():
        raise UserError(f"--init-weights {args.init_weights}: no such file")
    if args.resume and args.init_weights is not None:
        raise UserError("--resume and --init-weights exclude each other: a resumed run starts from its checkpoint")
