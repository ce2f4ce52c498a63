"""The scripts' own lines in Japanese: --help, a refused flag, the test's figures, the stop and GAN
warnings, common.compare, common.data.datasets and common.data.newts (common/messages/run.py), while what
the files keep (metrics.json's sample verdict and warnings) stays English and the English lines
stay word for word what they were."""

import ast
import re
import subprocess

import pytest

from common import cli, compare, digit_score, language
from common.messages import MESSAGES
from common.records import write_metrics
from common.watch import WINDOW, GANWatch
from conftest import PYTHON, REPO, TINY

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji: what an English line never holds

# Every file whose lines common/messages/run.py holds: each key they name must be in the catalogue.
SPEAKERS = ["common/cli.py", "common/outputs.py", "common/training_run.py", "common/watch.py", "common/harness.py",
            "common/compare.py", "common/digit_score.py", "common/data/__init__.py", "common/data/images.py",
            "common/checkpoints.py", "common/weights.py", "common/data/datasets.py", "common/data/newts.py",
            "common/data/digits.py", "pytorch/torch_support.py", "tensorflow/tf_support.py", "keras/keras_support.py",
            "chainer/chainer_support.py"]


def run(*arguments, lang=None):
    """A command of the project in a fresh process under an English locale, with --lang if given."""
    environment = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2", "COLUMNS": "200"}
    flags = ["--lang", lang] if lang else []
    return subprocess.run([PYTHON, *arguments, *flags], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env=environment)


@pytest.fixture
def japanese():
    language.choose(["--lang", "ja"])
    yield
    language.choose([])


# --- the catalogue ------------------------------------------------------------------------------

