"""The best test PSNR any linear auto-encoder with a 64-unit code can reach on a data set.

The AE of this project is linear (Dense(64) then Dense(H*W*C), no activation). Whatever its
weights, its output is the mean image plus a point of a 64-dimensional subspace, and the
subspace that loses the least squared error on the training images is spanned by their first
64 principal components. Projecting the test images onto it gives the yardstick for the AE's
test PSNR: a trained AE near this number has learnt all a linear model can.

The training images are drawn exactly as the AE script draws them (same batches, same
augmentation, same seed), so the yardstick is for the same data the AE saw.

    python tools/linear_optimum.py                         # the digits, at their defaults
    python tools/linear_optimum.py --dataset newts         # the newt photos, 64x64x3
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from common import cli, data, metrics  # noqa: E402
from common.errors import run_main  # noqa: E402

CODE_SIZE = 64  # the AE's Dense(64)
MAX_IMAGES = 8192  # 400 MB at 64x64x3 in float32; more changes the subspace very little


def principal_subspace(images, components):
    """The mean image and the top `components` principal directions (rows) of NHWC images."""
    from sklearn.decomposition import PCA

    # The randomized solver finds the top 64 directions without a full SVD of 12,288 pixels.
    pca = PCA(n_components=components, svd_solver="randomized", random_state=0)
    pca.fit(images.reshape(len(images), -1))
    return pca.mean_.astype(np.float64), pca.components_.astype(np.float64)


def project(images, mean, directions):
    rows = images.reshape(len(images), -1).astype(np.float64) - mean
    return ((rows @ directions.T) @ directions + mean).reshape(images.shape).astype(np.float32)


def main(argv=None):
    args = cli.parse_args("ae", "linear_optimum", argv)
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    # Every batch the AE trains on, up to MAX_IMAGES images.
    count = min(args.iters, max(1, MAX_IMAGES // args.batch_size))
    seen = np.concatenate([batches.batch(iteration) for iteration in range(count)])
    mean, directions = principal_subspace(seen, CODE_SIZE)
    test_set = data.load_test_set(args)
    best = project(test_set.images, mean, directions)
    quality = metrics.reconstruction_quality(test_set.images, best)
    print(f"{len(seen)} augmented training images ({count} batches of {args.batch_size}), "
          f"{args.size}x{args.size}x{args.channels}: the best linear {CODE_SIZE}-unit auto-encoder reaches "
          f"PSNR {quality['psnr']:.2f} dB, SSIM {quality['ssim']:.4f} on the {len(test_set.images)} test images")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main))
