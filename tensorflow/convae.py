"""Convolutional auto-encoder in TensorFlow: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python tensorflow/convae.py           # train 1000 iterations on the built-in digits, then test
    python tensorflow/convae.py --test    # test the checkpoint in results/
    python tensorflow/convae.py --help    # every flag
"""

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and tf_support.py
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quiet start-up: set before the import

import numpy as np
import tensorflow as tf

import tf_support as support
from common import cli, data
from common.errors import run_main
from common.runs import Run, in_batches

MODEL, FRAMEWORK = "convae", "tensorflow"


# ----- model -------------------------------------------------------------------------
class ConvAutoEncoder(tf.Module):
    def __init__(self, channels):
        super().__init__()
        # NHWC throughout: TensorFlow convolutions are channels-last, so no permutes.
        self.conv1 = support.Conv2D(channels, 32, 3, stride=1, padding=1)  # (N, H, W, C) -> (N, H, W, 32)
        self.conv2 = support.Conv2D(32, 16, 3, stride=1, padding=1)  # (N, H/2, W/2, 32) -> (N, H/2, W/2, 16)
        self.deconv1 = support.Conv2DTranspose(16, 64, 2, stride=2)  # (N, H/4, W/4, 16) -> (N, H/2, W/2, 64)
        self.deconv2 = support.Conv2DTranspose(64, channels, 2, stride=2)  # (N, H/2, W/2, 64) -> (N, H, W, C)

    def __call__(self, images):  # (N, H, W, C)
        hidden = tf.nn.max_pool2d(tf.nn.relu(self.conv1(images)), 2, 2, "VALID")  # -> (N, H/2, W/2, 32)
        hidden = tf.nn.max_pool2d(tf.nn.relu(self.conv2(hidden)), 2, 2, "VALID")  # -> (N, H/4, W/4, 16)
        hidden = tf.nn.relu(self.deconv1(hidden))
        return self.deconv2(hidden)  # no output activation, like the AE


def build_model(size, channels):
    return ConvAutoEncoder(channels)


def build_optimizer(model, lr):
    return support.Adam(model.trainable_variables, lr=lr)  # betas (0.9, 0.999), eps 1e-8


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    # Eager, not tf.function: the last test batch may be smaller, which would retrace.
    return model(tf.constant(images)).numpy()


# ----- one training step ------------------------------------------------------------------
@tf.function  # traced once: every batch has the same shape, model and optimizer
def compiled_train_step(model, optimizer, images):
    with tf.GradientTape() as tape:
        loss = support.mse(model(images), images)  # mean over every pixel
    optimizer.apply(tape.gradient(loss, optimizer.parameters))
    return loss  # a tensor: float() happens outside, after the graph has run


def train_step(model, optimizer, images):
    return {"loss": float(compiled_train_step(model, optimizer, tf.constant(images)))}


# ----- train and test ---------------------------------------------------------------------
def train(args, run, device):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels)
    optimizer = build_optimizer(model, args.lr)
    if args.resume:
        start, losses = support.load_checkpoint(run, model, [optimizer])
    else:
        start, losses = 0, {}
        support.set_weights(model, run.starting_weights())

    log, started = run.training_log(start, losses), time.time()
    for iteration in log.iterations():
        images = batches.batch(iteration)
        log.record(**train_step(model, optimizer, images))
        if run.should_save(iteration):
            support.save_checkpoint(run, model, [optimizer], iteration + 1, log.losses)
        if run.should_sample(iteration):
            run.save_progress_samples(iteration, np.concatenate([images[:8], reconstruct(model, images[:8])]))
    log.close()
    support.save_checkpoint(run, model, [optimizer], args.iters, log.losses)
    run.export_weights(support.get_weights(model))
    run.finish_training(log, started)


def test(args, run, device):
    test_set = data.load_test_set(args)
    model = build_model(args.size, args.channels)
    support.load_checkpoint(run, model)
    reconstructions = [reconstruct(model, batch) for batch in in_batches(test_set.images, args.batch_size)]
    run.finish_reconstruction_test(test_set, np.concatenate(reconstructions))


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    with tf.device(device):  # variables and ops on the GPU when there is one
        if args.do_train:
            train(args, run, device)
        if args.do_test:
            test(args, run, device)


if __name__ == "__main__":
    run_main(main)
