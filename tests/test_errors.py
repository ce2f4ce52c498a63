"""User mistakes end with one clear line and a non-zero exit, never a traceback.

Run through the PyTorch scripts in fresh processes, exactly as a user meets them; the
other frameworks share the same command line and loaders (each has its own smaller check).
"""

import shutil

import pytest

from conftest import run_script

SMALL = ["--size", "16", "--channels", "1", "--iters", "1", "--batch-size", "2"]


def assert_one_line_error(finished, *words):
    assert finished.returncode == 2, finished.stderr
    assert "Traceback" not in finished.stderr
    errors = [line for line in finished.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, finished.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture
def image_folder(digits, tmp_path):
    """A small copy of the digits' training images to spoil in each test."""
    folder = tmp_path / "images"
    folder.mkdir()
    for path in sorted((digits / "train" / "images" / "3").glob("*.png"))[:8]:
        shutil.copy(path, folder / path.name)
    return folder


def test_missing_data_folder(tmp_path):
    missing = tmp_path / "no-such-folder"
    finished = run_script("pytorch", "ae", *SMALL, "--data", missing, "--test-data", missing, "--out", tmp_path / "out")
    assert_one_line_error(finished, str(missing))


def test_empty_data_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    finished = run_script("pytorch", "ae", *SMALL, "--data", empty, "--test-data", empty, "--out", tmp_path / "out")
    assert_one_line_error(finished, str(empty))


def test_corrupt_image_is_named(image_folder, tmp_path):
    (image_folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not really a png")
    finished = run_script("pytorch", "ae", *SMALL, "--data", image_folder, "--test-data", image_folder, "--out", tmp_path / "out")
    assert_one_line_error(finished, "broken.png")


def test_non_image_file_is_skipped_with_a_warning(image_folder, tmp_path):
    (image_folder / "notes.txt").write_text("not an image")
    finished = run_script("pytorch", "ae", *SMALL, "--data", image_folder, "--test-data", image_folder, "--out", tmp_path / "out")
    assert finished.returncode == 0, finished.stderr
    assert "notes.txt" in finished.stderr
    assert (tmp_path / "out" / "ae_pytorch_metrics.json").is_file()


def test_dcgan_size_must_be_a_multiple_of_16(tmp_path):
    finished = run_script("pytorch", "dcgan", "--size", "40", "--out", tmp_path)
    assert_one_line_error(finished, "--size", "16")


def test_test_without_checkpoint(tmp_path):
    finished = run_script("pytorch", "gan", "--test", "--size", "16", "--channels", "1", "--out", tmp_path / "empty")
    assert_one_line_error(finished, "checkpoint")


def test_negative_iterations(tmp_path):
    finished = run_script("pytorch", "convae", "--iters", "-3", "--out", tmp_path)
    assert_one_line_error(finished, "--iters")


def test_init_weights_of_another_model(tmp_path):
    weights = tmp_path / "ae.npz"
    exported = run_script("pytorch", "ae", "--size", "16", "--channels", "1", "--iters", "0", "--train",
                          "--export-weights", weights, "--out", tmp_path / "out")
    assert exported.returncode == 0, exported.stderr
    finished = run_script("pytorch", "gan", "--size", "16", "--channels", "1", "--iters", "1", "--train",
                          "--init-weights", weights, "--out", tmp_path / "out")
    assert_one_line_error(finished, "ae.npz", "ae")
