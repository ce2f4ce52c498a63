"""Auto-encoder in PyTorch: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python pytorch/ae.py                  # train 1000 iterations on the built-in digits, then test
    python pytorch/ae.py --test           # test the checkpoint in results/
    python pytorch/ae.py --help           # every flag
"""

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and torch_support.py

import numpy as np
import torch
import torch.nn as nn

import torch_support as support
from common import cli, data
from common.architectures import AE_CODE_SIZE
from common.errors import run_main
from common.runs import Run, in_batches

MODEL, FRAMEWORK = "ae", "pytorch"


# ----- model -------------------------------------------------------------------------
class AutoEncoder(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        pixels = size * size * channels
        self.encoder = nn.Linear(pixels, AE_CODE_SIZE)  # (N, H*W*C) -> (N, 64)
        self.decoder = nn.Linear(AE_CODE_SIZE, pixels)  # (N, 64) -> (N, H*W*C)

    def forward(self, images):  # (N, H, W, C): an MLP needs no channels-first layout
        codes = self.encoder(images.flatten(1))
        return self.decoder(codes).view(images.shape)


def build_model(size, channels):
    return AutoEncoder(size, channels)


def build_optimizer(model, lr):
    return torch.optim.Adam(model.parameters(), lr=lr, eps=support.ADAM_EPSILON, fused=True)


@torch.no_grad()
def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    model.eval()
    device = next(model.parameters()).device
    return model(torch.from_numpy(images).to(device)).cpu().numpy()


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    model.train()
    images = torch.from_numpy(images).to(next(model.parameters()).device)
    loss = nn.functional.mse_loss(model(images), images)  # mean over every pixel
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return {"loss": loss.item()}


# ----- train and test ---------------------------------------------------------------------
def train(args, run, device):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels).to(device)
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
    model = build_model(args.size, args.channels).to(device)
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
