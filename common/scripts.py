"""Importing a script file as a module: how the tests, tools/parity.py, tools/benchmark.py and the
answer checker drive a script through common/contract.py, without running its main()."""

import importlib.util
import sys

from common.contract import bind
from common.paths import REPO_ROOT


def import_file(path, name):
    """The module of the Python file at `path`, registered as `name` (imported once per process)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it, as a normal import does
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_script(framework, model):
    """e.g. keras/dcgan.py, imported as the module keras_dcgan (each script puts its own folder on
    sys.path) and bound to its plumbing (common/contract.bind)."""
    return bind(import_file(REPO_ROOT / framework / f"{model}.py", f"{framework}_{model}"))
