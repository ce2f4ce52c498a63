"""PSNR, SSIM, the sliced Wasserstein distance (common/metrics.py) and the compare command."""

import math
import subprocess
import sys

import numpy as np
import pytest

from common import compare
from common.metrics import (
    gan_quality,
    psnr,
    reconstruction_quality,
    sliced_wasserstein_distance,
    ssim,
)
from common.paths import REPO_ROOT
from common.pictures import save_grid, save_side_by_side
from common.records import write_metrics


def smooth_images(count, size=16, channels=3, seed=0):
    """Images with structure (blurred noise), more like photos than white noise is."""
    rng = np.random.default_rng(seed)
    noise = rng.uniform(-1, 1, (count, size + 3, size + 3, channels))
    blurred = sum(noise[:, dy : dy + size, dx : dx + size] for dy in range(4) for dx in range(4)) / 16
    return np.clip(blurred * 3, -1, 1).astype(np.float32)


def add_noise(images, scale, seed=1):
    noise = np.random.default_rng(seed).normal(0, scale, images.shape)
    return np.clip(images + noise, -1, 1).astype(np.float32)


# --- PSNR ---------------------------------------------------------------------------------------

def test_psnr_of_a_known_mse():
    a = np.zeros((8, 8, 3), np.float32)
    b = a + 0.1  # MSE 0.01
    assert psnr(a, b) == pytest.approx(10 * math.log10(4 / 0.01), abs=1e-4)


def test_psnr_of_identical_images_is_capped():
    images = smooth_images(2)
    assert psnr(images, images) == 100.0


def test_psnr_is_the_mean_over_a_batch():
    a = np.zeros((2, 4, 4, 1), np.float32)
    b = a.copy()
    b[0] += 0.1
    b[1] += 0.2
    expected = (10 * math.log10(4 / 0.01) + 10 * math.log10(4 / 0.04)) / 2
    assert psnr(a, b) == pytest.approx(expected, abs=1e-4)


# --- SSIM ---------------------------------------------------------------------------------------

def test_ssim_of_identical_images_is_one():
    images = smooth_images(3)
    assert ssim(images, images) == pytest.approx(1.0)
    assert ssim(images[0], images[0]) == pytest.approx(1.0)


def test_ssim_decreases_with_noise():
    image = smooth_images(1)[0]
    values = [ssim(image, add_noise(image, scale)) for scale in (0.05, 0.2, 0.5)]
    assert 1.0 > values[0] > values[1] > values[2]


def test_ssim_constants_for_the_data_range_two():
    # Flat images differing only in brightness: SSIM is the luminance term C1 / (shift^2 + C1).
    c1 = (0.01 * 2.0) ** 2
    flat = np.zeros((8, 8, 3), np.float32)
    assert ssim(flat, flat + 0.1) == pytest.approx(c1 / (0.1**2 + c1), rel=1e-4)


def test_ssim_constant_of_the_contrast_term_for_the_data_range_two():
    # A checkerboard against its negative: the local means are ~0 (the luminance term is 1), and
    # the contrast-structure term is (C2 - 2 var) / (C2 + 2 var) with var 0.25: -0.986 with
    # C2 = (0.03 * 2)^2; a C2 meant for 8-bit pixels (58.5) would make it +0.98. The borders,
    # where the reflected checkerboard has a mean, pull the whole image's value up a little.
    board = (np.indices((32, 32)).sum(axis=0) % 2 - 0.5).astype(np.float32)[..., None]
    assert ssim(board, -board) < -0.9


def test_ssim_works_on_images_smaller_than_the_window():
    digit = smooth_images(1, size=8, channels=1)[0]
    assert ssim(digit, digit) == pytest.approx(1.0)
    assert ssim(digit, add_noise(digit, 0.3)) < 0.99
    tiny = np.zeros((2, 2, 1), np.float32)
    assert ssim(tiny, tiny) == pytest.approx(1.0)


