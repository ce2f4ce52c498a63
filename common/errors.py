"""User mistakes become one clear line, never a traceback."""

import linecache
import os
import re
import sys
import sysconfig
from pathlib import Path

from common.language import say


class UserError(Exception):
    """A problem the user can fix: the message names the file or flag and the fix."""


def run_main(main, argv=None):
    """Run a script's main(); print a UserError or a failed allocation (out of memory) as one line
    and exit with status 2, and a part of an exercise not written yet (NotImplementedError) as one
    line with status 3."""
    try:
        return main(argv)
    except UserError as error:
        print(say("error", message=error), file=sys.stderr)
        raise SystemExit(2) from None
    except NotImplementedError as error:
        print(not_implemented_line(error), file=sys.stderr)
        raise SystemExit(3) from None
    except KeyboardInterrupt:
        print(say("interrupted"), file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as error:  # out of memory outside the training loop (the model, a grid, the test)
        from common.out_of_memory import out_of_memory_line
        line = out_of_memory_line(error)
        if line is None:
            raise
        print(say("error", message=line), file=sys.stderr)
        raise SystemExit(2) from None


# ----- an exercise's missing part (exercises/, made by tools/make_exercises.py) ----------------
WHAT = re.compile(r"not implemented yet: [^\n]*")
# tf.function re-raises an error of traced code with the user's frames written into the message
QUOTED_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<name>\w+))?')


def not_implemented_line(error):
    """`not implemented yet: <what> (see the TODO at <file>:<line>)` for a skeleton's raise;
    any other NotImplementedError as one line too, with where it was raised."""
    message = str(error)
    found = WHAT.findall(message)  # the last: tf.function quotes the raising line above the message
    if found:
        what = part_name(found[-1].rstrip()[len("not implemented yet: "):])
    else:
        what = next((line.strip() for line in message.splitlines() if line.strip()), "") or type(error).__name__
    place = raise_site(error)
    if place is None:
        return say("not_implemented", what=what)
    return say("not_implemented_at_todo" if found else "not_implemented_raised_at", what=what, place=place)


def part_name(what):
    """A skeleton's part ("the layers", "D's step") in the learner's language (common/messages/hints.py)."""
    from common.messages import MESSAGES

    key = f"part: {what}"
    return say(key) if key in MESSAGES else what


def raise_site(error):
    """'file:line' of the `raise NotImplementedError` behind `error` (else the innermost frame
    outside the installed packages and the standard library), relative to the working folder."""
    frames = [(match["file"], int(match["line"])) for match in QUOTED_FRAME.finditer(str(error))][::-1]
    traceback = error.__traceback__
    stack = []
    while traceback is not None:
        stack.append((traceback.tb_frame.f_code.co_filename, traceback.tb_lineno))
        traceback = traceback.tb_next
    frames += stack[::-1]  # innermost first
    libraries = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    ours = [(file, line) for file, line in frames if os.path.isfile(file)
            and not any(os.path.realpath(file).startswith(folder + os.sep) for folder in libraries)]
    raising = [(file, line) for file, line in ours if "raise NotImplementedError" in linecache.getline(file, line)]
    if not (raising or ours):
        return None
    file, line = (raising or ours)[0]
    try:
        file = Path(file).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        pass
    return f"{file}:{line}"
