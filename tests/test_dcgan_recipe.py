"""tools/dcgan_recipe.py, the DCGAN recipe search: its variants build the shapes they claim, its
minibatch spread tells real from collapsed fakes, and a short run logs a score and a table."""

import json
import subprocess
import sys

import pytest
import torch

from conftest import PYTHON, REPO

sys.path.insert(0, str(REPO / "tools"))
import dcgan_recipe  # noqa: E402


@pytest.mark.parametrize("start, strides", [(1, [2, 2, 2, 2]), (2, [1, 2, 2, 2]), (4, [1, 1, 2, 2])])
def test_each_start_grows_g_to_the_image_and_shrinks_d_to_the_start(start, strides):
    assert dcgan_recipe.strides(16, start) == strides
    generator = dcgan_recipe.Generator(16, 1, start, bn_before=False)
    discriminator = dcgan_recipe.Discriminator(16, 1, start, dropout=0.0, mbstd=True, batchnorm=False)
    images = generator(torch.randn(8, dcgan_recipe.NOISE_DIM))
    assert images.shape == (8, 1, 16, 16)
    assert discriminator(images).shape == (8, 1)
    assert discriminator.dense.in_features == start * start * 256 + 1


def test_the_spread_of_a_collapsed_group_is_near_zero_and_real_and_fake_never_share_a_group():
    real = torch.randn(4, 16)
    collapsed = torch.ones(4, 16)  # four fakes, one shape
    spread = dcgan_recipe.minibatch_spread(torch.cat([real, collapsed])).squeeze(1)
    assert torch.all(spread[:4] > 0.5) and torch.all(spread[4:] < 1e-3)
    # A batch whose size is not a multiple of the group still gets one value per image.
    assert dcgan_recipe.minibatch_spread(torch.randn(6, 16)).shape == (6, 1)


def test_a_short_run_logs_scores_and_the_summary_tabulates_them(tmp_path, digits):
    log = tmp_path / "log.jsonl"
    run = subprocess.run([PYTHON, str(REPO / "tools" / "dcgan_recipe.py"), "--name", "tiny", "--iters", "4",
                          "--eval-every", "2", "--batch-size", "8", "--mbstd", "--ema", "0.9", "--log", str(log)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [row["iteration"] for row in rows] == [2, 4]
    for row in rows:
        for mode in ("eval", "train", "ema"):
            assert 0.0 <= row[mode]["share"] <= 1.0 and 0 <= row[mode]["kinds"] <= 10 and row[mode]["swd"] > 0
    table = subprocess.run([PYTHON, str(REPO / "tools" / "dcgan_recipe.py"), "--summarise", str(log)],
                           capture_output=True, text=True, timeout=60)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].startswith("| run | seed | 2 | 4 |")
    assert "| tiny | 0 |" in table.stdout
