"""`python -m common.data NAME`: download and check one data set into Dataset/NAME/.

    python -m common.data newts           # the original exercise's 22 newt photos (newts.py)
    python -m common.data mnist           # or fashion-mnist, cifar10 (datasets.py)

The built-in digits need no download: the first run makes them (digits.py).
"""

import sys

from common.data import datasets, newts
from common.errors import run_main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["newts"]:
        return newts.main(argv[1:])
    return datasets.main(argv)


if __name__ == "__main__":
    sys.exit(run_main(main))
