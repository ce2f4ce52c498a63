"""The exercise skeletons, exercises/<framework>/<model>.py, made from the sixteen answers.

An answer marks each part a learner writes with one comment line at the start of that part:

    # exercise: <what> -- <hint>

The part runs from the marker to the end of the block the marker is in (up to the first line
indented less than the marker, blank lines at its end left out). In the skeleton the marker
stays, its Japanese follows it, and the part becomes

    # 課題: <部分> -- <ヒント>
    # TODO: write <what> here, in place of the raise below
    raise NotImplementedError("not implemented yet: <what>")

so that the skeleton still imports, defines every name of common/contract.py, and stops with
one line naming the first missing part when the harness reaches it (common/errors.py). The
rest of the skeleton is its answer's, line for line, but for the path setup: from
exercises/<framework>/ the repository is two folders up, and the framework's support modules
are in <repository>/<framework>/.

The Japanese line comes from common/messages/hints.py: <部分> from the key "part: <what>" (the
name common/errors.py shows in the 未実装 line too), <ヒント> from "hint: <framework>/<model>:
<what>", whose "en" must be the marker's hint as written. A marker without both, or whose hint
changed since its translation, stops the tool with one line naming the answer, the line and the
key to write: no skeleton ships a hint in English only.

    python tools/make_exercises.py           # write all sixteen skeletons
    python tools/make_exercises.py --check   # exit 1 naming those out of date (tests/test_exercises.py)

Never edit a skeleton by hand: edit the answer (and its markers), then run this tool.
"""

import argparse
import ast
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # common.messages, for the Japanese of the hints
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")
MODELS = ("ae", "convae", "gan", "dcgan")
MARKER = re.compile(r"^(?P<indent> *)# exercise: (?P<what>.+?) -- (?P<hint>.+)$")
ANSWER_PATH = "sys.path[:0] = [str(HERE.parent), str(HERE)]"
SKELETON_PATH = 'sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "{framework}")]'
JAPANESE_MARKER = "# 課題: {part} -- {hint}"
CATALOGUE = "common/messages/hints.py"


class MarkerError(ValueError):
    """A marker the tool cannot turn into a skeleton part: the message names the file and line."""


@dataclass
class Exercise:
    marker: int  # the marker's line index (0-based)
    end: int  # one past the part's last line
    indent: str
    what: str
    hint: str


def exercises(lines, name="answer"):
    """The marked parts of an answer's lines, in order; a MarkerError for a malformed one."""
    found = []
    for index, line in enumerate(lines):
        if "# exercise:" not in line:
            continue
        match = MARKER.match(line)
        if not match:
            raise MarkerError(f"{name}:{index + 1}: write a marker as its own line: '# exercise: <what> -- <hint>'")
        if found and index < found[-1].end:
            raise MarkerError(f"{name}:{index + 1}: a marker inside the exercise of line {found[-1].marker + 1}")
        indent, what = match["indent"], match["what"]
        if '"' in what or "\\" in what:
            raise MarkerError(f'{name}:{index + 1}: <what> goes into a string: no " or \\ in it')
        if any(exercise.what == what for exercise in found):
            raise MarkerError(f"{name}:{index + 1}: a second exercise called {what!r}")
        end = index + 1
        for later in range(index + 1, len(lines)):
            text = lines[later]
            if text.strip() and len(text) - len(text.lstrip(" ")) < len(indent):
                break
            if text.strip():
                end = later + 1
        body = "\n".join(lines[index + 1:end])
        if not body.strip():
            raise MarkerError(f"{name}:{index + 1}: the exercise {what!r} is empty (the marker ends its block)")
        try:
            ast.parse(textwrap.dedent(body))
        except SyntaxError as error:
            raise MarkerError(f"{name}:{index + 1}: the exercise {what!r} is not whole statements ({error.msg})") from None
        found.append(Exercise(index, end, indent, what, match["hint"]))
    return found


def part_key(what):
    return f"part: {what}"


def hint_key(framework, model, what):
    return f"hint: {framework}/{model}: {what}"


