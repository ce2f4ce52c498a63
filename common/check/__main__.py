"""`python -m common.check MODEL FILE`: the checker's command line (the checks: checks.py)."""

import argparse
import sys
from pathlib import Path

from common import language
from common.check.checks import STAGES, check_file
from common.check.support import BATCH, shown
from common.cli import FRAMEWORKS, MODELS
from common.errors import UserError, run_main
from common.language import add_language_flag, say


def main(argv=None):
    language.choose(argv)
    parser = argparse.ArgumentParser(prog="python -m common.check", description=say("check_help_description"))
    parser.add_argument("model", choices=MODELS)
    parser.add_argument("file", type=Path, help=say("check_help_file"))
    parser.add_argument("--framework", choices=FRAMEWORKS, help=say("check_help_framework"))
    parser.add_argument("--train", type=int, default=0, metavar="N", help=say("check_help_train"))
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"), help=say("check_help_device"))
    add_language_flag(parser)
    args = parser.parse_args(argv)
    framework = args.framework or args.file.resolve().parent.name
    if framework not in FRAMEWORKS:
        raise UserError(say("check_no_framework_folder", file=args.file, frameworks=", ".join(FRAMEWORKS)))
    if not args.file.is_file():
        raise UserError(say("check_no_such_file", file=args.file))
    if args.train < 0:
        raise UserError(say("check_train_negative", train=args.train))
    sys.dont_write_bytecode = True  # no __pycache__ beside the learner's file
    print(say("check_checking", file=shown(args.file), framework=framework, model=args.model, batch=BATCH), flush=True)
    _, failure = check_file(args.file, args.model, framework, args.train, args.device,
                            report=lambda name, detail: print(say("check_ok_line", check=say(STAGES[name]),
                                                                  detail=detail), flush=True))
    if failure:
        print(say("check_fail_line", check=say(STAGES[failure[0]]), sentence=failure[1]))
        return 1
    print(say("check_passed", file=shown(args.file)))
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
