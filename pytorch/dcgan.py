"""DCGAN (deep convolutional GAN) in PyTorch.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid. Each layer halves or doubles the size: H and W multiples of 16.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python pytorch/dcgan.py                 # train on the built-in digits, then test
    python pytorch/dcgan.py --test          # samples from the checkpoint in results/
    python pytorch/dcgan.py --help          # every flag
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

MODEL, FRAMEWORK = "dcgan", "pytorch"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    return nn.BatchNorm2d(features, eps=support.BATCHNORM_EPSILON, momentum=support.BATCHNORM_MOMENTUM)


def deconv(inputs, outputs):
    # padding=2 with output_padding=1 doubles the size and crops the full output 2 before and
    # 1 after: the alignment every framework in this repository uses (common/weights.py).
    return nn.ConvTranspose2d(inputs, outputs, 5, stride=2, padding=2, output_padding=1)


def conv(inputs, outputs):
    return nn.Conv2d(inputs, outputs, 5, stride=2, padding=2)  # halves the size


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.side = size // 16
        self.dense = nn.Linear(NOISE_DIM, self.side * self.side * 512)  # (N, 100) -> (N, H/16*W/16*512)
        self.bn0 = batchnorm(512)
        self.deconv1 = deconv(512, 512)  # (N, 512, H/16, W/16) -> (N, 512, H/8, W/8)
        self.bn1 = batchnorm(512)
        self.deconv2 = deconv(512, 256)  # -> (N, 256, H/4, W/4)
        self.bn2 = batchnorm(256)
        self.deconv3 = deconv(256, 128)  # -> (N, 128, H/2, W/2)
        self.bn3 = batchnorm(128)
        self.deconv4 = deconv(128, channels)  # -> (N, C, H, W)

    def forward(self, noise):
        hidden = F.relu(self.dense(noise))
        # The canonical order of the dense outputs is (height, width, channels):
        # reshape channels-last, then move channels first for the convolutions.
        hidden = hidden.view(-1, self.side, self.side, 512).permute(0, 3, 1, 2)
        hidden = self.bn0(hidden)  # the seed's order: activation, then BN
        hidden = self.bn1(F.relu(self.deconv1(hidden)))
        hidden = self.bn2(F.relu(self.deconv2(hidden)))
        hidden = self.bn3(F.relu(self.deconv3(hidden)))
        return torch.tanh(self.deconv4(hidden))  # (N, C, H, W) in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        side = size // 16
        self.conv1 = conv(channels, 32)  # (N, C, H, W) -> (N, 32, H/2, W/2)
        self.conv2 = conv(32, 64)  # -> (N, 64, H/4, W/4)
        self.conv3 = conv(64, 128)  # -> (N, 128, H/8, W/8)
        self.conv4 = conv(128, 256)  # -> (N, 256, H/16, W/16)
        self.dense = nn.Linear(side * side * 256, 1)  # (N, H/16*W/16*256) -> (N, 1)

    def forward(self, images):  # (N, C, H, W)
        hidden = F.leaky_relu(self.conv1(images), 0.2)
        hidden = F.leaky_relu(self.conv2(hidden), 0.2)
        hidden = F.leaky_relu(self.conv3(hidden), 0.2)
        hidden = F.leaky_relu(self.conv4(hidden), 0.2)
        hidden = hidden.permute(0, 2, 3, 1).flatten(1)  # flatten in (height, width, channels) order
        return torch.sigmoid(self.dense(hidden))  # probability that the image is real


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
    return support.to_tensor(images, device)  # NHWC NumPy -> NCHW tensor


@torch.no_grad()
def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    model.train(training)
    device = next(model.parameters()).device
    return support.to_numpy(model.generator(torch.from_numpy(noise).to(device)))


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
