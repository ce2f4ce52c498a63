"""The language of everything a learner reads at run time: English or Japanese.

The exercises come from a Japanese series (画像生成編), so every message a learner meets (the
checker's sentences, the scripts' progress and error lines, `--help`) exists in both languages,
in common/messages/. Japanese is chosen by the locale (LANG=ja_JP.UTF-8, or LC_ALL /
LC_MESSAGES) or by the flag `--lang ja` of every command; `--lang en` forces English, which is
also the default. The flag wins over the locale.

    from common.language import say
    print(say("stopped", done=12, total=100))
"""

import os
import sys

LANGUAGES = ("en", "ja")
_chosen = None  # set by choose(); None: decided from the environment on first use


def from_environment(environ=None):
    """"ja" when the locale says Japanese (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them)."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def from_arguments(argv):
    """The value of --lang in `argv` (`--lang ja` or `--lang=ja`), or None."""
    argv = list(argv)
    for index, argument in enumerate(argv):
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
    return None


def choose(argv=None):
    """Fix the language for this process from --lang in `argv` (sys.argv by default), else the locale.
    An unknown --lang value falls back to the locale here; the command line's parser names it."""
    global _chosen
    asked = from_arguments(sys.argv[1:] if argv is None else argv)
    _chosen = asked if asked in LANGUAGES else from_environment()
    return _chosen


def current():
    return _chosen if _chosen is not None else from_environment()


def say(key, **values):
    """The message `key` of common/messages/ in the current language, filled with `values`."""
    return say_in(current(), key, **values)


def say_in(language, key, **values):
    """The message `key` in `language` ("en" for what files keep, whatever the learner reads)."""
    from common.messages import MESSAGES  # imported here: the catalogue is only read when a message is

    return MESSAGES[key][language].format(**values)


def add_language_flag(parser):
    """--lang, which every command of the project takes (choose() reads it before the parser runs,
    so that --help itself comes in the chosen language)."""
    parser.add_argument("--lang", choices=LANGUAGES, help=say("help_lang"))
