"""The exercise skeletons, exercises/<framework>/<model>.py, made from the answers by
tools/make_exercises.py: up to date, their answers line for line outside the marked parts, each
hint followed by its Japanese (common/messages/hints.py), and each stops with one line naming the
part not written yet (exit status 3, in Japanese under a Japanese locale), never a traceback."""

import ast
import inspect
import os
import re
import shutil
import subprocess

import pytest

from common.contract import bind
from common.errors import UserError, run_main
from common.messages import MESSAGES
from common.scripts import import_file
from conftest import FRAMEWORKS, MODELS, PYTHON, REPO

MARKER = re.compile(r"^( *)# exercise: (.+?) -- .+$")
JAPANESE_MARKER = re.compile(r"^( *)# 課題: (.+?) -- (.+)$")
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]")  # as tests/test_messages.py
PATH_LINE = "sys.path[:0] = "


def load_tool():
    return import_file(REPO / "tools" / "make_exercises.py", "make_exercises")


make_exercises = load_tool()


def load_skeleton(framework, model):
    return import_file(REPO / "exercises" / framework / f"{model}.py", f"exercise_{framework}_{model}")


def marked_functions(source):
    """{what: qualified name of the function whose body the marker is in} ("Generator.__init__")."""
    lines = source.splitlines()
    functions = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if isinstance(child, ast.FunctionDef):
                    functions.append((child.lineno, child.end_lineno, name))
                visit(child, name + ".")

    visit(ast.parse(source), "")
    found = {}
    for number, line in enumerate(lines, 1):
        match = MARKER.match(line)
        if match:
            inner = [name for first, last, name in functions if first < number <= last]
            found[match[2]] = inner[-1] if inner else None
    return found


