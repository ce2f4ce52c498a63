"""The command line shared by all sixteen scripts: same flags, same defaults, same checks."""

import argparse
from pathlib import Path

from common import defaults
from common.defaults import AUGMENTATIONS
from common.errors import UserError
from common.language import add_language_flag, say
from common.paths import DEFAULT_OUT

MODELS = ("ae", "convae", "gan", "dcgan")
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")


def build_parser(model, framework):
    def by_data(setting):  # e.g. "digits 16, photos 64", for the "(default: ...)" of a flag's help
        return defaults.describe(model, setting)

    parser = argparse.ArgumentParser(
        prog=f"{framework}/{model}.py",
        description=say("cli_description", model=model.upper(), framework=framework),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--train", action="store_true", help=say("help_train"))
    mode.add_argument("--test", action="store_true", help=say("help_test"))

    training = parser.add_argument_group(say("group_training"))
    # None means "the data set's default", filled in by parse_args once the data is known.
    training.add_argument("--iters", type=int, help=say("help_iters", defaults=by_data("iters")))
    training.add_argument("--batch-size", type=int, help=say("help_batch_size", defaults=by_data("batch_size")))
    training.add_argument("--lr", type=float, help=say("help_lr", defaults=by_data("lr")))
    training.add_argument("--seed", type=int, default=0, help=say("help_seed"))
    training.add_argument("--resume", action="store_true", help=say("help_resume"))
    training.add_argument("--save-every", type=int, default=500, help=say("help_save_every"))
    training.add_argument("--sample-every", type=int, default=0, help=say("help_sample_every"))
    training.add_argument("--gif", action="store_true", help=say("help_gif"))
    training.add_argument("--init-weights", type=Path, metavar="W.npz", help=say("help_init_weights"))
    training.add_argument("--export-weights", type=Path, metavar="W.npz", help=say("help_export_weights"))

    data = parser.add_argument_group(say("group_data"))
    data.add_argument("--dataset", default="digits", help=say("help_dataset"))
    data.add_argument("--base-url", metavar="URL", help=say("help_base_url"))
    data.add_argument("--data", type=Path, metavar="DIR", help=say("help_data"))
    data.add_argument("--test-data", type=Path, metavar="DIR", help=say("help_test_data"))
    data.add_argument("--size", type=int, help=say("help_size", defaults=by_data("size")))
    data.add_argument("--channels", type=int, choices=(1, 3), help=say("help_channels", defaults=by_data("channels")))
    data.add_argument("--no-augment", action="store_true", help=say("help_no_augment"))
    for name in AUGMENTATIONS:
        on = [kind for kind in defaults.KINDS if defaults.DATA_DEFAULTS[kind]["augment"][name]]
        what = say(f"augmentation_{name}")
        data.add_argument(f"--{name}", action=argparse.BooleanOptionalAction,
                          help=say("help_augmentation", what=what, kinds=say("list_and").join(on)) if on
                          else say("help_augmentation_never", what=what))

    output = parser.add_argument_group(say("group_output"))
    output.add_argument("--out", type=Path, default=DEFAULT_OUT, help=say("help_out"))
    output.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help=say("help_device"))
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
        raise UserError(say("bad_iters", value=args.iters))
    if args.seed < 0:
        raise UserError(say("bad_seed", value=args.seed))
    if args.batch_size < 1:
        raise UserError(say("bad_batch_size", value=args.batch_size))
    if args.model in ("gan", "dcgan") and args.batch_size < 2:
        raise UserError(say("bad_gan_batch_size"))
    if not args.lr > 0:
        raise UserError(say("bad_lr", value=args.lr))
    if args.save_every < 0 or args.sample_every < 0:
        raise UserError(say("bad_every"))
    if args.size < 4:
        raise UserError(say("bad_size", value=args.size))
    if args.model == "convae" and args.size % 4:
        raise UserError(say("bad_size_convae", value=args.size))
    if args.model == "dcgan" and args.size % 16:
        raise UserError(say("bad_size_dcgan", value=args.size, suggestion=max(16, args.size // 16 * 16)))
    if args.init_weights is not None and not args.init_weights.is_file():
        raise UserError(say("no_init_weights_file", path=args.init_weights))
    if args.resume and args.init_weights is not None:
        raise UserError(say("resume_with_init_weights"))