def test_reconstruction_quality():
    originals = smooth_images(4)
    reconstructions = add_noise(originals, 0.1)
    quality = reconstruction_quality(originals, reconstructions)
    assert len(quality["psnr_per_image"]) == len(quality["ssim_per_image"]) == 4
    assert quality["psnr"] == pytest.approx(np.mean(quality["psnr_per_image"]))
    assert quality["ssim"] == pytest.approx(np.mean(quality["ssim_per_image"]))
    assert all(isinstance(value, float) for value in quality["psnr_per_image"])


# --- SWD ----------------------------------------------------------------------------------------

def test_swd_of_identical_sets_is_zero():
    images = smooth_images(20)
    assert sliced_wasserstein_distance(images, images) == pytest.approx(0.0, abs=1e-6)


def test_swd_ranks_noise_behind_nearly_real_images():
    real = smooth_images(40, seed=0)
    other_real = smooth_images(40, seed=5)
    slightly_off = add_noise(other_real, 0.05)
    noise = np.random.default_rng(9).uniform(-1, 1, real.shape).astype(np.float32)
    assert sliced_wasserstein_distance(slightly_off, real) < sliced_wasserstein_distance(noise, real)


def test_swd_is_deterministic_and_depends_on_the_seed():
    real, generated = smooth_images(10, seed=0), smooth_images(12, seed=1)
    first = sliced_wasserstein_distance(generated, real, seed=3)
    assert sliced_wasserstein_distance(generated, real, seed=3) == first
    assert sliced_wasserstein_distance(generated, real, seed=4) != first


def test_swd_on_images_smaller_than_the_patch():
    real = smooth_images(10, size=4, channels=1)
    assert sliced_wasserstein_distance(real, real) == pytest.approx(0.0, abs=1e-6)
    assert sliced_wasserstein_distance(add_noise(real, 0.5), real) > 0


def test_gan_quality_has_a_real_data_reference():
    real = smooth_images(40)
    quality = gan_quality(np.random.default_rng(2).uniform(-1, 1, real.shape).astype(np.float32), real)
    assert set(quality) == {"swd", "swd_real_vs_real"}
    assert 0 < quality["swd_real_vs_real"] < quality["swd"]
    assert gan_quality(real[:1], real[:1])["swd_real_vs_real"] is None


# --- compare command ----------------------------------------------------------------------------

def make_run(folder, psnr_value, image):
    write_metrics(folder / "ae_pytorch_metrics.json", {"losses": {"loss": [1.0] * 90 + [0.5] * 10}, "psnr": psnr_value, "ssim": 0.8})
    save_side_by_side(folder / "ae_pytorch_0001.png", image, image)
    write_metrics(folder / "gan_keras_metrics.json", {"losses": {"d_loss": [0.7], "g_loss": [0.9]}, "swd": 1.5})
    save_grid(folder / "gan_keras_samples.png", smooth_images(4))


def test_compare_prints_one_row_per_run(tmp_path, capsys):
    answers, results = tmp_path / "answers", tmp_path / "results"
    image = smooth_images(1, size=8)[0]
    make_run(answers, 21.0, image)
    make_run(results, 20.5, add_noise(image, 0.02))
    (answers / "ae_pytorch_0002.png").write_bytes((answers / "ae_pytorch_0001.png").read_bytes())
    write_metrics(answers / "dcgan_chainer_metrics.json", {"swd": 1.0})

    assert compare.main([str(results), "--answers", str(answers)]) == 0
    output = capsys.readouterr().out
    lines = output.splitlines()
    assert lines[0].startswith("model")
    ae_row = next(line for line in lines if line.startswith("ae "))
    assert "psnr 20.5 / 21" in ae_row and "ssim 0.8 / 0.8" in ae_row
    assert "loss 0.5 / 0.5" in ae_row  # the mean of the last 10%
    assert "1 PNG" in ae_row and "dB" in ae_row
    gan_row = next(line for line in lines if line.startswith("gan "))
    assert "swd 1.5 / 1.5" in gan_row and "d_loss 0.7 / 0.7" in gan_row
    assert "compared by score" in gan_row and "dB" not in gan_row  # no pixel comparison of sample grids
    assert lines[0].index("framework") == ae_row.index("pytorch") == gan_row.index("keras")  # aligned
    assert "not run (no *_metrics.json in" in output and "dcgan/chainer" in output  # missing result is reported
    assert "ae_pytorch_0002.png" in output

    assert compare.main([str(results), "--answers", str(answers), "--model", "gan"]) == 0
    output = capsys.readouterr().out
    assert "gan " in output and "ae " not in output