# ----- made by the tool, and only there -------------------------------------------------------
def test_the_skeletons_are_up_to_date():
    done = subprocess.run([PYTHON, str(REPO / "tools" / "make_exercises.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def copy_of_the_scripts(root):
    for framework in FRAMEWORKS:
        for folder in (root / framework, root / "exercises" / framework):
            folder.mkdir(parents=True)
        for model in MODELS:
            shutil.copy(REPO / framework / f"{model}.py", root / framework / f"{model}.py")
            shutil.copy(REPO / "exercises" / framework / f"{model}.py", root / "exercises" / framework / f"{model}.py")


def test_the_check_names_a_skeleton_edited_by_hand_a_missing_one_and_a_changed_marker(tmp_path, capsys, monkeypatch):
    copy_of_the_scripts(tmp_path)
    # a part renamed in an answer needs its Japanese too, or the tool stops (tools/make_exercises.py)
    monkeypatch.setitem(MESSAGES, "part: D's half", {"en": "D's half", "ja": "識別器 D の半分"})
    monkeypatch.setitem(MESSAGES, "hint: pytorch/dcgan: D's half", MESSAGES["hint: pytorch/dcgan: D's step"])
    check = ["--check", "--root", str(tmp_path)]
    assert make_exercises.main(check) == 0
    edited = tmp_path / "exercises" / "keras" / "gan.py"
    edited.write_text(edited.read_text().replace("raise NotImplementedError", "pass  # raise NotImplementedError", 1))
    (tmp_path / "exercises" / "chainer" / "ae.py").unlink()
    answer = tmp_path / "pytorch" / "dcgan.py"
    answer.write_text(answer.read_text().replace("# exercise: D's step -- ", "# exercise: D's half -- "))
    capsys.readouterr()
    assert make_exercises.main(check) == 1
    named = capsys.readouterr().err
    for stale in ("exercises/keras/gan.py", "exercises/chainer/ae.py", "exercises/pytorch/dcgan.py"):
        assert stale in named
    assert "exercises/pytorch/ae.py" not in named
    assert make_exercises.main(["--root", str(tmp_path)]) == 0  # rewriting makes them current again
    assert make_exercises.main(check) == 0
    assert 'raise NotImplementedError("not implemented yet: D\'s half")' in \
        (tmp_path / "exercises" / "pytorch" / "dcgan.py").read_text()


@pytest.mark.parametrize("source, problem", [
    ("def f():\n    x = 1\n    # exercise: x -- a hint\n\n\ndef g():\n    pass\n", "is empty"),
    ("def f():\n    return g(1,\n             # exercise: x -- a hint\n             2)\n", "not whole statements"),
    ('def f():\n    # exercise: the "x" -- a hint\n    return 1\n', "no \" or"),
    ("def f():\n    # exercise: x -- a\n    return 1\n\n\ndef g():\n    # exercise: x -- b\n    return 2\n", "a second"),
    ("def f():\n    return 1  # exercise: x -- a hint\n", "its own line"),
])
def test_a_marker_the_tool_cannot_use_is_refused_with_its_line(source, problem):
    with pytest.raises(make_exercises.MarkerError, match=re.escape(problem)):
        make_exercises.exercises(source.splitlines(), "answer.py")


def without_exercises(lines, skeleton):
    """The lines with each marked part left out (the marker kept): in an answer everything up
    to the end of the marker's block, in a skeleton the Japanese hint, the TODO and the raise."""
    kept, index = [], 0
    while index < len(lines):
        line = lines[index]
        kept.append(line)
        index += 1
        match = MARKER.match(line)
        if not match:
            continue
        indent = match[1]
        if skeleton:
            assert JAPANESE_MARKER.match(lines[index]) and lines[index].startswith(f"{indent}# 課題: ")
            assert lines[index + 1] == f"{indent}# TODO: write {match[2]} here, in place of the raise below"
            assert lines[index + 2] == f'{indent}raise NotImplementedError("not implemented yet: {match[2]}")'
            index += 3
            continue
        while index < len(lines) and (not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip(" ")) >= len(indent)):
            index += 1
        while not lines[index - 1].strip():  # blank lines after the part are not in it
            index -= 1
    return kept


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_each_skeleton_is_its_answer_outside_the_marked_parts(framework, model):
    answer = without_exercises((REPO / framework / f"{model}.py").read_text().splitlines(), skeleton=False)
    skeleton = without_exercises((REPO / "exercises" / framework / f"{model}.py").read_text().splitlines(), skeleton=True)
    assert len(answer) == len(skeleton)
    different = [(mine, theirs) for mine, theirs in zip(answer, skeleton) if mine != theirs]
    # The one line allowed to differ: the skeleton finds common/ and the support module two folders up.
    assert len(different) == 1 and all(line.startswith(PATH_LINE) for line in different[0]), different
    assert f'str(HERE.parents[1] / "{framework}")' in different[0][1]


# ----- the Japanese under each hint (common/messages/hints.py) -------------------------------
def japanese_of(key):
    assert key in MESSAGES, f"no {key!r} in common/messages/hints.py"
    return MESSAGES[key]["ja"].format()


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_hint_of_a_skeleton_is_followed_by_its_japanese(framework, model):
    lines = (REPO / "exercises" / framework / f"{model}.py").read_text().splitlines()
    markers = [number for number, line in enumerate(lines) if MARKER.match(line)]
    assert markers, "no # exercise: line"
    for number in markers:
        indent, what = MARKER.match(lines[number]).groups()
        below = JAPANESE_MARKER.match(lines[number + 1])
        assert below and below[1] == indent, f"line {number + 2}: no '# 課題:' line under the hint: {lines[number + 1]!r}"
        assert JAPANESE.search(below[2]) and JAPANESE.search(below[3]), f"line {number + 2} is not Japanese"
        assert below[2] == japanese_of(f"part: {what}")
        assert below[3] == japanese_of(f"hint: {framework}/{model}: {what}")


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_part_a_skeleton_raises_has_a_japanese_name(framework, model):
    source = (REPO / "exercises" / framework / f"{model}.py").read_text()
    raised = re.findall(r'raise NotImplementedError\("not implemented yet: (.+?)"\)', source)
    assert raised
    for what in raised:
        key = f"part: {what}"
        assert key in MESSAGES, f"add {key!r} to common/messages/hints.py"
        assert MESSAGES[key]["en"] == what and JAPANESE.search(MESSAGES[key]["ja"])


def test_every_hint_translation_belongs_to_a_marker():
    """No translation outlives its hint: each "hint: <framework>/<model>: <part>" key names a marker."""
    marked = {f"hint: {framework}/{model}: {what}" for framework in FRAMEWORKS for model in MODELS
              for what in marked_functions((REPO / framework / f"{model}.py").read_text())}
    parts = {key.split(": ", 2)[2] for key in marked}
    assert sorted(key for key in MESSAGES if key.startswith("hint: ") and key not in marked) == []
    assert sorted(key for key in MESSAGES if key.startswith("part: ") and key[len("part: "):] not in parts) == []


def test_a_hint_without_japanese_stops_the_tool_naming_the_line_and_the_key(tmp_path, capsys, monkeypatch):
    copy_of_the_scripts(tmp_path)
    line = next(number for number, text in enumerate((REPO / "keras" / "gan.py").read_text().splitlines(), 1)
                if "# exercise: D's step -- " in text)
    before = {path: path.read_bytes() for path in (tmp_path / "exercises").rglob("*.py")}
    for key, problem in [("hint: keras/gan: D's step", "the hint of \"D's step\" has no Japanese"),
                         ("part: D's step", "the part \"D's step\" has no Japanese")]:
        with monkeypatch.context() as patch:
            patch.delitem(MESSAGES, key)
            capsys.readouterr()
            assert make_exercises.main(["--root", str(tmp_path)]) == 2
            error = capsys.readouterr().err
        assert error.count("\n") == 1, error  # one line
        first = "keras/gan.py" if key.startswith("hint") else "pytorch/gan.py"  # the first answer to use the key
        place = line if key.startswith("hint") else next(
            number for number, text in enumerate((REPO / "pytorch" / "gan.py").read_text().splitlines(), 1)
            if "# exercise: D's step -- " in text)
        assert error.startswith(f"error: {first}:{place}: {problem}: add {key!r} to common/messages/hints.py"), error
    # a hint changed in the answer is no longer what its Japanese translates
    answer = tmp_path / "keras" / "gan.py"
    answer.write_text(answer.read_text().replace("# exercise: D's step -- stop_gradient", "# exercise: D's step -- tf.stop_gradient"))
    capsys.readouterr()
    assert make_exercises.main(["--root", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: keras/gan.py:{line}: the hint of \"D's step\" changed since its translation: "
                            f"update \"hint: keras/gan: D's step\""), error
    assert {path: path.read_bytes() for path in (tmp_path / "exercises").rglob("*.py")} == before  # nothing written


def test_a_skeleton_names_its_missing_part_in_japanese_under_a_japanese_locale(tmp_path):
    environment = {name: value for name, value in os.environ.items() if name not in ("LC_ALL", "LC_MESSAGES")}
    environment.update(LANG="ja_JP.UTF-8", OMP_NUM_THREADS="1")
    done = subprocess.run([PYTHON, "exercises/pytorch/gan.py", "--iters", "1", "--out", str(tmp_path / "run")],
                          cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    found = re.fullmatch(r"未実装: (.+)（exercises/pytorch/gan\.py:(\d+) の TODO を埋めてください）", last)
    assert found, done.stderr
    assert found[1] == japanese_of("part: G's layers") == "生成器 G の層の定義"
    skeleton = (REPO / "exercises" / "pytorch" / "gan.py").read_text().splitlines()
    assert skeleton[int(found[2]) - 1].strip() == 'raise NotImplementedError("not implemented yet: G\'s layers")'
    assert skeleton[int(found[2]) - 3].strip().startswith(f"# 課題: {found[1]} -- ")  # the hint above names it the same


# ----- what is marked ------------------------------------------------------------------------
def required_exercises(framework, model):
    """The functions whose bodies every answer marks: the network and the training step(s)."""
    if framework == "keras":
        if model in ("ae", "convae"):
            return {"build_model", "train_step"}
        return {"build_generator", "build_discriminator", "GAN.discriminator_step", "GAN.generator_step", "GAN.train_step"}
    forward = "__call__" if framework == "tensorflow" else "forward"
    iteration = "compiled_train_step" if framework == "tensorflow" else "train_step"
    if model in ("ae", "convae"):
        network = "AutoEncoder" if model == "ae" else "ConvAutoEncoder"
        return {f"{network}.__init__", f"{network}.{forward}", iteration}
    return {f"{network}.{method}" for network in ("Generator", "Discriminator") for method in ("__init__", forward)} \
        | {"discriminator_step", "generator_step", iteration}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_answer_marks_its_network_and_its_steps(framework, model):
    marked = marked_functions((REPO / framework / f"{model}.py").read_text())
    assert None not in marked.values(), "a marker outside any function"
    assert required_exercises(framework, model) <= set(marked.values()), sorted(marked.values())
    assert len(make_exercises.exercises((REPO / framework / f"{model}.py").read_text().splitlines())) == len(marked)


# ----- the skeletons run, and stop at the first missing part ---------------------------------
def function_at(module, qualified):
    owner, _, name = qualified.rpartition(".")
    return getattr(getattr(module, owner), name) if owner else getattr(module, name)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_skeleton_imports_and_each_missing_part_raises_its_name(framework, model):
    script = bind(load_skeleton(framework, model))  # the skeleton with its framework's plumbing
    assert (script.MODEL, script.FRAMEWORK) == (model, framework)
    marked = marked_functions((REPO / "exercises" / framework / f"{model}.py").read_text())
    device = script.choose_device("cpu")
    with script.running_on(device):
        with pytest.raises(NotImplementedError, match="not implemented yet: "):
            script.build_model(16, 1, device)  # where the harness first needs a missing part
        for what, qualified in marked.items():
            function = function_at(script, qualified)
            parameters = inspect.signature(getattr(function, "python_function", function)).parameters  # tf.function too
            arguments = [None] * sum(parameter.default is inspect.Parameter.empty for parameter in parameters.values())
            if qualified.endswith(".__init__"):  # the part follows super().__init__(): a real object
                owner = getattr(script, qualified.rpartition(".")[0])
                arguments[0] = owner.__new__(owner)
            with pytest.raises(NotImplementedError, match=re.escape(f"not implemented yet: {what}")):
                function(*arguments)


@pytest.fixture(scope="module")
def skeleton_runs(digits, tmp_path_factory):
    """exercises/<framework>/dcgan.py run as a user runs it, the four at once."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}
    runs = {}
    for framework in FRAMEWORKS:
        out = tmp_path_factory.mktemp(f"exercise_{framework}")
        command = [PYTHON, f"exercises/{framework}/dcgan.py", "--iters", "1", "--size", "16", "--channels", "1", "--out", out]
        runs[framework] = subprocess.Popen(list(map(str, command)), cwd=REPO, env=environment, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return {framework: (process, *process.communicate(timeout=300)) for framework, process in runs.items()}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_skeleton_run_stops_with_one_line_and_status_3(framework, skeleton_runs):
    process, stdout, stderr = skeleton_runs[framework]
    assert process.returncode == 3, stderr
    assert "Traceback" not in stderr + stdout
    lines = [line for line in stderr.splitlines() if "not implemented yet" in line]
    assert len(lines) == 1 and lines[0] == stderr.strip().splitlines()[-1], stderr
    found = re.fullmatch(rf"not implemented yet: (G's layers|the generator) \(see the TODO at exercises/{framework}/dcgan\.py:(\d+)\)",
                         lines[0])
    assert found, lines[0]
    skeleton = (REPO / "exercises" / framework / "dcgan.py").read_text().splitlines()
    assert skeleton[int(found[2]) - 1].strip() == f'raise NotImplementedError("not implemented yet: {found[1]}")'


# ----- common/errors.run_main ----------------------------------------------------------------
def exit_of(main, capsys):
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        run_main(main)
    return stopped.value.code, capsys.readouterr().err


def test_run_main_says_what_is_not_implemented_and_where_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)

    def main(argv):
        raise NotImplementedError("not implemented yet: the layers")
    line = inspect.getsourcelines(main)[1] + 1
    assert exit_of(main, capsys) == (3, f"not implemented yet: the layers (see the TODO at tests/test_exercises.py:{line})\n")

    # tf.function re-raises with the user's frame quoted in the message: the quoted raise is the place
    traced = tmp_path / "traced.py"
    traced.write_text("def step():\n    raise NotImplementedError(\"not implemented yet: D's step\")\n")
    message = (f'in user code:\n\n    File "{traced}", line 2, in step  *\n        raise NotImplementedError('
               f'"not implemented yet: D\'s step")\n\n    NotImplementedError: not implemented yet: D\'s step\n')

    def main(argv):
        raise NotImplementedError(message)
    assert exit_of(main, capsys) == (3, f"not implemented yet: D's step (see the TODO at {traced}:2)\n")

    def main(argv):
        raise NotImplementedError("an abstract method\nwith more lines")
    status, text = exit_of(main, capsys)
    assert status == 3 and re.fullmatch(r"not implemented yet: an abstract method \(raised at tests/test_exercises\.py:\d+\)\n", text)

    def main(argv):
        raise UserError("--size 15: not a multiple of 16")
    assert exit_of(main, capsys) == (2, "error: --size 15: not a multiple of 16\n")

    def main(argv):
        raise KeyboardInterrupt
    assert exit_of(main, capsys) == (130, "interrupted\n")
