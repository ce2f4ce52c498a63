"""Quality figures for the results: PSNR and SSIM for the auto-encoders, SWD for the GANs.

All images are float arrays in [-1, 1], HWC (one image) or NHWC (a batch), so the data range
is 2.0 everywhere. Batches give the mean over their images.
"""

import numpy as np
from scipy.ndimage import gaussian_filter

from common.digit_score import digit_score

DATA_RANGE = 2.0  # images live in [-1, 1]
PSNR_CAP = 100.0  # dB; identical images would give infinity, which JSON cannot hold


def _as_batch(images, dtype=np.float64):
    """HW, HWC or NHWC -> NHWC (float64 by default, so sums over many pixels stay exact)."""
    images = np.asarray(images, dtype=dtype)
    if images.ndim == 2:
        images = images[:, :, None]
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise ValueError(f"expected an HWC image or an NHWC batch, got shape {images.shape}")
    return images


def _pair(a, b):
    a, b = _as_batch(a), _as_batch(b)
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} and {b.shape}")
    return a, b


# --- PSNR -------------------------------------------------------------------------------------

def psnr_per_image(a, b):
    """PSNR in dB of each image pair: 10 log10(range^2 / MSE), capped at 100 dB for identical images."""
    a, b = _pair(a, b)
    mse = np.mean((a - b) ** 2, axis=(1, 2, 3))
    with np.errstate(divide="ignore"):
        values = 10.0 * np.log10(DATA_RANGE**2 / mse)
    return np.minimum(values, PSNR_CAP)


def psnr(a, b):
    """Peak signal-to-noise ratio in dB (higher is better), averaged over a batch.

    Identical images give 100 dB instead of infinity (a plain number in metrics.json).
    """
    return float(np.mean(psnr_per_image(a, b)))


# --- SSIM -------------------------------------------------------------------------------------

SSIM_SIGMA = 1.5
SSIM_TRUNCATE = 3.5  # radius int(3.5 * 1.5 + 0.5) = 5: the paper's 11x11 window
SSIM_C1 = (0.01 * DATA_RANGE) ** 2
SSIM_C2 = (0.03 * DATA_RANGE) ** 2


def _blur(channel):
    # "reflect" lets the window hang over the border, so images smaller than 11x11 work too.
    return gaussian_filter(channel, sigma=SSIM_SIGMA, truncate=SSIM_TRUNCATE, mode="reflect")


def _ssim_channel(x, y):
    """Mean SSIM of two 2-D arrays (Wang et al. 2004, eq. 13, Gaussian-weighted statistics)."""
    mean_x, mean_y = _blur(x), _blur(y)
    variance_x = _blur(x * x) - mean_x**2
    variance_y = _blur(y * y) - mean_y**2
    covariance = _blur(x * y) - mean_x * mean_y
    numerator = (2 * mean_x * mean_y + SSIM_C1) * (2 * covariance + SSIM_C2)
    denominator = (mean_x**2 + mean_y**2 + SSIM_C1) * (variance_x + variance_y + SSIM_C2)
    return float(np.mean(numerator / denominator))


def ssim_per_image(a, b):
    """SSIM of each image pair, each the mean over its channels."""
    a, b = _pair(a, b)
    return np.array(
        [np.mean([_ssim_channel(x[:, :, c], y[:, :, c]) for c in range(x.shape[2])]) for x, y in zip(a, b)]
    )


def ssim(a, b):
    """Structural similarity (1 = identical, lower = less alike), averaged over a batch.

    Standard SSIM: 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, data range 2.
    """
    return float(np.mean(ssim_per_image(a, b)))


def reconstruction_quality(originals, reconstructions):
    """PSNR and SSIM of an auto-encoder's test reconstructions: means and one value per image."""
    psnrs = psnr_per_image(originals, reconstructions)
    ssims = ssim_per_image(originals, reconstructions)
    return {
        "psnr": float(np.mean(psnrs)),
        "ssim": float(np.mean(ssims)),
        "psnr_per_image": [float(value) for value in psnrs],
        "ssim_per_image": [float(value) for value in ssims],
    }


# --- Sliced Wasserstein distance ----------------------------------------------------------------

def _patches(images, patch_size, patches_per_image, rng):
    """Random square patches as rows of shape (count, channels, pixels).

    Images smaller than the patch give one patch each: the whole image.
    """
    count, height, width, channels = images.shape
    if min(height, width) < patch_size:
        return images.transpose(0, 3, 1, 2).reshape(count, channels, height * width)
    windows = np.lib.stride_tricks.sliding_window_view(images, (patch_size, patch_size), axis=(1, 2))
    image_index = np.repeat(np.arange(count), patches_per_image)
    top = rng.integers(0, height - patch_size + 1, size=image_index.size)
    left = rng.integers(0, width - patch_size + 1, size=image_index.size)
    # windows[n, top, left] has shape (channels, patch, patch)
    return windows[image_index, top, left].reshape(image_index.size, channels, patch_size * patch_size)