def test_compare_missing_results_folder_is_a_one_line_error(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "common.compare", str(tmp_path / "nowhere"), "--answers", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "nowhere" in completed.stderr
    assert "Traceback" not in completed.stderr


GAN_ANSWER = {"data": "digits", "iterations": 2500, "batch_size": 64, "seed": 0, "digit_share": 0.58, "digit_kinds": 7,
              "swd": 0.09, "losses": {"d_loss": [0.4], "g_loss": [1.9]}}


@pytest.mark.parametrize("result, words", [
    ({"digit_share": 0.55, "digit_kinds": 6}, "on a par with the answer: 55% digits of 6 kinds"),
    ({"digit_share": 0.02, "digit_kinds": 1}, "not digits yet: 2% of the samples"),
    ({"digit_share": 0.80, "digit_kinds": 1}, "mode collapse: 80% digits but only 1 kind"),
    ({"digit_share": 0.30, "digit_kinds": 5}, "below the answer: 30% digits of 5 kinds against 58% of 7"),
    ({"digit_share": 0.55, "digit_kinds": 6, "iterations": 300}, "(with other settings than the answer's)"),
    ({"digit_share": 1.0, "digit_kinds": 1, "sample_verdict": "mode collapse: 1 kind, covering 0% of the real digits"},
     "mode collapse: 1 kind, covering 0% of the real digits; look at the samples"),
    ({"digit_share": 0.6, "digit_kinds": 4, "sample_verdict": "mode collapse: 4 kinds, covering 1% of the real digits"},
     "mode collapse: 4 kinds"),  # a share and kinds on a par with the answer do not hide it
    ({"digit_share": 0.6, "digit_kinds": 7, "sample_verdict": "partial collapse: digits of 7 kinds, but a few shapes "
      "dominate (covering 9% of the real digits)"}, "on a par with the answer: 60% digits of 7 kinds (partial collapse"),
])
def test_compare_ends_in_a_verdict_and_warns_of_other_settings(tmp_path, capsys, result, words):
    answers, results = tmp_path / "answers", tmp_path / "results"
    write_metrics(answers / "dcgan_pytorch_metrics.json", GAN_ANSWER)
    write_metrics(results / "dcgan_pytorch_metrics.json", {**GAN_ANSWER, **result})
    assert compare.main([str(results), "--answers", str(answers)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"verdict: dcgan/pytorch: {lines[-1].split(': ', 2)[2]}" and words in lines[-1]
    warned = [line for line in lines if line.startswith("warning:")]
    if "iterations" in result:
        assert warned == ["warning: dcgan/pytorch ran with other settings than the answer (iterations 300 (answer "
                          "2500)): its figures are not the answer's to match; run the script at its defaults to compare"]
    else:
        assert warned == []


def test_compare_says_identical_pictures_are_identical_not_100_db(tmp_path, capsys):
    answers, results = tmp_path / "answers", tmp_path / "results"
    image = smooth_images(1, size=8)[0]
    make_run(answers, 21.0, image)
    make_run(results, 21.0, image)
    assert compare.main([str(results), "--answers", str(answers), "--model", "ae"]) == 0
    output = capsys.readouterr().out
    assert "1 PNG, identical to the answer's" in output and "100.0 dB" not in output


def test_compare_runs_from_any_directory_by_its_path(tmp_path):
    """`python -m common.compare` needs the repository root as the working directory; the file's
    path works from anywhere, as the README shows."""
    answers, results = tmp_path / "answers", tmp_path / "results"
    write_metrics(answers / "dcgan_pytorch_metrics.json", GAN_ANSWER)
    write_metrics(results / "dcgan_pytorch_metrics.json", GAN_ANSWER)
    completed = subprocess.run([sys.executable, str(REPO_ROOT / "common" / "compare.py"), "results", "--answers", "answers"],
                               cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "verdict: dcgan/pytorch: on a par with the answer: 58% digits of 7 kinds"
