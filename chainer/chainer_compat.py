"""Lets Chainer 7.8.1 (its last release) run on NumPy 2 and Python 3.11 to 3.13. Import this before Chainer.

Only the Chainer files of this folder import it: `import chainer_compat` comes before
`import chainer`. It does three things and nothing else:

1. Restores `numpy.sctypes`, which NumPy 2.0 removed. Chainer reads `np.sctypes['int']`
   when it is imported (chainer/functions/array/as_strided.py) and `np.sctypes['float']`
   in that function's backward pass; without it `import chainer` fails with AttributeError.
   The table is NumPy 1.x's, built from the dtypes NumPy 2 still has.

2. Silences the warnings Chainer itself triggers on a current Python stack, each by its
   exact message and category (no blanket filter: any other warning still shows):
   - chainer/_environment_check.py imports `numpy.distutils` (DeprecationWarning) and
     `pkg_resources` (setuptools' UserWarning). pkg_resources must still exist: requirements.txt
     pins setuptools < 81.
   Chainer's other warnings (a CuPy version it was not made for, say) are left alone.

3. On Python 3.12 and later, where NumPy no longer ships `numpy.distutils`, imports Chainer
   behind a stand-in for `numpy.distutils.system_info` (see `_import_chainer_without_numpy_distutils`).
"""

import importlib.util
import sys
import types
import warnings

import numpy as np

if not hasattr(np, "sctypes"):  # NumPy 1.x still has it: leave it alone
    # NumPy 1.x's table (numpy/core/numerictypes.py), which Chainer indexes by kind.
    np.sctypes = {
        "int": [np.int8, np.int16, np.int32, np.int64],
        "uint": [np.uint8, np.uint16, np.uint32, np.uint64],
        "float": [np.float16, np.float32, np.float64, np.longdouble],
        "complex": [np.complex64, np.complex128, np.clongdouble],
        "others": [bool, object, bytes, str, np.void],
    }

# (category, start of the message, module that triggers it): each filter matches one warning.
KNOWN_WARNINGS = [
    (DeprecationWarning, r"\s*`numpy\.distutils` is deprecated", r"chainer\._environment_check"),
    (UserWarning, r"pkg_resources is deprecated as an API", r"chainer\._environment_check"),
]


def _ignore_known_warnings():
    for category, message, module in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category, module=module)


_ignore_known_warnings()


def _import_chainer_without_numpy_distutils():
    """Import Chainer where `numpy.distutils` does not exist (NumPy on Python 3.12 and later).

    Chainer's start-up check (chainer/_environment_check.py, run by `import chainer`) does
    `import numpy.distutils.system_info` and uses exactly one thing from it:
    `numpy.distutils.system_info.get_info('blas_opt')`, and only when sys.platform is 'darwin',
    to warn that NumPy may be linked against Apple's Accelerate. The stand-in's get_info returns
    {}, which is what the real one returns when it finds no such library. That is safe: nothing
    but that one advisory warning depends on the answer, so off macOS nothing changes at all,
    and on macOS the only difference is that the warning is not shown. No other Chainer module
    touches numpy.distutils.

    The stand-in exists only while Chainer is imported, then is removed again, so that no other
    library in the same process (the tests import all four frameworks together) mistakes it for
    the real numpy.distutils.
    """
    if "chainer" in sys.modules or importlib.util.find_spec("numpy.distutils") is not None:
        return  # already imported, or the real module is there (Python 3.11)
    stand_in = types.ModuleType("numpy.distutils")
    stand_in.system_info = types.ModuleType("numpy.distutils.system_info")
    stand_in.system_info.get_info = lambda name, notfound_action=0: {}
    added = {"numpy.distutils": stand_in, "numpy.distutils.system_info": stand_in.system_info}
    sys.modules.update(added)
    np.distutils = stand_in  # Chainer reaches get_info as numpy.distutils.system_info, attribute by attribute
    try:
        import chainer  # noqa: F401  (runs the start-up check against the stand-in)
    finally:
        for name in added:
            sys.modules.pop(name, None)
        del np.distutils


_import_chainer_without_numpy_distutils()
