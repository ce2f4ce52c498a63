"""Reading images: every format becomes float32 (size, size, channels) in [-1, 1], RGB order."""

import cv2
import numpy as np
import pytest
from PIL import Image

from common.errors import UserError
from common.data.images import IMAGE_EXTENSIONS, find_images, load_folder, read_image

RED_BGR = (0, 0, 255)


def write_cv2(path, image):
    assert cv2.imwrite(str(path), image), path
    return path


def red_image(dtype=np.uint8, maximum=255, side=6):
    image = np.zeros((side, side, 3), dtype)
    image[:, :, 2] = maximum  # OpenCV stores BGR: red is the last channel
    return image


@pytest.fixture
def samples(tmp_path):
    """One small red (or white, for gray files) image per format."""
    gray = np.full((6, 6), 255, np.uint8)
    bgra = np.dstack([red_image(), np.full((6, 6), 128, np.uint8)])
    palette = Image.fromarray(np.ones((6, 6), np.uint8), "P")
    palette.putpalette([0, 0, 255] + [255, 0, 0] + [0] * 762)  # index 1 is red
    palette.save(tmp_path / "palette.png")
    return {
        "jpeg": write_cv2(tmp_path / "red.jpg", red_image()),
        "png": write_cv2(tmp_path / "red.png", red_image()),
        "rgba": write_cv2(tmp_path / "rgba.png", bgra),
        "palette": tmp_path / "palette.png",
        "gray": write_cv2(tmp_path / "gray.png", gray),
        "png16": write_cv2(tmp_path / "red16.png", red_image(np.uint16, 65535)),
        "tiff16": write_cv2(tmp_path / "red16.tif", red_image(np.uint16, 65535)),
        "bmp": write_cv2(tmp_path / "red.bmp", red_image()),
        "webp": write_cv2(tmp_path / "red.webp", red_image()),
        "upper": write_cv2(tmp_path / "RED.PNG", red_image()),
    }


@pytest.mark.parametrize("kind", ["jpeg", "png", "rgba", "palette", "gray", "png16", "tiff16", "bmp", "webp", "upper"])
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("size", [4, 6, 9])
def test_every_format_reads_as_float_in_range(samples, kind, channels, size):
    image = read_image(samples[kind], size, channels)
    assert image.shape == (size, size, channels)
    assert image.dtype == np.float32
    assert image.min() >= -1 and image.max() <= 1


@pytest.mark.parametrize("kind", ["png", "rgba", "palette", "png16", "tiff16", "bmp"])
def test_red_reads_as_red_in_rgb_order(samples, kind):
    image = read_image(samples[kind], 6, 3)
    np.testing.assert_allclose(image[..., 0], 1, atol=1e-6)
    np.testing.assert_allclose(image[..., 1:], -1, atol=1e-6)


def test_lossy_formats_are_close_to_red(samples):
    for kind in ("jpeg", "webp"):
        pixel = read_image(samples[kind], 6, 3)[3, 3]
        assert pixel[0] > 0.8 and pixel[1] < -0.8 and pixel[2] < -0.8, kind


def test_gray_file_becomes_three_equal_channels(samples):
    image = read_image(samples["gray"], 6, 3)
    np.testing.assert_array_equal(image, np.ones((6, 6, 3), np.float32))


def test_color_to_gray_uses_luminance(samples):
    # Luminance of pure red is 0.299: 255 * 0.299 = 76 -> 76 / 127.5 - 1
    value = read_image(samples["png"], 6, 1)[0, 0, 0]
    assert value == pytest.approx(76 / 127.5 - 1, abs=1 / 127.5)


def test_8_bit_scaling(tmp_path):
    gray = np.array([[0, 127, 255, 51]], np.uint8).repeat(4, axis=0)
    image = read_image(write_cv2(tmp_path / "steps.png", gray), 4, 1)
    np.testing.assert_allclose(image[0, :, 0], np.array([0, 127, 255, 51]) / 127.5 - 1, rtol=1e-6)


def test_16_bit_uses_its_own_range(tmp_path):
    gray = np.array([[0, 32768, 65535, 1000]], np.uint16).repeat(4, axis=0)
    image = read_image(write_cv2(tmp_path / "steps16.png", gray), 4, 1)
    np.testing.assert_allclose(image[0, :, 0], np.array([0, 32768, 65535, 1000]) / 65535 * 2 - 1, atol=1e-6)


def test_non_ascii_path(tmp_path):
    folder = tmp_path / "イモリ"
    folder.mkdir()
    data = cv2.imencode(".png", red_image())[1].tobytes()
    (folder / "赤腹.png").write_bytes(data)
    assert read_image(folder / "赤腹.png", 6, 3)[0, 0, 0] == 1


def test_shrinking_and_enlarging_keep_a_flat_image_flat(samples):
    for size in (2, 3, 64):
        np.testing.assert_allclose(read_image(samples["png"], size, 3)[..., 0], 1, atol=1e-6)


def test_damaged_image_names_the_file(tmp_path):
    damaged = tmp_path / "broken.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a png")
    with pytest.raises(UserError, match="broken.png") as caught:
        read_image(damaged, 8, 3)
    assert "damaged" in str(caught.value)


def test_empty_file_is_damaged(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(UserError, match="empty.jpg"):
        read_image(tmp_path / "empty.jpg", 8, 3)


def test_extensions_list():
    assert IMAGE_EXTENSIONS == {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}


def test_find_images_skips_other_files_with_a_warning(tmp_path, capsys):
    for name in ("b/2.png", "a/1.png", "a/10.png", "top.jpg"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        write_cv2(tmp_path / name, red_image())
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / ".hidden").mkdir()
    write_cv2(tmp_path / ".hidden" / "x.png", red_image())

    found = find_images(tmp_path)

    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/1.png", "a/10.png", "b/2.png", "top.jpg"]
    warnings = capsys.readouterr().err.strip().splitlines()
    assert warnings == [f"warning: skipping {tmp_path / 'notes.txt'}: not an image"]


def test_missing_folder(tmp_path):
    with pytest.raises(UserError, match="nowhere.*--data"):
        find_images(tmp_path / "nowhere")


def test_folder_without_images(tmp_path):
    (tmp_path / "readme.md").write_text("no pictures here")
    with pytest.raises(UserError, match=f"no images .* in {tmp_path}"):
        find_images(tmp_path)


def test_load_folder_keeps_sorted_order_and_stems(tmp_path):
    for index, name in enumerate(("c.png", "a.png", "b.png")):
        write_cv2(tmp_path / name, np.full((5, 7), index * 100, np.uint8))
    loaded = load_folder(tmp_path, 4, 1)
    assert loaded.stems == ["a", "b", "c"]
    assert loaded.paths == [tmp_path / "a.png", tmp_path / "b.png", tmp_path / "c.png"]
    assert loaded.images.shape == (3, 4, 4, 1) and loaded.images.dtype == np.float32
    np.testing.assert_allclose(loaded.images[:, 0, 0, 0], np.array([100, 200, 0]) / 127.5 - 1, rtol=1e-6)
