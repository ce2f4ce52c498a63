"""The command line shared by all sixteen scripts: same flags, same defaults, same checks."""

import argparse
from pathlib import Path

from common.errors import UserError
from common.paths import DEFAULT_OUT

MODELS = ("ae", "convae", "gan", "dcgan")
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")

# Per-model defaults. The AE numbers are the seed's (Adam 0.001, 1000 iterations);
# the GAN numbers are the DCGAN paper's (Adam 0.0002, beta1 0.5).
DEFAULTS = {
    "ae": {"iters": 1000, "lr": 0.001},
    "convae": {"iters": 1000, "lr": 0.001},
    "gan": {"iters": 1000, "lr": 0.0002},
    "dcgan": {"iters": 200, "lr": 0.0002},
}

AUGMENTATIONS = ("hflip", "vflip", "rotate", "scale", "color")


def build_parser(model, framework):
    defaults = DEFAULTS[model]
    parser = argparse.ArgumentParser(
        prog=f"{framework}/{model}.py",
        description=f"Train and test the {model.upper()} in {framework}. "
        "With neither --train nor --test it trains, then tests.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--train", action="store_true", help="only train (and save the checkpoint)")
    mode.add_argument("--test", action="store_true", help="only test, from the checkpoint in --out")

    training = parser.add_argument_group("training")
    training.add_argument("--iters", type=int, default=defaults["iters"], help="training iterations (0 is allowed)")
    training.add_argument("--batch-size", type=int, default=32, help="images per mini-batch")
    training.add_argument("--lr", type=float, default=defaults["lr"], help="Adam learning rate")
    training.add_argument("--seed", type=int, default=0, help="seed for weights, batches, augmentation and noise")
    training.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out up to --iters")
    training.add_argument("--save-every", type=int, default=500, help="write the checkpoint every N iterations (0: only at the end)")
    training.add_argument("--sample-every", type=int, default=0, help="write an intermediate sample image every N iterations (0: never)")
    training.add_argument("--init-weights", type=Path, metavar="W.npz", help="start from this canonical weight file")
    training.add_argument("--export-weights", type=Path, metavar="W.npz", help="write the canonical weight file after training")

    data = parser.add_argument_group("data")
    data.add_argument("--dataset", default="digits", help="name of a folder under Dataset/ (default: the built-in digits)")
    data.add_argument("--data", type=Path, metavar="DIR", help="training images folder (overrides --dataset)")
    data.add_argument("--test-data", type=Path, metavar="DIR", help="test images folder (overrides --dataset)")
    data.add_argument("--size", type=int, default=64, help="images are resized to SIZE x SIZE")
    data.add_argument("--channels", type=int, default=3, choices=(1, 3), help="3 for RGB, 1 for gray")
    data.add_argument("--no-augment", action="store_true", help="switch every augmentation off")
    for name, what in zip(AUGMENTATIONS, ("horizontal flip", "vertical flip", "rotation", "scale/crop", "brightness/contrast")):
        data.add_argument(f"--no-{name}", action="store_true", help=f"switch the {what} off")

    output = parser.add_argument_group("output")
    output.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for images, metrics and the checkpoint")
    output.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="auto uses a GPU when the framework sees one")
    return parser


def parse_args(model, framework, argv=None):
    """Parse and check the flags; a bad value raises UserError naming the flag."""
    parser = build_parser(model, framework)
    args = parser.parse_args(argv)
    args.model, args.framework = model, framework
    check_args(args)
    args.augment = {name: not (args.no_augment or getattr(args, f"no_{name}")) for name in AUGMENTATIONS}
    args.do_train = not args.test
    args.do_test = not args.train
    return args


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
