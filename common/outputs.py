"""The files a run leaves under --out, the same in every framework: their names (the project's
<model>_<framework>_<what>) and the pictures, plots and metrics written into them."""

import time

import numpy as np

from common import digit_score, pictures, records
from common.language import say
from common.paths import output_name

SAMPLES_IN_GRID = 64  # the GAN grid: 8 x 8 images from the shared fixed noise
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
        return records.TrainingLog(self.args.iters, start_iteration, losses, description=description)

    def save_training_images(self, batches):
        """A grid of the first 64 training images as the model sees them: augmented, resized."""
        count = min(SAMPLES_IN_GRID, len(batches.images))
        images = np.concatenate([batches.batch(index) for index in range(-(-count // batches.batch_size))])
        pictures.save_grid(self.path("training_images.png"), images[:count])

    def finish_training(self, log, started, stopped=None, warnings=()):
        args = self.args
        title = f"{self.model.upper()} ({self.framework})"
        pictures.save_loss_plot(self.path("loss.png"), log.losses, title)
        if args.gif:
            self.save_progress_gif()  # the AEs write no progress grids, so nothing for them
        records.write_metrics(self.path("metrics.json"), {
            "framework": self.framework, "model": self.model,
            "data": str(args.data) if args.data is not None else args.dataset,
            "iterations": args.iters, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
            "size": args.size, "channels": args.channels, "augment": args.augment,
            "seconds_per_iteration": log.seconds_per_iteration,
            "training_seconds": time.time() - started, "losses": log.losses,
            "stopped": stopped, "warnings": list(warnings)})

    def save_progress_samples(self, iteration, images):
        pictures.save_grid(self.path(f"samples_{iteration + 1:06d}.png"), images,
                          title=f"iteration {iteration + 1}" if self.args.gif else None)

    def save_progress_gif(self):
        """The progress grids written so far (a resumed run's too), in order, as one GIF."""
        frames = sorted(self.out.glob(f"{self.model}_{self.framework}_samples_[0-9]*.png"))
        frames = [frame for frame in frames if int(frame.stem.rsplit("_", 1)[1]) <= self.args.iters]
        if frames:
            pictures.save_gif(self.path("progress.gif"), frames, GIF_SECONDS_PER_FRAME)
            print(say("wrote_gif", path=self.path("progress.gif"), frames=len(frames)))

    def write_reconstruction_test(self, test_set, reconstructions, quality):
        """AE/ConvAE: one side-by-side PNG per test image, and PSNR/SSIM in metrics.json."""
        for stem, original, reconstruction in zip(test_set.stems, test_set.images, reconstructions):
            pictures.save_side_by_side(self.path(f"{stem}.png"), original, reconstruction)
        records.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model,
                                                         "test_images": len(test_set.stems), **quality})
        print(say("test_reconstruction", psnr=quality["psnr"], ssim=quality["ssim"], count=len(test_set.stems),
                  path=self.path("<stem>.png")))

    def write_generation_test(self, samples, nearest_training_images, figures):
        """GAN/DCGAN: the sample grid, each sample beside its nearest training image (columns:
        sample, nearest, sample, ...), and the figures (common/metrics.sample_figures)."""
        pictures.save_grid(self.path("samples.png"), samples)
        pairs = np.stack([samples, nearest_training_images], axis=1).reshape(-1, *samples.shape[1:])
        pictures.save_grid(self.path("nearest.png"), pairs, columns=16)
        if "digit_share" in figures:
            kinds = figures["digit_kinds"]
            print(say("test_digit_score", share=figures["digit_share"], count=len(samples),
                      kinds_of_ten=say("kinds_of_ten_one" if kinds == 1 else "kinds_of_ten_many", kinds=kinds),
                      precision=figures["digit_precision"], recall=figures["digit_recall"],
                      real_share=figures["real_digit_share"], real_kinds=figures["real_digit_kinds"],
                      real_precision=figures["real_digit_precision"], real_recall=figures["real_digit_recall"]))
            # metrics.json keeps the verdict in English; the learner reads it in the chosen language
            print(say("test_verdict", verdict=digit_score.verdict_in_language(figures["sample_verdict"])))
        records.write_metrics(self.path("metrics.json"), {"framework": self.framework, "model": self.model, **figures})
        print(say("test_swd", swd=figures["swd"], real=figures["swd_real_vs_real"], path=self.path("samples.png")))


def in_batches(array, batch_size):
    """Split a test array into mini-batches so that a large test set never fills memory."""
    for start in range(0, len(array), batch_size):
        yield array[start:start + batch_size]
