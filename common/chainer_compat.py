"""Lets Chainer 7.8.1 (its last release) run on NumPy 2. Import this before Chainer.

Only the Chainer scripts import it: `from common import chainer_compat` comes before
`import chainer`. It does two things and nothing else:

1. Restores `numpy.sctypes`, which NumPy 2.0 removed. Chainer reads `np.sctypes['int']`
   when it is imported (chainer/functions/array/as_strided.py) and `np.sctypes['float']`
   in that function's backward pass; without it `import chainer` fails with AttributeError.
   The table is NumPy 1.x's, built from the dtypes NumPy 2 still has.

2. Silences the warnings Chainer itself triggers on a current Python stack, each by its
   exact message and category (no blanket filter: any other warning still shows):
   - chainer/_environment_check.py imports `numpy.distutils` (DeprecationWarning) and
     `pkg_resources` (setuptools' UserWarning). Both modules must still exist: NumPy ships
     numpy.distutils only for Python < 3.12, and requirements.txt pins setuptools < 81.
   Chainer's other warnings (a CuPy version it was not made for, say) are left alone.
"""

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
