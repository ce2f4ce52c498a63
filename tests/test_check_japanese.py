"""The answer checker in Japanese (common/messages/check.py): under `--lang ja` or a Japanese locale
its lines and its diagnoses of the classic mistakes of tests/test_check.py come in Japanese, with
the facts a learner acts on (numbers, pixels, function names) as they are; what the checker decides
from a sentence (a part not written yet, Chainer's uncleared gradients) works in either language."""

import os
import re
import string
import subprocess
import traceback
from pathlib import Path

import numpy as np
import pytest

from common.check import diagnosis
from common import language
from common.check.checks import STAGES, check_file
from common.check.support import Failed, error_sentence
from common.messages import MESSAGES
from common.messages.check import MESSAGES as CHECK_MESSAGES
from conftest import PYTHON, REPO
from test_check import MISTAKES, broken_copy

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and kanji
ENGLISH_PROSE = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+ [a-z]+\b")  # four English words in a row: a sentence left untranslated


@pytest.fixture
def japanese():
    language.choose(["--lang", "ja"])
    try:
        yield
    finally:
        language.choose([])  # back to the locale: the other tests read English


def in_japanese(sentence):
    assert JAPANESE.search(sentence), sentence
    assert not ENGLISH_PROSE.search(sentence), f"English left in: {ENGLISH_PROSE.search(sentence)[0]!r} in {sentence}"


# (the mistake of tests/test_check.py, what the Japanese sentence must hold)
JAPANESE_MISTAKES = {
    "zero_grad left out": ["勾配がステップをまたいで累積", "optimizer.zero_grad()", "loss.backward()"],
    "D's cleargrads left out": ["D のステップ（最初のステップ）の後で", "NaN", "cleargrads()", "学習率"],
    "transposed convolutions cropped 1 before and 2 after": ["生成器 G", "ピクセル (15, 15)", "ピクセル (0, 0)",
                                                             "転置畳み込み", "前で 2、後ろで 1"],
    "train_step unpacks data as two values": ["train_step で ValueError が発生しました", "train_step の中",
                                              "data = ((real_images, noise),)",
                                              "keras.utils.unpack_x_y_sample_weight(data)"],
    "the squared error summed, not averaged": ["平均せずに合計", "6144 倍", "二乗誤差"],
    "labels swapped in D's loss": ["識別器 D の損失でラベルが逆", "本物の画像のラベルは 1、偽物は 0"],
    "no minibatch spread": ["discriminator.dense の入力数が 1024", "表では 1025", "ミニバッチの散らばり"],
    # a part not written yet, recognised by its key: D's step is judged though G's raises
    "D's step written, G's step not yet": ["D のステップは参照実装と一致", "未実装: generator_step",
                                          "NotImplementedError を送出しました"],
    "D's step with the fakes labelled 1, G's step not yet written": [
        "D の重みが、参照実装と最大", "偽物は 0", "G のステップはまだ書かれていません: 未実装: "],
}


def mistake(name):
    return next(entry for entry in MISTAKES if entry[2] == name)


@pytest.mark.parametrize("name", JAPANESE_MISTAKES)
def test_a_classic_mistake_is_named_in_japanese(tmp_path, japanese, name):
    framework, model, _, substitutions, check, _ = mistake(name)
    passed, failure = check_file(broken_copy(tmp_path, framework, model, substitutions), model, framework)
    assert failure is not None and failure[0] == check, failure  # the checks keep their names: STAGES
    in_japanese(failure[1])
    for words in JAPANESE_MISTAKES[name]:
        assert words in failure[1], failure
    if name == "D's cleargrads left out":  # D's own mistake: not blamed on G's step too
        assert "G のステップが D まで" not in failure[1], failure
    for _, detail in passed:
        in_japanese(detail)


