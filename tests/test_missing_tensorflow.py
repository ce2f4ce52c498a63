"""Without TensorFlow installed, this repository's tensorflow/ folder must not pass for it.

The scripts put the repository's root on sys.path, and that root holds a folder named tensorflow/
(the TensorFlow scripts, no __init__.py). Where TensorFlow is not installed, Python imports that
folder as an empty namespace package, and Keras on the torch backend took it for TensorFlow: on a
GPU machine without TensorFlow, `KERAS_BACKEND=torch keras/dcgan.py` failed with "module
'tensorflow' has no attribute 'TensorShape'". common/quiet_tensorflow.py, which every TensorFlow
and Keras script imports first, keeps the folder out.

TensorFlow stays installed here: each run is a fresh process in which a finder placed first on
sys.meta_path makes `import tensorflow` search only the sys.path entries without a real TensorFlow,
so the folder is found exactly as on a machine without TensorFlow (the first test shows that it is).
"""

import json
import os
import subprocess
import textwrap

from conftest import PYTHON, REPO

HIDE_TENSORFLOW = textwrap.dedent("""
    import importlib.machinery, runpy, sys
    from pathlib import Path

    class TensorFlowNotInstalled:
        def find_spec(self, name, path=None, target=None):
            if name != "tensorflow":
                return None  # its submodules are looked for in what this returned
            entries = [entry for entry in sys.path if not (Path(entry or ".") / "tensorflow" / "__init__.py").is_file()]
            spec = importlib.machinery.PathFinder.find_spec(name, entries)
            if spec is None:
                raise ModuleNotFoundError("No module named 'tensorflow'", name=name)
            return spec

    sys.meta_path.insert(0, TensorFlowNotInstalled())
    if len(sys.argv) > 1:  # run a script as `python script flags...` would
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
""")


def without_tensorflow(*arguments, code="", backend="torch"):
    """Run `python <script> <flags>` (or `code`) in a process where TensorFlow is not installed."""
    return subprocess.run([PYTHON, "-c", HIDE_TENSORFLOW + code, *map(str, arguments)], cwd=REPO,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"})


def test_without_tensorflow_the_folder_imports_as_an_empty_tensorflow():
    """What the other tests stand on: in such a process the folder is what `import tensorflow` finds."""
    found = without_tensorflow(code=f"sys.path.insert(0, {str(REPO)!r})\nimport tensorflow\n"
                                    "print(getattr(tensorflow, '__file__', None), *sorted(set(tensorflow.__path__)))")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["None", str(REPO / "tensorflow")]


def test_keras_on_torch_runs_without_tensorflow(digits, tmp_path):
    out = tmp_path / "out"
    run = without_tensorflow(REPO / "keras" / "ae.py", "--size", "16", "--channels", "1", "--batch-size", "4",
                             "--iters", "2", "--device", "cpu", "--out", out)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    metrics = json.loads((out / "ae_keras_metrics.json").read_text())
    assert len(metrics["losses"]["loss"]) == 2 and "psnr" in metrics
    assert (out / "ae_keras_checkpoint.keras").is_file()  # model.save was where Keras took the folder for TensorFlow


def one_error_line(run):
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-3000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    return lines[0]


def test_keras_on_tensorflow_without_tensorflow_says_what_to_do_in_one_line(tmp_path):
    line = one_error_line(without_tensorflow(REPO / "keras" / "dcgan.py", "--out", tmp_path, backend="tensorflow"))
    assert "TensorFlow" in line and "not installed" in line and "pip install tensorflow" in line
    assert "KERAS_BACKEND=torch python keras/dcgan.py" in line


def test_a_tensorflow_script_without_tensorflow_says_so_in_one_line(tmp_path):
    line = one_error_line(without_tensorflow(REPO / "tensorflow" / "gan.py", "--out", tmp_path, backend="torch"))
    assert "TensorFlow is not installed" in line and "pip install tensorflow" in line
