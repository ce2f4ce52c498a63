"""Python 3.11 to 3.13: Chainer without numpy.distutils, and tools/setup.sh's choice of interpreter.

The setup tests use stand-in interpreters (small shell scripts that answer the version probe,
make a folder that looks like a virtual environment and log the pip commands), so they check
setup.sh's decisions in milliseconds, without installing anything and without the real Pythons.
"""

import os
import subprocess

import pytest

from conftest import PYTHON, REPO

SETUP = REPO / "tools" / "setup.sh"


# ----- Chainer's start-up check on a NumPy without numpy.distutils -------------------------------
@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_chainer_imports_where_numpy_has_no_distutils_and_leaves_no_stand_in(platform):
    # sys.modules[name] = None makes NumPy look as it does on Python 3.12 and later, so this runs
    # the stand-in on every Python. On 'darwin' Chainer's check calls the stand-in's get_info;
    # the libraries Chainer imports are imported first, on the real platform, because on 'darwin'
    # they would reach for macOS-only modules (pkg_resources) and paths (sysconfig, via scipy).
    pretend = "import pkg_resources, scipy.special; sys.platform = 'darwin'" if platform == "darwin" else "pass"
    code = f"""if True:
        import sys, warnings, numpy
        sys.modules["numpy.distutils"] = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            {pretend}
        sys.path.insert(0, "chainer")
        import chainer_compat
        import chainer
        left = [name for name in sys.modules if name.startswith("numpy.distutils")]
        print(chainer.__version__, left, hasattr(numpy, "distutils"))
    """
    # -W error: Chainer's import must not warn either (the known warnings are filtered by name).
    done = subprocess.run([PYTHON, "-W", "error", "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["7.8.1", "[]", "False"], done.stdout


# ----- tools/setup.sh --------------------------------------------------------------------------
FAKE_PYTHON = """#!/bin/sh
# Stand-in for Python {version}: the version probe, `-m venv DIR`, and a logged `-m pip ...`.
case "$1" in
  -c) echo {version} ;;
  --version) echo "Python {version}.0" ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$3/bin" && echo "version = {version}.0" > "$3/pyvenv.cfg" &&
        cp "$0" "$3/bin/python"; fi
      echo "{version} $*" >> "{log}" ;;
esac
"""


@pytest.fixture
def fakes(tmp_path):
    """Make bin/python3.10 ... bin/python3.14 stand-ins; return (bin folder, log file)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for version in ["3.10", "3.11", "3.12", "3.13", "3.14"]:
        path = bin_dir / f"python{version}"
        path.write_text(FAKE_PYTHON.format(version=version, log=log))
        path.chmod(0o755)
    return bin_dir, log


def setup(venv, python=None, path=None):
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHON", "VENV")}
    environment["VENV"] = str(venv)
    if python:
        environment["PYTHON"] = str(python)
    if path:
        environment["PATH"] = f"{path}{os.pathsep}{environment['PATH']}"
    return subprocess.run(["bash", str(SETUP)], env=environment, capture_output=True, text=True, timeout=60)


def venv_python(venv):
    return subprocess.run([str(venv / "bin" / "python"), "-c", ""], capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize("version", ["3.10", "3.14"])
def test_setup_refuses_an_unsupported_python_in_one_line(fakes, tmp_path, version):
    bin_dir, log = fakes
    done = setup(tmp_path / "venv", python=bin_dir / f"python{version}")
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert f"is Python {version}" in done.stderr
    assert "Python 3.11, 3.12 or 3.13" in done.stderr and "PYTHON=" in done.stderr
    assert not (tmp_path / "venv").exists() and not log.exists()


def test_setup_refuses_a_python_that_does_not_run(tmp_path):
    done = setup(tmp_path / "venv", python=tmp_path / "no-such-python")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "does not run" in done.stderr and "Python 3.11, 3.12 or 3.13" in done.stderr


def test_setup_picks_the_newest_supported_python_on_the_path(fakes, tmp_path):
    bin_dir, log = fakes
    done = setup(tmp_path / "venv", path=bin_dir)
    assert done.returncode == 0, done.stderr
    assert venv_python(tmp_path / "venv") == "3.13"


def test_setup_rebuilds_a_venv_made_by_another_python_and_reuses_its_own(fakes, tmp_path):
    bin_dir, log = fakes
    venv = tmp_path / "venv"
    assert setup(venv, python=bin_dir / "python3.11").returncode == 0
    (venv / "left-by-3.11").write_text("")
    installs = log.read_text().count("pip install")
    assert installs == 2  # setuptools and wheel, then requirements.txt

    done = setup(venv, python=bin_dir / "python3.12")
    assert done.returncode == 0, done.stderr
    assert "rebuilding" in done.stdout and "Python 3.11" in done.stdout
    assert not (venv / "left-by-3.11").exists(), "reused instead of rebuilt"
    assert venv_python(venv) == "3.12"
    assert log.read_text().count("3.12 -m pip install") == 2

    # Asked for nothing, or for the Python it was made by: the stamp says all is installed.
    before = log.read_text()
    for python in [None, bin_dir / "python3.12"]:
        done = setup(venv, python=python, path=bin_dir)
        assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    assert log.read_text() == before


def test_setup_rebuilds_a_venv_whose_python_no_longer_runs(fakes, tmp_path):
    bin_dir, log = fakes
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("version = 3.12.0\n")  # bin/python gone: a cut-short creation
    done = setup(venv, python=bin_dir / "python3.12")
    assert done.returncode == 0, done.stderr
    assert "no longer runs" in done.stdout and venv_python(venv) == "3.12"


def test_setup_never_deletes_a_folder_that_is_not_a_venv(fakes, tmp_path):
    bin_dir, log = fakes
    folder = tmp_path / "my-data"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me")
    done = setup(folder, python=bin_dir / "python3.12")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "not a virtual environment" in done.stderr
    assert (folder / "precious.txt").read_text() == "keep me"