def run_checker(environment, *arguments):
    environment = {"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2", "OMP_NUM_THREADS": "1", **environment}
    return subprocess.run([PYTHON, "-m", "common.check", *arguments], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_a_japanese_locale_gets_japanese_lines_and_the_not_implemented_sentence():
    finished = run_checker({"LANG": "ja_JP.UTF-8"}, "ae", "--framework", "pytorch", "exercises/pytorch/ae.py")
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "Traceback" not in finished.stdout + finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[0].startswith("exercises/pytorch/ae.py を pytorch の ae として、pytorch/ae.py と比べて調べます"), lines
    assert lines[1] == "  合格  契約: MODEL、FRAMEWORK と common/contract.py のすべての名前", lines
    assert lines[2].startswith("  不合格  パラメータの形状: 未実装: __init__（exercises/pytorch/ae.py の "), lines
    for words in ("行目）が NotImplementedError を送出しました", "build_model から呼ばれた箇所です",
                  "もう一度チェッカーを実行してください"):
        assert words in lines[2], lines[2]
    assert len(lines) == 3
    for line in lines:
        assert not ENGLISH_PROSE.search(line), line


def test_lang_ja_wins_over_an_english_locale_and_the_help_is_japanese():
    finished = run_checker({"LANG": "C.UTF-8"}, "ae", "--lang", "ja", "--help")
    assert finished.returncode == 0 and "調べるファイル" in finished.stdout and "既定値: cpu" in finished.stdout
    finished = run_checker({"LANG": "C.UTF-8"}, "ae", "nothing.py", "--framework", "pytorch", "--lang", "ja")
    assert finished.returncode == 2 and "エラー: nothing.py: そのようなファイルはありません" in finished.stderr


def test_a_training_run_stays_in_the_checkers_language(tmp_path):
    """The harness chooses the language again from its own arguments: the checker hands it --lang."""
    finished = run_checker({"LANG": "C.UTF-8", "TMPDIR": str(tmp_path)}, "ae", "pytorch/ae.py", "--train", "2", "--lang", "ja")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "  合格  学習の実行: 2 回の反復: テストの PSNR " in finished.stdout, finished.stdout
    assert finished.stdout.rstrip().endswith("合格: pytorch/ae.py は解答と同じ計算をしています"), finished.stdout


# ----- without a framework: the keys behind the sentences --------------------------------------
def placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CHECK_MESSAGES))
def test_every_sentence_formats_in_both_languages(key):
    """A stray brace or a blank's format (found:.6g) fails here, not in a learner's rare branch."""
    assert key.startswith("check_"), key
    for text in CHECK_MESSAGES[key].values():
        text.format(**{name: 1.5 for name in placeholders(text)})


def test_every_key_the_checker_says_is_in_the_catalogue_and_every_entry_is_said():
    used = set()
    for name in ("checks.py", "__main__.py", "diagnosis.py", "support.py"):
        used |= set(re.findall(r'"(check_[a-z_]+)"', (REPO / "common" / "check" / name).read_text()))
    assert used - set(CHECK_MESSAGES) == set()
    assert set(CHECK_MESSAGES) - used == set()
    assert all(key in MESSAGES for key in STAGES.values())


def not_implemented_error(path):
    namespace = {}
    exec(compile("def generator_step():\n    raise NotImplementedError('not implemented yet: G\\'s step')\n",
                 str(path), "exec"), namespace)
    try:
        namespace["generator_step"]()
    except NotImplementedError as error:
        return error


@pytest.mark.parametrize("chosen", ["en", "ja"])
def test_a_part_not_written_yet_is_known_by_its_key_in_either_language(tmp_path, chosen):
    language.choose(["--lang", chosen])
    try:
        path = tmp_path / "gan.py"
        failure = Failed(error_sentence(not_implemented_error(path), "train_step", path))
        assert failure.not_implemented, str(failure)
        assert not Failed(error_sentence(ValueError("bad"), "train_step", path)).not_implemented
        assert str(failure).startswith("not implemented yet: generator_step" if chosen == "en" else "未実装: generator_step")
        assert "train_step" in str(failure)
    finally:
        language.choose([])


@pytest.mark.parametrize("chosen", ["en", "ja"])
def test_chainers_uncleared_gradients_are_known_by_their_key_in_either_language(chosen):
    language.choose(["--lang", chosen])
    try:
        before = {"discriminator.dense.weight": np.zeros((2, 1), np.float32)}
        found = {"discriminator.dense.weight": np.full((2, 1), np.nan, np.float32)}
        sentence = diagnosis.weights_mistake(found, before, before, list(before), 2e-4, "the D step", first_step=True,
                                             framework="chainer")
        assert sentence.key == diagnosis.UNCLEARED_CHAINER and "cleargrads()" in sentence
        assert ("the D step" if chosen == "en" else "D のステップ") in sentence
    finally:
        language.choose([])


def test_a_shift_reads_as_one_direction_in_each_language(japanese):
    assert diagnosis.direction(1, 1) == "右下方向" and diagnosis.direction(-1, 0) == "上"
    assert language.say_in("en", "check_direction_both", vertical="down", horizontal="right") == "down and right"
