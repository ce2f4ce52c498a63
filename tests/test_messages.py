"""Every message a learner reads exists in English and in Japanese (common/messages/), and the
locale or --lang chooses between them (common/language.py)."""

import re
import string
import subprocess

import pytest

from common import language
from common.messages import AREAS, MESSAGES, merged
from conftest import PYTHON, REPO

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]")  # Japanese punctuation, kana, kanji, full-width forms


def placeholders(template):
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_both_languages_with_the_same_blanks(key):
    message = MESSAGES[key]
    assert set(message) == set(language.LANGUAGES), f"{key}: languages {sorted(message)}"
    assert message["en"].strip() and message["ja"].strip(), f"{key}: an empty text"
    assert placeholders(message["en"]) == placeholders(message["ja"]), f"{key}: the blanks differ"
    assert JAPANESE.search(message["ja"]), f"{key}: the Japanese text is not Japanese: {message['ja']!r}"
    assert message["en"] != message["ja"]


def test_a_key_in_two_areas_is_refused():
    with pytest.raises(ValueError, match="repeats the keys"):
        merged({"run": {"a": {}}, "check": {"a": {}}})
    assert sum(len(table) for table in AREAS.values()) == len(MESSAGES)


@pytest.mark.parametrize("environment, argv, chosen", [
    ({}, [], "en"),
    ({"LANG": "ja_JP.UTF-8"}, [], "ja"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, [], "ja"),  # LC_ALL first, as gettext reads them
    ({"LANG": "ja_JP.UTF-8"}, ["--lang", "en"], "en"),  # the flag wins
    ({}, ["--iters", "3", "--lang=ja"], "ja"),
])
def test_the_flag_then_the_locale_choose_the_language(monkeypatch, environment, argv, chosen):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert language.choose(argv) == chosen
    language.choose([])


def run_in(locale, *arguments):
    environment = {"LANG": locale, "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([PYTHON, *arguments], cwd=REPO, capture_output=True, text=True, timeout=300, env=environment)


def test_a_skeletons_missing_part_is_named_in_japanese_under_a_japanese_locale():
    done = run_in("ja_JP.UTF-8", "exercises/pytorch/ae.py", "--iters", "1", "--out", "/nonexistent/never-written")
    assert done.returncode == 3
    assert done.stderr.startswith("未実装: ") and "exercises/pytorch/ae.py:" in done.stderr, done.stderr
    english = run_in("C.UTF-8", "exercises/pytorch/ae.py", "--iters", "1", "--out", "/nonexistent/never-written")
    assert english.stderr.startswith("not implemented yet: the layers (see the TODO at exercises/pytorch/ae.py:")


def test_a_divergence_is_explained_in_japanese_with_lang_ja(tmp_path):
    done = run_in("C.UTF-8", "pytorch/ae.py", "--lr", "1e30", "--iters", "5", "--size", "16", "--out", str(tmp_path),
                  "--lang", "ja")
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("エラー: ") and "学習率" in line and "--lr" in line, line
