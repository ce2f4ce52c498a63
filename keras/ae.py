"""Auto-encoder in Keras 3: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python keras/ae.py                    # train 1000 iterations on the built-in digits, then test
    python keras/ae.py --test             # test the checkpoint in results/
    python keras/ae.py --help             # every flag
    KERAS_BACKEND=torch python keras/ae.py    # the same on Keras's PyTorch backend
"""

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and keras_support.py

import numpy as np
import keras
from keras import layers

import keras_support as support
from common import cli, data
from common.architectures import AE_CODE_SIZE
from common.errors import run_main
from common.runs import Run, in_batches

MODEL, FRAMEWORK = "ae", "keras"


# ----- model -------------------------------------------------------------------------
def build_model(size, channels):
    pixels = size * size * channels
    return keras.Sequential([
        keras.Input((size, size, channels)),  # (N, H, W, C)
        layers.Flatten(),  # -> (N, H*W*C), in (height, width, channels) order
        layers.Dense(AE_CODE_SIZE, name="encoder"),  # -> (N, 64)
        layers.Dense(pixels, name="decoder"),  # -> (N, H*W*C)
        layers.Reshape((size, size, channels)),  # -> (N, H, W, C)
    ], name="ae")


def build_optimizer(model, lr):
    """Adam, compiled into the model with the loss, and built now, so that a checkpoint
    can restore its state before the first step."""
    optimizer = support.Adam(lr)
    model.compile(optimizer=optimizer, loss="mse")  # mean over every pixel
    optimizer.build(model.trainable_variables)
    return optimizer


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out (inference mode)."""
    return model.predict_on_batch(images)


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # train_on_batch resets the loss tracker before the step, so "loss" is this batch's MSE,
    # computed before the update (not a running mean over the calls)
    logs = model.train_on_batch(images, images, return_dict=True)
    return {"loss": logs["loss"]}


# ----- train and test ---------------------------------------------------------------------
def train(args, run):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels)
    optimizer = build_optimizer(model, args.lr)
    if args.resume:
        start, losses = support.load_checkpoint(run, model)
    else:
        start, losses = 0, {}
        support.set_weights(model, run.starting_weights())

    log, started = run.training_log(start, losses), time.time()
    for iteration in log.iterations():
        images = batches.batch(iteration)
        log.record(**train_step(model, optimizer, images))
        if run.should_save(iteration):
            support.save_checkpoint(run, model, iteration + 1, log.losses)
        if run.should_sample(iteration):
            run.save_progress_samples(iteration, np.concatenate([images[:8], reconstruct(model, images[:8])]))
    log.close()
    support.save_checkpoint(run, model, args.iters, log.losses)
    run.export_weights(support.get_weights(model))
    run.finish_training(log, started)


def test(args, run):
    test_set = data.load_test_set(args)
    model = build_model(args.size, args.channels)
    support.load_checkpoint(run, model)
    reconstructions = [reconstruct(model, batch) for batch in in_batches(test_set.images, args.batch_size)]
    run.finish_reconstruction_test(test_set, np.concatenate(reconstructions))


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    with device:  # every variable and tensor is created on that device
        if args.do_train:
            train(args, run)
        if args.do_test:
            test(args, run)


if __name__ == "__main__":
    run_main(main)
