"""Every sentence a learner reads at run time, in English and in Japanese, by area:

    run.py     the scripts: progress and error lines, --help, the test's figures, compare
    check.py   the answer checker's sentences
    hints.py   the skeletons' hints and the names of their missing parts

Each area is a dict {key: {"en": text, "ja": text}}; the texts are str.format templates whose
{names} the caller fills (common/language.say). tests/test_messages.py holds every key to both
languages and the same {names} in each.
"""

from common.messages import check, hints, run

AREAS = {"run": run.MESSAGES, "check": check.MESSAGES, "hints": hints.MESSAGES}


def merged(areas):
    """One dict of every area's messages; a key used by two areas is a mistake, named here."""
    messages = {}
    for area, table in areas.items():
        twice = sorted(set(table) & set(messages))
        if twice:
            raise ValueError(f"common/messages/{area}.py repeats the keys {twice}")
        messages.update(table)
    return messages


MESSAGES = merged(AREAS)
