"""User mistakes become one clear line, never a traceback."""

import sys


class UserError(Exception):
    """A problem the user can fix: the message names the file or flag and the fix."""


def run_main(main, argv=None):
    """Run a script's main(); print a UserError as one line and exit with status 2."""
    try:
        return main(argv)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