def keys_named(tree):
    """The message keys a module passes to say() and say_in() as text: written in the call, or in
    the `key = "a" if ... else "b"` the call names."""
    assigned = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).append(node.value)

    def texts(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return texts(node.body) | texts(node.orelse)
        if isinstance(node, ast.Name):
            return set().union(*(texts(value) for value in assigned.get(node.id, [])))
        return set()  # an f-string key (f"augmentation_{name}") is checked on its own below

    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            position = {"say": 0, "say_in": 1}.get(name)
            if position is not None and len(node.args) > position:
                named |= texts(node.args[position])
    return named


@pytest.mark.parametrize("path", SPEAKERS)
def test_every_key_a_file_names_is_in_the_catalogue(path):
    named = keys_named(ast.parse((REPO / path).read_text(encoding="utf-8")))
    assert named, f"{path} names no message"
    assert sorted(named - set(MESSAGES)) == [], path


def test_the_augmentation_flags_each_have_a_name_in_both_languages():
    for name in cli.AUGMENTATIONS:
        assert f"augmentation_{name}" in MESSAGES


# --- --help -------------------------------------------------------------------------------------

def test_a_scripts_help_is_japanese_with_lang_ja_and_english_without():
    japanese = run("pytorch/dcgan.py", "--help", lang="ja")
    assert japanese.returncode == 0, japanese.stderr
    text = " ".join(japanese.stdout.split())
    assert "pytorch で DCGAN を学習し、テストします。" in text
    assert "Adam の学習率（既定: digits 0.0002, photos 0.0002" in text
    assert "左右反転をオンまたはオフにする（既定: photos と cifar10 でオン）" in text
    assert "only train" not in text and "learning rate" not in text
    english = " ".join(run("pytorch/dcgan.py", "--help").stdout.split())
    assert "Train and test the DCGAN in pytorch. With neither --train nor --test it trains, then tests." in english
    assert "switch the horizontal flip on or off (default: on for photos and cifar10)" in english
    assert not JAPANESE.search(english.replace(MESSAGES["help_lang"]["en"], ""))


@pytest.mark.parametrize("command, words", [
    (["-m", "common.compare"], "結果のフォルダを answers/ にある解答の出力と比べます。"),
    (["-m", "common.data.datasets"], "公式のチェックサムと展開した中身で検証して"),
    (["-m", "common.data.newts"], "元の問題のイモリの写真 22 枚"),
])
def test_the_tools_help_is_japanese_with_lang_ja(command, words):
    done = run(*command, "--help", lang="ja")
    assert done.returncode == 0, done.stderr
    assert words in done.stdout, done.stdout


# --- a refused flag -------------------------------------------------------------------------------

@pytest.mark.parametrize("script, flags, japanese, english", [
    ("pytorch/dcgan.py", ["--size", "40"], "エラー: DCGAN では --size を 16 の倍数にしてください",
     "error: --size must be a multiple of 16 for the DCGAN (four 2x steps), got 40; try 32"),
    ("pytorch/ae.py", ["--iters", "-1"], "エラー: --iters には 0 以上を指定してください（指定値: -1）",
     "error: --iters must be 0 or more, got -1"),
])
def test_a_refused_flag_is_one_japanese_line_with_lang_ja(script, flags, japanese, english):
    done = run(script, *flags, lang="ja")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(japanese), done.stderr
    plain = run(script, *flags)
    assert plain.returncode == 2 and plain.stderr == english + "\n"


def test_each_refused_value_reads_as_japanese_in_process(japanese):
    cases = [("gan", ["--batch-size", "1"]), ("ae", ["--lr", "0"]), ("convae", ["--size", "18"]),
             ("ae", ["--seed", "-2"]), ("ae", ["--save-every", "-1"]), ("ae", ["--init-weights", "/no/such.npz"]),
             ("ae", ["--size", "2"]), ("ae", ["--batch-size", "0"])]
    for model, flags in cases:
        with pytest.raises(cli.UserError) as refused:
            cli.parse_args(model, "pytorch", flags)
        assert JAPANESE.search(str(refused.value)), (model, flags, str(refused.value))


# --- a run's lines ------------------------------------------------------------------------------

def test_a_short_ae_run_prints_its_test_line_in_japanese(tmp_path):
    done = run("pytorch/ae.py", *TINY, "--out", str(tmp_path / "ja"), "--export-weights", str(tmp_path / "w.npz"),
               lang="ja")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"正準重みを {tmp_path / 'w.npz'} に書き出しました" in lines
    assert re.fullmatch(r"テスト: 20 枚の平均で PSNR \d+\.\d\d dB、SSIM -?\d\.\d{4}。.+ae_pytorch_<stem>\.png を書き出しました",
                        lines[-1]), lines[-1]
    english = run("pytorch/ae.py", *TINY, "--out", str(tmp_path / "en"))
    assert re.fullmatch(r"test: PSNR \d+\.\d\d dB, SSIM -?\d\.\d{4} over 20 images; wrote .+ae_pytorch_<stem>\.png",
                        english.stdout.splitlines()[-1]), english.stdout


def test_the_stop_line_is_japanese(japanese):
    text = language.say("stopped", done=12, total=100, command="python pytorch/ae.py --resume")
    assert text.startswith("100 回中 12 回目の反復のあとで止めました。") and text.endswith("\n  python pytorch/ae.py --resume")


def test_a_gan_warning_is_printed_in_japanese_and_kept_in_english(japanese, capsys):
    losses = {"d_loss": [0.01] * WINDOW, "g_loss": [4.5] * (WINDOW // 2) + [6.0] * (WINDOW // 2)}
    watch = GANWatch()
    kept = watch.check(losses, WINDOW - 1 + 50)
    assert kept.startswith("warning: D wins outright since about iteration 50 (D's loss 0.010, G's 5.2 and climbing)")
    assert kept.endswith("See README.md, section \"How to read the results\"")
    assert watch.warned == [("gan_d_wins", kept)]  # metrics.json's "warnings"
    printed = capsys.readouterr().err
    assert printed.startswith("警告: 50 回目の反復あたりから識別器 D が完全に勝っています") and "README.ja.md の「結果の読み方」を参照してください" in printed


# --- the sample verdict: English in the file, the learner's language on the screen --------------

@pytest.mark.parametrize("figures, japanese_verdict", [
    ((0.0, 0, 0.0, 0.0), "まだ数字になっていません: ノイズ、塊、にじみです"),
    ((1.0, 1, 1.0, 0.0), "モード崩壊: 1 種類だけで、本物の数字の 0% しか覆っていません"),
    ((0.6, 2, 0.8, 0.01), "モード崩壊: 2 種類だけで、本物の数字の 1% しか覆っていません"),
    ((0.6, 7, 0.8, 0.09), "部分的な崩壊: 7 種類の数字ですが、少数の形が大半を占めています（本物の数字の 9% を覆う）"),
    ((0.7, 10, 0.8, 0.9), "10 種類の数字"),
])
def test_a_stored_verdict_reads_back_into_japanese(japanese, figures, japanese_verdict):
    stored = digit_score.sample_verdict(*figures)
    assert not JAPANESE.search(stored)  # what metrics.json keeps, whatever the learner's language
    assert digit_score.sample_verdict(*figures, language="ja") == japanese_verdict
    assert digit_score.verdict_in_language(stored) == japanese_verdict
    assert digit_score.verdict_in_language(stored, "en") == stored
    assert digit_score.verdict_in_language("a verdict of another version") == "a verdict of another version"


# --- common.compare -------------------------------------------------------------------------------

GAN_ANSWER = {"data": "digits", "iterations": 2500, "batch_size": 64, "seed": 0, "digit_share": 0.58, "digit_kinds": 7,
              "swd": 0.09, "losses": {"d_loss": [0.4], "g_loss": [1.9]}}


def compare_folders(tmp_path, result):
    answers, results = tmp_path / "answers", tmp_path / "results"
    write_metrics(answers / "dcgan_pytorch_metrics.json", GAN_ANSWER)
    write_metrics(answers / "ae_keras_metrics.json", {"psnr": 30.0})
    write_metrics(results / "dcgan_pytorch_metrics.json", {**GAN_ANSWER, **result})
    return ["-m", "common.compare", str(results), "--answers", str(answers)]


def test_compare_prints_its_warnings_and_verdict_in_japanese(tmp_path):
    command = compare_folders(tmp_path, {"iterations": 300, "digit_share": 0.6, "digit_kinds": 7,
                                         "sample_verdict": "partial collapse: digits of 7 kinds, but a few shapes "
                                                           "dominate (covering 9% of the real digits)"})
    done = run(*command, lang="ja")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == ("判定: dcgan/pytorch: 解答と同等です（解答と違う設定での結果）: 数字 60%、7 種類（部分的な崩壊: "
                         "7 種類の数字ですが、少数の形が大半を占めています（本物の数字の 9% を覆う））")
    assert any(line.startswith("未実行（") and "ae/keras" in line for line in lines), lines
    assert "警告: dcgan/pytorch は解答と違う設定で実行されています（iterations 300（解答は 2500））。" in done.stdout
    english = run(*command).stdout.splitlines()
    assert english[-1] == ("verdict: dcgan/pytorch: on a par with the answer (with other settings than the answer's): "
                           "60% digits of 7 kinds (partial collapse: digits of 7 kinds, but a few shapes dominate "
                           "(covering 9% of the real digits))")
    assert any(line.startswith("not run (no *_metrics.json in") for line in english)


@pytest.mark.parametrize("result, words", [
    ({"digit_share": 0.02, "digit_kinds": 1}, "まだ数字になっていません: 数字と判定されたサンプルは 2% です"),
    ({"digit_share": 0.80, "digit_kinds": 1}, "モード崩壊: 数字は 80% ですが、1 種類しかありません"),
    ({"digit_share": 0.30, "digit_kinds": 5}, "解答に届いていません: 数字 30%、5 種類（解答は 58%、7 種類）"),
    ({"digit_share": 1.0, "digit_kinds": 1, "sample_verdict": "mode collapse: 1 kind, covering 0% of the real digits"},
     "モード崩壊: 1 種類だけで、本物の数字の 0% しか覆っていません。サンプル画像を見てください"),
    ({"digit_share": None, "digit_kinds": None, "swd": 0.5}, "パッチの距離は 0.500 で、解答の 0.090 より大きい値です"),
    ({"stopped": "学習が発散しました"}, "学習が途中で止まりました（学習が発散しました）"),
])
def test_each_compare_verdict_reads_as_japanese(tmp_path, capsys, japanese, result, words):
    command = compare_folders(tmp_path, result)
    assert compare.main([*command[2:], "--model", "dcgan", "--lang", "ja"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("判定: dcgan/pytorch: ") and words in last, last


def test_a_gans_test_lines_are_japanese_and_its_metrics_keep_the_english_verdict(tmp_path, capsys, japanese):
    import json
    from types import SimpleNamespace

    import numpy as np

    from common.outputs import Outputs

    samples = np.zeros((64, 8, 8, 1), np.float32)
    verdict = digit_score.sample_verdict(1.0, 1, 1.0, 0.0)
    figures = {"digit_share": 1.0, "digit_kinds": 1, "digit_precision": 1.0, "digit_recall": 0.0,
               "real_digit_share": 0.95, "real_digit_kinds": 10, "real_digit_precision": 0.85,
               "real_digit_recall": 0.99, "sample_verdict": verdict, "swd": 0.5, "swd_real_vs_real": 0.03}
    outputs = Outputs(SimpleNamespace(model="gan", framework="pytorch", out=tmp_path, gif=False))
    outputs.write_generation_test(samples, samples, figures)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "テスト: サンプル 64 枚のうち 100% が確信をもって数字と判定され（10 種類中 1 種類）、適合率 100%、再現率 0%"
        "（本物のテスト数字では 95%、10 種類、適合率 85%、再現率 99%）",
        "テスト: 判定: モード崩壊: 1 種類だけで、本物の数字の 0% しか覆っていません",
        f"テスト: スライス Wasserstein 距離 0.5000（本物どうしでは 0.0300）。{tmp_path / 'gan_pytorch_samples.png'} を書き出しました",
    ]
    stored = json.loads((tmp_path / "gan_pytorch_metrics.json").read_text(encoding="utf-8"))
    assert stored["sample_verdict"] == "mode collapse: 1 kind, covering 0% of the real digits"


def test_a_divergence_is_told_in_japanese_and_kept_in_english(tmp_path):
    import json

    done = run("pytorch/ae.py", "--lr", "1e30", "--iters", "5", "--size", "16", "--out", str(tmp_path), lang="ja")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("エラー: loss が "), done.stderr
    stopped = json.loads((tmp_path / "ae_pytorch_metrics.json").read_text(encoding="utf-8"))["stopped"]
    assert stopped.startswith("loss became ") and "try --lr 0.001" in stopped and not JAPANESE.search(stopped), stopped