def catalogue_text(catalogue, key, english, what, shown, name, exercise):
    """The Japanese of `key`, whose English must be `english`; a MarkerError naming the answer's
    line and the key to write (`what` it is and its en `shown`) when it is missing or out of date."""
    where = f"{name}:{exercise.marker + 1}"
    entry = catalogue.get(key)
    if entry is None or "ja" not in entry or "en" not in entry:
        raise MarkerError(f'{where}: {what} has no Japanese: add {key!r} to {CATALOGUE} as '
                          f'{{"en": {shown}, "ja": <its Japanese>}}')
    try:
        written, japanese = entry["en"].format(), entry["ja"].format()  # the catalogue's texts are templates
    except (IndexError, KeyError, ValueError):
        raise MarkerError(f"{where}: {key!r} in {CATALOGUE}: write a brace of the code as {{{{ or }}}}") from None
    if written != english:
        raise MarkerError(f"{where}: {what} changed since its translation: update {key!r} in {CATALOGUE}, "
                          f"en and ja, to {english!r}")
    if "\n" in japanese or not japanese.strip():
        raise MarkerError(f"{where}: {key!r} in {CATALOGUE}: the Japanese must be one line, not empty")
    return japanese


def japanese_marker(exercise, framework, model, name, catalogue):
    """The `# 課題:` line under a marker, from the catalogue."""
    part = catalogue_text(catalogue, part_key(exercise.what), exercise.what, f"the part {exercise.what!r}",
                          repr(exercise.what), name, exercise)
    hint = catalogue_text(catalogue, hint_key(framework, model, exercise.what), exercise.hint,
                          f"the hint of {exercise.what!r}", "<the hint on that line>", name, exercise)
    return exercise.indent + JAPANESE_MARKER.format(part=part, hint=hint)


def default_catalogue():
    from common.messages import MESSAGES  # read when a skeleton is made, so that tests may add to it

    return MESSAGES


def skeleton(answer, framework, model, name="answer", catalogue=None):
    """The skeleton's text for an answer's text."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    lines = answer.splitlines()
    if sum(line.startswith(ANSWER_PATH) for line in lines) != 1:
        raise MarkerError(f"{name}: no single line starting {ANSWER_PATH!r} to point at the repository from exercises/")
    out, done = [], 0
    for exercise in exercises(lines, name):
        out += lines[done:exercise.marker + 1]
        out += [japanese_marker(exercise, framework, model, name, catalogue),
                f"{exercise.indent}# TODO: write {exercise.what} here, in place of the raise below",
                f'{exercise.indent}raise NotImplementedError("not implemented yet: {exercise.what}")']
        done = exercise.end
    out += lines[done:]
    out = [SKELETON_PATH.format(framework=framework) + line[len(ANSWER_PATH):] if line.startswith(ANSWER_PATH) else line
           for line in out]
    text = "\n".join(out) + "\n"
    compile(text, name, "exec")  # a skeleton that would not even import is the tool's bug, not the learner's
    return text


def answer_path(root, framework, model):
    return root / framework / f"{model}.py"


def skeleton_path(root, framework, model):
    return root / "exercises" / framework / f"{model}.py"


def expected(root=REPO, catalogue=None):
    """{skeleton path: the text this tool writes there} for all sixteen; the Japanese comes from
    `catalogue` (common/messages of this repository, whatever `root` is, by default)."""
    texts = {}
    for framework in FRAMEWORKS:
        for model in MODELS:
            answer = answer_path(root, framework, model)
            texts[skeleton_path(root, framework, model)] = skeleton(answer.read_text(), framework, model,
                                                                    answer.relative_to(root).as_posix(), catalogue)
    return texts


def stale(root=REPO, texts=None):
    """The skeletons (relative paths) missing or different from what the tool would write."""
    texts = expected(root) if texts is None else texts
    return [path.relative_to(root).as_posix() for path, text in texts.items()
            if not path.is_file() or path.read_text() != text]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the skeletons out of date")
    parser.add_argument("--root", type=Path, default=REPO, help=argparse.SUPPRESS)  # the tests' copies of the repository
    args = parser.parse_args(argv)
    try:
        texts = expected(args.root)
    except MarkerError as error:
        print(f"error: {error}", file=sys.stderr)  # one line: the answer, its line, what to write
        return 2
    if args.check:
        old = stale(args.root, texts)
        if old:
            print("out of date (run python tools/make_exercises.py): " + ", ".join(old), file=sys.stderr)
            return 1
        print(f"the {len(texts)} skeletons in exercises/ are up to date")
        return 0
    written = 0
    for path, text in texts.items():
        if not path.is_file() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written += 1
    print(f"wrote {written} of the {len(texts)} skeletons in exercises/" + ("" if written else " (all were up to date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
