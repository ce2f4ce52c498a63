"""GAN (multi-layer perceptrons) in PyTorch.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python pytorch/gan.py                 # train on the built-in digits, then test
    python pytorch/gan.py --test          # samples from the checkpoint in results/
    python pytorch/gan.py --help          # every flag
"""

import sys
import time
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and torch_support.py

import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_support as support
from common import cli, data
from common.architectures import NOISE_DIM
from common.errors import run_main
from common.runs import SAMPLES_IN_GRID, Run

MODEL, FRAMEWORK = "gan", "pytorch"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    return nn.BatchNorm1d(features, eps=support.BATCHNORM_EPSILON, momentum=support.BATCHNORM_MOMENTUM)


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.image_shape = (size, size, channels)
        self.dense1 = nn.Linear(NOISE_DIM, 256)  # (N, 100) -> (N, 256)
        self.bn1 = batchnorm(256)
        self.dense2 = nn.Linear(256, 512)  # -> (N, 512)
        self.bn2 = batchnorm(512)
        self.dense3 = nn.Linear(512, 1024)  # -> (N, 1024)
        self.bn3 = batchnorm(1024)
        self.dense4 = nn.Linear(1024, size * size * channels)  # -> (N, H*W*C)

    def forward(self, noise):
        hidden = self.bn1(F.leaky_relu(self.dense1(noise), 0.2))  # the seed's order: activation, then BN
        hidden = self.bn2(F.leaky_relu(self.dense2(hidden), 0.2))
        hidden = self.bn3(F.leaky_relu(self.dense3(hidden), 0.2))
        return torch.tanh(self.dense4(hidden)).view(-1, *self.image_shape)  # (N, H, W, C) in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.dense1 = nn.Linear(size * size * channels, 512)  # (N, H*W*C) -> (N, 512)
        self.dense2 = nn.Linear(512, 256)  # -> (N, 256)
        self.dense3 = nn.Linear(256, 1)  # -> (N, 1)

    def forward(self, images):  # (N, H, W, C)
        hidden = F.leaky_relu(self.dense1(images.flatten(1)), 0.2)
        hidden = F.leaky_relu(self.dense2(hidden), 0.2)
        return torch.sigmoid(self.dense3(hidden))  # probability that the image is real


class GAN(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator = Generator(size, channels)
        self.discriminator = Discriminator(size, channels)


def build_model(size, channels):
    return GAN(size, channels)


def build_optimizer(model, lr):
    def adam(network):
        return torch.optim.Adam(network.parameters(), lr=lr, betas=(0.5, 0.999), eps=support.ADAM_EPSILON, fused=True)
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


def as_images(images, device):
    return torch.from_numpy(images).to(device)  # an MLP reads NHWC directly


@torch.no_grad()
def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    model.train(training)
    device = next(model.parameters()).device
    return model.generator(torch.from_numpy(noise).to(device)).cpu().numpy()


@torch.no_grad()
def discriminate(model, images, training=False):
    model.train(training)
    return model.discriminator(as_images(images, next(model.parameters()).device)).cpu().numpy()


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, noise):
    """Real images are labelled 1 and fakes 0; only D is updated."""
    model.train()
    device = next(model.parameters()).device
    real = as_images(real_images, device)
    with torch.no_grad():  # G only supplies fakes here: no graph through G, no gradient into it
        fake = model.generator(torch.from_numpy(noise).to(device))
    scores = model.discriminator(torch.cat([real, fake]))
    labels = torch.cat([torch.ones(len(real), 1), torch.zeros(len(fake), 1)]).to(device)
    loss = F.binary_cross_entropy(scores, labels)  # mean over real and fake together
    optimizers.discriminator.zero_grad()
    loss.backward()
    optimizers.discriminator.step()
    return loss.item()


def generator_step(model, optimizers, noise):
    """Fakes are labelled 1 ("real"): the gradient flows through a frozen D into G."""
    model.train()
    model.discriminator.requires_grad_(False)
    fake = model.generator(torch.from_numpy(noise).to(next(model.parameters()).device))
    scores = model.discriminator(fake)
    loss = F.binary_cross_entropy(scores, torch.ones_like(scores))
    optimizers.generator.zero_grad()
    loss.backward()
    optimizers.generator.step()
    model.discriminator.requires_grad_(True)
    return loss.item()


def train_step(model, optimizers, real_images, noise):
    d_loss = discriminator_step(model, optimizers, real_images, noise)
    g_loss = generator_step(model, optimizers, noise)
    return {"d_loss": d_loss, "g_loss": g_loss}


# ----- train and test ---------------------------------------------------------------------
def train(args, run, device):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels).to(device)
    optimizers = build_optimizer(model, args.lr)
    if args.resume:
        start, losses = support.load_checkpoint(run, model, optimizers)
    else:
        start, losses = 0, {}
        support.set_weights(model, run.starting_weights())

    log, started = run.training_log(start, losses), time.time()
    for iteration in log.iterations():
        noise = data.noise(args.seed, iteration, args.batch_size)
        log.record(**train_step(model, optimizers, batches.batch(iteration), noise))
        if run.should_save(iteration):
            support.save_checkpoint(run, model, optimizers, iteration + 1, log.losses)
        if run.should_sample(iteration):
            run.save_progress_samples(iteration, generate(model, data.fixed_noise(SAMPLES_IN_GRID)))
    log.close()
    support.save_checkpoint(run, model, optimizers, args.iters, log.losses)
    run.export_weights(support.get_weights(model))
    run.finish_training(log, started)


def test(args, run, device):
    training_set = data.load_training_set(args)  # the quality figure compares samples with these
    model = build_model(args.size, args.channels).to(device)
    support.load_checkpoint(run, model)
    samples = generate(model, data.fixed_noise(SAMPLES_IN_GRID))
    run.finish_generation_test(samples, training_set)


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
