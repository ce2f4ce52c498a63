"""Each data set brings its own defaults (common/defaults.py, through common/cli.py)."""


import numpy as np
import pytest

from common import cli


# --- defaults per data set -------------------------------------------------------------------

def test_digits_default_to_small_gray_upright_images():
    args = cli.parse_args("dcgan", "pytorch", [])
    assert (args.size, args.channels) == (16, 1)
    assert not any(args.augment.values())
    assert (args.iters, args.batch_size, args.lr) == (2500, 64, 0.0002)  # README, Q4


def test_photos_default_to_the_exercise_settings(tmp_path):
    for argv in (["--data", str(tmp_path)], ["--dataset", "newts"]):
        args = cli.parse_args("dcgan", "pytorch", argv)
        assert (args.size, args.channels) == (64, 3)
        assert all(args.augment.values()), argv


def test_flags_override_the_data_set_defaults():
    args = cli.parse_args("gan", "keras", ["--size", "32", "--channels", "3", "--hflip", "--no-scale",
                                           "--iters", "7", "--batch-size", "5", "--lr", "0.01"])
    assert (args.size, args.channels, args.iters, args.batch_size, args.lr) == (32, 3, 7, 5, 0.01)
    assert args.augment == {"hflip": True, "vflip": False, "rotate": False, "scale": False, "color": False}
    photos = cli.parse_args("gan", "keras", ["--dataset", "newts", "--no-scale"]).augment
    assert photos == {"hflip": True, "vflip": True, "rotate": True, "scale": False, "color": True}
    only_hflip = cli.parse_args("gan", "keras", ["--no-augment", "--hflip"]).augment
    assert only_hflip == {"hflip": True, "vflip": False, "rotate": False, "scale": False, "color": False}
    # ... and where the data set's default augments (the digits' does not, so it cannot tell)
    assert not any(cli.parse_args("gan", "keras", ["--dataset", "newts", "--no-augment"]).augment.values())
    photos_hflip = cli.parse_args("gan", "keras", ["--dataset", "newts", "--no-augment", "--hflip"]).augment
    assert photos_hflip == only_hflip


def test_help_shows_the_defaults_of_each_data_set(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args("dcgan", "chainer", ["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "digits 16, photos 64" in text and "digits 1, photos 3" in text
    assert "--hflip, --no-hflip" in text and "(default: on for photos)" in text


def test_a_gan_needs_two_images_a_batch():
    """BatchNorm needs two samples for a variance: the flag is refused before anything runs."""
    for model in ("gan", "dcgan"):
        with pytest.raises(cli.UserError, match="--batch-size must be at least 2"):
            cli.parse_args(model, "pytorch", ["--batch-size", "1"])
    assert cli.parse_args("ae", "pytorch", ["--batch-size", "1"]).batch_size == 1


def test_a_bad_size_for_the_dcgan_is_still_caught_after_the_defaults():
    with pytest.raises(cli.UserError, match="multiple of 16"):
        cli.parse_args("dcgan", "pytorch", ["--size", "24"])


