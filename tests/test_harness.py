"""What the harness does around any script, checked where a user would see it (the files a run
writes, what it stops with, what the network was handed), not in the helper that should do it.
PyTorch stands for all four frameworks here: the harness is the same code for each."""

import json

import cv2
import numpy as np

from common import images, results
from common.metrics import psnr
from common.results import MARGIN, TITLE_HEIGHT
from common.weights import load_weights
from conftest import load_script


def metrics_of(out, model, framework="pytorch"):
    return json.loads((out / f"{model}_{framework}_metrics.json").read_text())


# ----- an auto-encoder is tested on the test images as they are --------------------------------------
def photo_folder(root, count=3, size=20):
    """train/images and test/images of small random colour pictures: photos, so every augmentation is on."""
    rng = np.random.default_rng(3)
    for split in ("train", "test"):
        folder = root / split / "images"
        folder.mkdir(parents=True)
        for index in range(count):
            picture = cv2.GaussianBlur(rng.integers(0, 256, (size, size, 3), dtype=np.uint8), (0, 0), 1.5)
            cv2.imwrite(str(folder / f"{split}{index}.png"), picture)
    return root / "train" / "images", root / "test" / "images"


def test_the_test_images_are_not_augmented(tmp_path):
    """Photos get every augmentation in training; the test must still see each file as it is:
    its panel in the side-by-side picture and the PSNR are those of the file's pixels."""
    script, out = load_script("pytorch", "ae"), tmp_path / "out"
    train, test = photo_folder(tmp_path / "photos")
    flags = ["--data", str(train), "--size", "16", "--channels", "1", "--batch-size", "2", "--out", str(out)]
    script.main([*flags, "--iters", "1", "--train", "--export-weights", str(tmp_path / "trained.npz")])
    assert all(metrics_of(out, "ae")["augment"].values())
    script.main([*flags, "--test"])
    originals = images.load_folder(test, 16, 1)
    network = script.build_model(16, 1)
    script.set_weights(network, load_weights(tmp_path / "trained.npz", "ae", 16, 1))
    expected = psnr(originals.images, script.reconstruct(network, originals.images))
    assert abs(metrics_of(out, "ae")["psnr"] - expected) <= 1e-3
    for stem, original in zip(originals.stems, originals.images):
        shown = cv2.imread(str(out / f"ae_pytorch_{stem}.png"), cv2.IMREAD_GRAYSCALE)
        top = MARGIN + TITLE_HEIGHT
        panel = shown[top:top + 128:8, MARGIN:MARGIN + 128:8]  # 16 pixels enlarged to 128, one in each 8
        np.testing.assert_array_equal(panel, results.to_uint8(original[..., 0]), err_msg=stem)