def sliced_wasserstein_distance(generated, real, patch_size=7, patches_per_image=64, projections=128, seed=0):
    """How far the small patches of `generated` are, as a distribution, from those of `real`.

    Random patches from both sets are projected onto random directions; along each direction
    the two sorted lists of values are compared (1-D Wasserstein distance) and averaged.
    Lower is better; 0 means the same patch distribution. It needs no trained network, so it
    is the same in every framework. Patches are scaled by the real set's per-channel mean and
    standard deviation, so values are comparable between runs on the same data.
    """
    # float32 halves the memory of a large training set; the projections are sums of ~150 terms.
    generated, real = _as_batch(generated, np.float32), _as_batch(real, np.float32)
    if generated.shape[1:] != real.shape[1:]:
        raise ValueError(f"image shapes differ: {generated.shape[1:]} and {real.shape[1:]}")
    # The same patch positions for both sets (a fresh generator each), so identical sets give 0.
    fake_patches = _patches(generated, patch_size, patches_per_image, np.random.default_rng([seed, 1]))
    real_patches = _patches(real, patch_size, patches_per_image, np.random.default_rng([seed, 1]))

    rng = np.random.default_rng(seed)
    count = min(len(fake_patches), len(real_patches))  # equal sizes: sorted lists pair up one to one
    if len(fake_patches) > count:
        fake_patches = fake_patches[np.sort(rng.choice(len(fake_patches), count, replace=False))]
    if len(real_patches) > count:
        real_patches = real_patches[np.sort(rng.choice(len(real_patches), count, replace=False))]

    mean = real_patches.mean(axis=(0, 2), keepdims=True)
    std = real_patches.std(axis=(0, 2), keepdims=True)
    std[std == 0] = 1.0  # a constant channel: centre it, do not divide by zero
    fake_rows = ((fake_patches - mean) / std).reshape(count, -1)
    real_rows = ((real_patches - mean) / std).reshape(count, -1)

    directions = rng.standard_normal((fake_rows.shape[1], projections)).astype(np.float32)
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    fake_projected = np.sort(fake_rows @ directions, axis=0)
    real_projected = np.sort(real_rows @ directions, axis=0)
    return float(np.mean(np.abs(fake_projected - real_projected)))


def gan_quality(generated, real, seed=0):
    """The GAN's quality figure, with a yardstick.

    "swd" compares the generated images with the real ones. "swd_real_vs_real" compares two
    disjoint random halves of the real images: roughly the value a perfect generator would
    reach (None with fewer than 2 real images). Both are lower-is-better.
    """
    real = _as_batch(real, np.float32)
    order = np.random.default_rng(seed).permutation(len(real))  # real data is often sorted by class
    half = len(real) // 2
    reference = None
    if half >= 1:
        reference = sliced_wasserstein_distance(real[order[:half]], real[order[half : 2 * half]], seed=seed)
    return {"swd": sliced_wasserstein_distance(generated, real, seed=seed), "swd_real_vs_real": reference}


# --- Nearest training image ---------------------------------------------------------------------

def nearest_images(queries, references, chunk=256):
    """For each query image, the index of the closest reference image and the RMS distance to it.

    A GAN trained on few images can learn to copy them; a sample as close to a training image
    as two copies of one photo would be is a memorised one, not a new one.
    """
    queries = _as_batch(queries, np.float32).reshape(len(queries), -1)
    references = _as_batch(references, np.float32).reshape(len(references), -1)
    reference_norms = np.sum(references**2, axis=1)
    indices, distances = [], []
    for start in range(0, len(queries), chunk):
        rows = queries[start:start + chunk]
        # |q - r|^2 = |q|^2 - 2 q.r + |r|^2, one matrix product for the whole chunk
        squared = np.sum(rows**2, axis=1)[:, None] - 2 * rows @ references.T + reference_norms[None, :]
        best = np.argmin(squared, axis=1)
        indices.append(best)
        distances.append(np.sqrt(np.maximum(squared[np.arange(len(rows)), best], 0) / queries.shape[1]))
    return np.concatenate(indices), np.concatenate(distances)


def largest_gap(expected, found):
    """max |expected - found| over every element; NaN or a shape mismatch count as infinite
    (tools/parity.py and the answer checker judge closeness by it)."""
    expected, found = np.asarray(expected, np.float64), np.asarray(found, np.float64)
    if expected.shape != found.shape:
        return float("inf")
    gap = np.abs(expected - found)
    return float("inf") if np.isnan(gap).any() else float(gap.max(initial=0.0))


# --- The figures of a GAN's test ------------------------------------------------------------------

REAL_IMAGES_FOR_DISTANCE = 512  # training images the GAN distance compares against


def sample_figures(samples, training_set, test_set, digits):
    """A GAN's figures: the SWD with its yardstick, how close samples come to the training images
    beside how close test images come, and with `digits` the digit score and verdict
    (common/digit_score.py). Also the index of each sample's nearest training image."""
    training_images = training_set.images
    rng = np.random.default_rng(0)
    count = min(len(training_images), REAL_IMAGES_FOR_DISTANCE)
    figures = gan_quality(samples, training_images[np.sort(rng.choice(len(training_images), count, replace=False))])
    nearest, distances = nearest_images(samples, training_images)
    figures["nearest_training_distance"] = float(np.mean(distances))
    if test_set is not None:
        _, test_distances = nearest_images(test_set.images, training_images)
        figures["test_nearest_training_distance"] = float(np.mean(test_distances))
    if digits:
        figures.update(digit_score(samples, training_set, test_set))
    return figures, nearest
