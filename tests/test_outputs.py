"""What a run writes under --out (common/outputs.py): the GAN's scores and settings, the
progress GIF, the training-image grid, gray pictures in one channel."""

import json

import cv2
import numpy as np
from PIL import Image

from common import cli, data
from conftest import TINY, run_script


# --- what a GAN run writes -------------------------------------------------------------------------

def test_gan_run_writes_score_settings_gif_and_training_images(digits, tmp_path):
    out = tmp_path / "out"
    flags = [*TINY, "--iters", "4", "--sample-every", "2", "--gif", "--out", out]
    finished = run_script("pytorch", "gan", *flags, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    metrics = json.loads((out / "gan_pytorch_metrics.json").read_text())
    for key in ("digit_share", "digit_kinds", "real_digit_share", "real_digit_kinds", "swd"):
        assert key in metrics, key
    assert metrics["real_digit_share"] >= 0.95 and metrics["real_digit_kinds"] == 10
    assert metrics["digit_share"] <= 0.1  # four iterations from the initial weights draw no digits yet
    assert metrics["data"] == "digits" and metrics["size"] == 16 and metrics["channels"] == 1
    assert metrics["augment"] == {"hflip": False, "vflip": False, "rotate": False, "scale": False, "color": False}
    assert "confidently digits" in finished.stdout

    with Image.open(out / "gan_pytorch_progress.gif") as gif:
        assert gif.n_frames == 2  # iterations 2 and 4
    grid = cv2.imread(str(out / "gan_pytorch_training_images.png"))
    assert grid is not None and grid.shape[0] > 64  # 4 images of 16 px, each enlarged to 64 px


def test_gif_without_sample_every_takes_frames_over_the_whole_run(tmp_path):
    args = cli.parse_args("dcgan", "pytorch", ["--gif", "--iters", "100"])
    from common.training_run import is_due, sample_every
    from common.outputs import GIF_FRAMES
    assert sum(is_due(iteration, sample_every(args)) for iteration in range(100)) == GIF_FRAMES


def test_data_from_a_folder_gets_no_digit_score(tmp_path):
    args = cli.parse_args("gan", "pytorch", ["--data", str(tmp_path)])
    assert not data.is_builtin_digits(args)
    assert data.is_builtin_digits(cli.parse_args("gan", "pytorch", []))


def test_gray_pictures_are_written_with_one_channel_and_read_back_the_same(tmp_path):
    from common.pictures import save_grid
    gray = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype(np.float32)
    colour = np.random.default_rng(1).uniform(-1, 1, (4, 8, 8, 3)).astype(np.float32)
    save_grid(tmp_path / "gray.png", gray)
    save_grid(tmp_path / "colour.png", colour)
    assert cv2.imread(str(tmp_path / "gray.png"), cv2.IMREAD_UNCHANGED).ndim == 2  # a third of the bytes
    assert cv2.imread(str(tmp_path / "colour.png"), cv2.IMREAD_UNCHANGED).shape[2] == 3
    as_colour = cv2.imread(str(tmp_path / "gray.png"), cv2.IMREAD_COLOR)
    cell = as_colour[2:66, 2:66, 0]  # the first cell, 8x8 enlarged to 64x64
    expected = np.rint((np.clip(gray[0, :, :, 0], -1, 1) + 1) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(cell[::8, ::8], expected)
