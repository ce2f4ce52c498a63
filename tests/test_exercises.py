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
