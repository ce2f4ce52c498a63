"""The pictures a run leaves (common/pictures.py): grids, side-by-side images, the GIF and the loss plot."""

import time

import cv2
import numpy as np
import pytest

from common.pictures import save_grid, save_loss_plot, save_side_by_side, to_uint8


def random_images(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


def read_png(path):
    """Read back with OpenCV: proves the file is a real PNG, not just a file with that name."""
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None
    return image


# --- to_uint8 -----------------------------------------------------------------------------------

def test_to_uint8_uses_the_fixed_range_and_clips():
    values = np.array([-2.0, -1.0, 0.0, 1.0, 3.0], np.float32)
    assert to_uint8(values).tolist() == [0, 0, 128, 255, 255]
    assert to_uint8(values).dtype == np.uint8


def test_a_flat_image_is_not_stretched():
    grey = np.full((4, 4, 1), 0.0, np.float32)
    assert np.all(to_uint8(grey) == 128)  # min-max rescaling would give 0 or nan


# --- side by side -------------------------------------------------------------------------------

def test_side_by_side_enlarges_8x8_digits(tmp_path):
    path = tmp_path / "ae_pytorch_0001.png"
    save_side_by_side(path, random_images((8, 8, 1)), random_images((8, 8, 1), seed=1))
    image = read_png(path)
    assert image.shape[1] > 2 * 128
    assert image.shape[0] >= 128


def test_side_by_side_shows_both_images_unchanged(tmp_path):
    path = tmp_path / "pair.png"
    original = np.full((64, 64, 3), -1.0, np.float32)  # black
    reconstruction = np.full((64, 64, 3), 1.0, np.float32)  # white
    reconstruction[:, :, 1:] = -1.0  # pure red: tests the RGB -> BGR order
    save_side_by_side(path, original, reconstruction)
    image = read_png(path)
    assert image.shape[1] > 2 * 128
    black = np.all(image == (0, 0, 0), axis=2)
    red = np.all(image == (0, 0, 255), axis=2)  # BGR as OpenCV reads it
    assert black.sum() >= 128 * 128
    assert red.sum() >= 128 * 128
    assert tuple(image[0, 0]) == (255, 255, 255)  # white background


def test_side_by_side_accepts_a_batch_of_one_and_rejects_different_shapes(tmp_path):
    save_side_by_side(tmp_path / "a.png", random_images((1, 16, 16, 3)), random_images((1, 16, 16, 3)))
    assert read_png(tmp_path / "a.png") is not None
    with pytest.raises(ValueError):
        save_side_by_side(tmp_path / "b.png", random_images((16, 16, 3)), random_images((8, 8, 3)))


def test_twenty_side_by_side_files_are_fast(tmp_path):
    original, reconstruction = random_images((64, 64, 3)), random_images((64, 64, 3), seed=1)
    start = time.perf_counter()
    for index in range(20):
        save_side_by_side(tmp_path / f"{index}.png", original, reconstruction)
    assert time.perf_counter() - start < 2.0


# --- grid ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("channels", [1, 3])
def test_grid_size_with_an_incomplete_last_row(tmp_path, channels):
    path = tmp_path / "gan_pytorch_samples.png"
    save_grid(path, random_images((10, 8, 8, channels)), columns=4)
    image = read_png(path)
    # 8x8 cells are enlarged 8x to 64 px; 4 columns, 3 rows, 2 px gaps around and between.
    assert image.shape == (2 + 3 * (64 + 2), 2 + 4 * (64 + 2), 3)


def test_grid_value_range_is_explicit(tmp_path):
    path = tmp_path / "grid.png"
    images = np.concatenate([np.full((1, 64, 64, 3), -1.0), np.full((1, 64, 64, 3), 1.0)]).astype(np.float32)
    save_grid(path, images, columns=2)
    image = read_png(path)
    assert np.all(image[2 : 2 + 64, 2 : 2 + 64] == 0)  # -1 is black
    assert np.all(image[2 : 2 + 64, 68 : 68 + 64] == 255)  # 1 is white


def test_grid_with_title_is_taller(tmp_path):
    save_grid(tmp_path / "plain.png", random_images((4, 64, 64, 3)), columns=4)
    save_grid(tmp_path / "titled.png", random_images((4, 64, 64, 3)), columns=4, title="iteration 100")
    plain, titled = read_png(tmp_path / "plain.png"), read_png(tmp_path / "titled.png")
    assert titled.shape[1] == plain.shape[1]
    assert titled.shape[0] > plain.shape[0]


# --- loss plot ----------------------------------------------------------------------------------

def test_loss_plot(tmp_path):
    path = tmp_path / "gan_pytorch_loss.png"
    save_loss_plot(path, {"d_loss": list(np.linspace(1.4, 0.5, 50)), "g_loss": [0.7] * 50}, "GAN (pytorch)")
    assert read_png(path).shape[0] > 100


def test_loss_plot_without_iterations(tmp_path):
    path = tmp_path / "ae_pytorch_loss.png"
    save_loss_plot(path, {"loss": []}, "AE (pytorch)")
    assert read_png(path) is not None
    save_loss_plot(tmp_path / "none.png", {}, "nothing at all")
    assert read_png(tmp_path / "none.png") is not None
