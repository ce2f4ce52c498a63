"""Auto-encoder in Chainer: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python chainer/ae.py                  # train 1000 iterations on the built-in digits, then test
    python chainer/ae.py --test           # test the checkpoint in results/
    python chainer/ae.py --help           # every flag
"""

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and chainer_support.py

import numpy as np

from common import chainer_compat  # noqa: F401  (before chainer: Chainer 7.8.1 on NumPy 2)

import chainer
import chainer.functions as F
import chainer.links as L

import chainer_support as support
from common import cli, data
from common.architectures import AE_CODE_SIZE
from common.errors import run_main
from common.runs import Run, in_batches

MODEL, FRAMEWORK = "ae", "chainer"


# ----- model -------------------------------------------------------------------------
class AutoEncoder(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        pixels = size * size * channels
        with self.init_scope():  # links made here become the chain's registered children
            self.encoder = L.Linear(pixels, AE_CODE_SIZE)  # (N, H*W*C) -> (N, 64)
            self.decoder = L.Linear(AE_CODE_SIZE, pixels)  # (N, 64) -> (N, H*W*C)

    def forward(self, images):  # (N, H, W, C): an MLP needs no channels-first layout
        codes = self.encoder(images)  # L.Linear flattens everything after the batch axis
        return F.reshape(self.decoder(codes), images.shape)


def build_model(size, channels):
    return AutoEncoder(size, channels)


def build_optimizer(model, lr):
    return support.Adam(alpha=lr, beta1=0.9).setup(model)


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    with chainer.using_config("train", False), chainer.no_backprop_mode():
        return support.to_numpy(model(model.device.send(support.float32(images))))


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    images = model.device.send(support.float32(images))
    loss = F.mean_squared_error(model(images), images)  # mean over every pixel
    model.cleargrads()  # backward() adds to the gradients already there, as in PyTorch
    loss.backward()
    optimizer.update()
    return {"loss": float(loss.array)}


# ----- train and test ---------------------------------------------------------------------
def train(args, run, device):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels)
    model.to_device(device)
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
    model.to_device(device)
    support.load_checkpoint(run, model)
    reconstructions = [reconstruct(model, batch) for batch in in_batches(test_set.images, args.batch_size)]
    run.finish_reconstruction_test(test_set, np.concatenate(reconstructions))


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    if args.do_train:
        train(args, run, device)
    if args.do_test:
        test(args, run, device)


if __name__ == "__main__":
    run_main(main)
