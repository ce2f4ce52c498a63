"""The table of sample verdicts in the README: what the digit score, the precision and recall and
the verdict say of noise, blobs, one repeated sample, real digits and each GAN and DCGAN answer.

    python tools/verdict_table.py            # print the table (Markdown)
    python tools/verdict_table.py --write    # also store the figures in answers/*_metrics.json

The answers are judged from their samples grids (answers/<model>_<framework>_samples.png), which
hold exactly the 8-bit samples their runs judged; --write is for answers made before the verdict
existed. Everything here is deterministic (fixed seeds), so the table is the same on every machine.
"""

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common import pictures, records# noqa: E402
from common.digit_score import digit_score  # noqa: E402
from common.data.digits import ensure_digits  # noqa: E402
from common.data.images import load_folder  # noqa: E402

SAMPLES, SIZE = 64, 16
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")


def made_up_samples(test_images):
    """Name -> 64 samples that are not a GAN's: what a broken or collapsed GAN could draw."""
    rng = np.random.default_rng(0)
    noise = rng.uniform(-1, 1, (SAMPLES, SIZE, SIZE, 1)).astype(np.float32)
    blobs = np.stack([cv2.GaussianBlur(image[..., 0], (0, 0), 2.0) * 3 for image in noise])[..., None]
    stripe = -np.ones((SIZE, SIZE, 1), np.float32)
    stripe[:, SIZE // 2 - 1:SIZE // 2 + 1] = 1
    return {
        "uniform noise": noise,
        "blurred blobs": np.clip(blobs, -1, 1),
        "one real digit, 64 times": np.repeat(test_images[3:4], SAMPLES, axis=0),
        "one stripe, 64 times": np.repeat(stripe[None], SAMPLES, axis=0),
    }


def rows(answers=REPO / "answers"):
    """(name, figures, metrics.json path or None) for each row of the table."""
    root = ensure_digits()
    training = load_folder(root / "train" / "images", SIZE, 1)
    test = load_folder(root / "test" / "images", SIZE, 1)
    for name, samples in made_up_samples(test.images).items():
        yield name, digit_score(samples, training, test), None
    yield f"the {len(test.images)} real test digits", digit_score(test.images, training, test), None
    for model in ("gan", "dcgan"):
        for framework in FRAMEWORKS:
            grid = answers / f"{model}_{framework}_samples.png"
            samples = pictures.read_grid(grid, SIZE, SAMPLES)
            yield f"answer {model}/{framework}", digit_score(samples, training, test), grid.with_name(
                f"{model}_{framework}_metrics.json")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="store the figures in answers/*_metrics.json")
    args = parser.parse_args(argv)
    print("| samples | confidently digits | kinds | precision | recall | verdict |")
    print("|---|---|---|---|---|---|")
    for name, figures, metrics_path in rows():
        print(f"| {name} | {figures['digit_share']:.0%} | {figures['digit_kinds']} | {figures['digit_precision']:.0%} "
              f"| {figures['digit_recall']:.0%} | {figures['sample_verdict']} |")
        if args.write and metrics_path is not None:
            records.write_metrics(metrics_path, {key: figures[key] for key in (
                "digit_precision", "digit_recall", "real_digit_precision", "real_digit_recall", "sample_verdict")})


if __name__ == "__main__":
    main()
