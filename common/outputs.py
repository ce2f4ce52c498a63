"""The files a run leaves under --out, the same in every framework: their names (the project's
<model>_<framework>_<what>) and the pictures, plots and metrics written into them."""

import time

import numpy as np

from common import data, metrics, results
from common.digit_score import digit_score
from common.errors import UserError
from common.paths import output_name

SAMPLES_IN_GRID = 64  # the GAN grid: 8 x 8 images from the shared fixed noise
REAL_IMAGES_FOR_DISTANCE = 512  # training images the GAN distance compares against
GIF_FRAMES = 20  # with --gif and no --sample-every: this many frames over the run
GIF_SECONDS_PER_FRAME = 0.25  # the last frame is held four times as long


class Outputs:
    def __init__(self, args):
        self.args = args
        self.model, self.framework = args.model, args.framework
        self.out = args.out

    def path(self, what):
        """out/<model>_<framework>_<what>, the project's name for every output."""
        return self.out / output_name(self.model, self.framework, what)

    # ----- files left by training and testing ----------------------------------------------
    def training_log(self, start_iteration, losses):
        description = f"{self.model} {self.framework}"
        return results.TrainingLog(self.args.iters, start_iteration, losses, description=description)

    def save_training_images(self, batches):
        """A grid of the first 64 training images as the model sees them: augmented, resized."""
        count = min(SAMPLES_IN_GRID, len(batches.images))
        images = np.concatenate([batches.batch(index) for index in range(-(-count // batches.batch_size))])
        results.save_grid(self.path("training_images.png"), images[:count])

    def finish_training(self, log, started, stopped=None, warnings=()):
        args = self.args
        title = f"{self.model.upper()} ({self.framework})"
        results.save_loss_plot(self.path("loss.png"), log.losses, title)
        if args.gif:
            self.save_progress_gif()  # the AEs write no progress grids, so nothing for them
        results.write_metrics(self.path("metrics.json"), {
            "framework": self.framework, "model": self.model,
            "data": str(args.data) if args.data is not None else args.dataset,
            "iterations": args.iters, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
            "size": args.size, "channels": args.channels, "augment": args.augment,
            "seconds_per_iteration": log.seconds_per_iteration,
            "training_seconds": time.time() - started, "losses": log.losses,
            "stopped": stopped, "warnings": list(warnings)})

    def save_progress_samples(self, iteration, images):
        results.save_grid(self.path(f"samples_{iteration + 1:06d}.png"), images,
                          title=f"iteration {iteration + 1}" if self.args.gif else None)

    def save_progress_gif(self):
        """The progress grids written so far (a resumed run's too), in order, as one GIF."""
        frames = sorted(self.out.glob(f"{self.model}_{self.framework}_samples_[0-9]*.png"))
        frames = [frame for frame in frames if int(frame.stem.rsplit("_", 1)[1]) <= self.args.iters]
        if frames:
            results.save_gif(self.path("progress.gif"), frames, GIF_SECONDS_PER_FRAME)
            print(f"wrote {self.path('progress.gif')} ({len(frames)} frames)")

    def finish_reconstruction_test(self, test_set, reconstructions):
        """AE/ConvAE: one side-by-side PNG per test image plus PSNR/SSIM in metrics.json."""
        for stem, original, reconstruction in zip(test_set.stems, test_set.images, reconstructions):
            results.save_side_by_side(self.path(f"{stem}.png"), original, reconstruction)
        quality = metrics.reconstruction_quality(test_set.images, reconstructions)
        results.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model,
                                                         "test_images": len(test_set.stems), **quality})
        print(f"test: PSNR {quality['psnr']:.2f} dB, SSIM {quality['ssim']:.4f} over "
              f"{len(test_set.stems)} images; wrote {self.path('<stem>.png')}")

    def finish_generation_test(self, samples, training_set):
        """GAN/DCGAN: the sample grid from the fixed noise, a distance to the training images
        and, on the built-in digits, the digit score (common/digit_score.py)."""
        results.save_grid(self.path("samples.png"), samples)
        training_images = training_set.images
        rng = np.random.default_rng(0)
        count = min(len(training_images), REAL_IMAGES_FOR_DISTANCE)
        real = training_images[np.sort(rng.choice(len(training_images), count, replace=False))]
        quality = metrics.gan_quality(samples, real)
        try:
            test_set = data.load_test_set(self.args)
        except UserError:
            test_set = None  # a GAN needs no test images: its figures then go without a yardstick
        quality.update(self.save_nearest_training_images(samples, training_set, test_set))
        if data.is_builtin_digits(self.args) or data.is_mnist(self.args):
            quality.update(digit_score(samples, training_set, test_set))
            print(f"test: {quality['digit_share']:.0%} of the {len(samples)} samples are confidently digits, "
                  f"{quality['digit_kinds']} kind{'s' * (quality['digit_kinds'] != 1)} of 10, precision {quality['digit_precision']:.0%}, recall "
                  f"{quality['digit_recall']:.0%} (real test digits: {quality['real_digit_share']:.0%}, "
                  f"{quality['real_digit_kinds']} kinds, precision {quality['real_digit_precision']:.0%}, "
                  f"recall {quality['real_digit_recall']:.0%})")
            print(f"test: verdict: {quality['sample_verdict']}")
        results.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model, **quality})
        print(f"test: sliced Wasserstein distance {quality['swd']:.4f} (real vs real "
              f"{quality['swd_real_vs_real']:.4f}); wrote {self.path('samples.png')}")

    def save_nearest_training_images(self, samples, training_set, test_set):
        """Each sample beside its nearest training image (columns: sample, nearest, sample, ...),
        and how close samples are to the training images, beside how close test images are."""
        nearest, distances = metrics.nearest_images(samples, training_set.images)
        pairs = np.stack([samples, training_set.images[nearest]], axis=1).reshape(-1, *samples.shape[1:])
        results.save_grid(self.path("nearest.png"), pairs, columns=16)
        figures = {"nearest_training_distance": float(np.mean(distances))}
        if test_set is None:
            return figures
        _, test_distances = metrics.nearest_images(test_set.images, training_set.images)
        figures["test_nearest_training_distance"] = float(np.mean(test_distances))
        return figures


def in_batches(array, batch_size):
    """Split a test array into mini-batches so that a large test set never fills memory."""
    for start in range(0, len(array), batch_size):
        yield array[start:start + batch_size]
