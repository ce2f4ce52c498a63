"""Bookkeeping of one run, the same in every framework: file names under --out, where the
starting weights come from, the training state beside the checkpoint, and the files that
training and testing leave behind.

The framework-specific parts (building layers, the checkpoint file itself) stay in the
scripts; they call these helpers so that all sixteen write the same files.
"""

import json
import time

import numpy as np

from common import metrics, results, weights
from common.architectures import initial_weights
from common.errors import UserError
from common.files import write_text_atomic
from common.paths import output_name

SAMPLES_IN_GRID = 64  # the GAN grid: 8 x 8 images from the shared fixed noise
REAL_IMAGES_FOR_DISTANCE = 512  # training images the GAN distance compares against


class Run:
    def __init__(self, args):
        self.args = args
        self.model, self.framework = args.model, args.framework
        self.out = args.out

    def path(self, what):
        """out/<model>_<framework>_<what>, the SPEC's name for every output."""
        return self.out / output_name(self.model, self.framework, what)

    # ----- starting point -------------------------------------------------------------
    def starting_weights(self):
        """--init-weights if given, else the seeded initial weights shared by all frameworks."""
        args = self.args
        if args.init_weights is not None:
            return weights.load_weights(args.init_weights, self.model, args.size, args.channels)
        return initial_weights(self.model, args.size, args.channels, args.seed)

    def export_weights(self, canonical):
        if self.args.export_weights is not None:
            weights.save_weights(self.args.export_weights, canonical, self.model, self.args.size, self.args.channels)
            print(f"wrote canonical weights to {self.args.export_weights}")

    # ----- checkpoint state ------------------------------------------------------------
    # The framework writes its own checkpoint file (model and optimizer); this JSON beside
    # it records how far training got. It is written after the checkpoint, so a JSON that
    # exists always describes a complete checkpoint.
    def save_state(self, iteration, losses):
        state = {"model": self.model, "framework": self.framework, "iteration": iteration,
                 "size": self.args.size, "channels": self.args.channels, "losses": losses}
        write_text_atomic(self.path("checkpoint.json"), json.dumps(state))

    def load_state(self, checkpoint_file):
        """Return (iteration, losses) of the checkpoint in --out, or raise a clear UserError."""
        state_path = self.path("checkpoint.json")
        if not state_path.is_file() or not checkpoint_file.exists():
            raise UserError(f"no checkpoint {checkpoint_file} in {self.out}: train first "
                            f"(run without --test), or point --out at the folder of an earlier run")
        try:
            state = json.loads(state_path.read_text())
        except ValueError:
            raise UserError(f"{state_path} is damaged: delete it and train again") from None
        if (state["size"], state["channels"]) != (self.args.size, self.args.channels):
            raise UserError(f"the checkpoint in {self.out} was trained with --size {state['size']} "
                            f"--channels {state['channels']}; pass the same flags")
        return state["iteration"], state["losses"]

    def should_save(self, iteration):
        every = self.args.save_every
        return every > 0 and (iteration + 1) % every == 0 and iteration + 1 < self.args.iters

    def should_sample(self, iteration):
        every = self.args.sample_every
        return every > 0 and (iteration + 1) % every == 0

    # ----- files left by training and testing ----------------------------------------------
    def training_log(self, start_iteration, losses):
        description = f"{self.model} {self.framework}"
        return results.TrainingLog(self.args.iters, start_iteration, losses, description=description)

    def finish_training(self, log, started):
        title = f"{self.model.upper()} ({self.framework})"
        results.save_loss_plot(self.path("loss.png"), log.losses, title)
        results.write_metrics(self.path("metrics.json"), {
            "framework": self.framework, "model": self.model, "iterations": self.args.iters,
            "batch_size": self.args.batch_size, "lr": self.args.lr, "seed": self.args.seed,
            "size": self.args.size, "channels": self.args.channels,
            "seconds_per_iteration": log.seconds_per_iteration,
            "training_seconds": time.time() - started, "losses": log.losses})

    def save_progress_samples(self, iteration, images):
        results.save_grid(self.path(f"samples_{iteration + 1:06d}.png"), images)

    def finish_reconstruction_test(self, test_set, reconstructions):
        """AE/ConvAE: one side-by-side PNG per test image plus PSNR/SSIM in metrics.json."""
        for stem, original, reconstruction in zip(test_set.stems, test_set.images, reconstructions):
            results.save_side_by_side(self.path(f"{stem}.png"), original, reconstruction)
        quality = metrics.reconstruction_quality(test_set.images, reconstructions)
        results.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model,
                                                         "test_images": len(test_set.stems), **quality})
        print(f"test: PSNR {quality['psnr']:.2f} dB, SSIM {quality['ssim']:.4f} over "
              f"{len(test_set.stems)} images; wrote {self.path('<stem>.png')}")

    def finish_generation_test(self, samples, training_images):
        """GAN/DCGAN: the sample grid from the fixed noise plus a distance to the training images."""
        results.save_grid(self.path("samples.png"), samples)
        rng = np.random.default_rng(0)
        count = min(len(training_images), REAL_IMAGES_FOR_DISTANCE)
        real = training_images[np.sort(rng.choice(len(training_images), count, replace=False))]
        quality = metrics.gan_quality(samples, real)
        results.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model, **quality})
        print(f"test: sliced Wasserstein distance {quality['swd']:.4f} (real vs real "
              f"{quality['swd_real_vs_real']:.4f}); wrote {self.path('samples.png')}")


def in_batches(array, batch_size):
    """Split a test array into mini-batches so that a large test set never fills memory."""
    for start in range(0, len(array), batch_size):
        yield array[start:start + batch_size]
