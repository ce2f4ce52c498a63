"""Python 3.11 to 3.13: Chainer without numpy.distutils."""

import subprocess

import pytest

from conftest import PYTHON, REPO


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
        from common import chainer_compat
        import chainer
        left = [name for name in sys.modules if name.startswith("numpy.distutils")]
        print(chainer.__version__, left, hasattr(numpy, "distutils"))
    """
    # -W error: Chainer's import must not warn either (the known warnings are filtered by name).
    done = subprocess.run([PYTHON, "-W", "error", "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["7.8.1", "[]", "False"], done.stdout
