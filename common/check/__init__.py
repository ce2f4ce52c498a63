"""The answer checker, a learner's command: `python -m common.check MODEL FILE` checks a script
of theirs against the answer of the same framework and model and names the likely mistake.

    __main__.py    the command line
    checks.py      the checks, in order (the Checker), and check_file for the tests
    support.py     loading a file, calling it, measuring the reference, the probes
    diagnosis.py   turning a difference into the sentence that names the mistake
"""
