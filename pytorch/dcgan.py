"""DCGAN (deep convolutional GAN) in PyTorch.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2), + the minibatch
   spread, -> Dense(1) + sigmoid. Each layer halves or doubles the size: H, W multiples of 16.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(beta1 0.5): D at --lr (0.0002), G at half of it (README, Q4).

    python pytorch/dcgan.py                 # train on the built-in digits, then test
    python pytorch/dcgan.py --test          # samples from the checkpoint in results/
    python pytorch/dcgan.py --help          # every flag
"""

import math
import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and torch_support.py

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import harness
from common.architectures import (ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, G_LR_SHARE, NOISE_DIM,
                                  SPREAD_EPSILON, SPREAD_GROUP)
from torch_support import images_to_numpy, images_to_tensor, on_device_of  # NumPy in and out

MODEL, FRAMEWORK = "dcgan", "pytorch"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # exercise: the BatchNorm helper -- nn.BatchNorm2d, eps and momentum from common.architectures (shared by all four)
    return nn.BatchNorm2d(features, eps=BATCHNORM_EPSILON, momentum=BATCHNORM_RUNNING_RATE)


def deconv(inputs, outputs):
    # exercise: the deconv helper -- 5x5 stride 2, padding=2, output_padding=1: doubles the size, aligned as common/weights.py
    return nn.ConvTranspose2d(inputs, outputs, 5, stride=2, padding=2, output_padding=1)  # crops 2 before, 1 after: common/weights.py


def conv(inputs, outputs):
    # exercise: the conv helper -- 5x5 stride 2, padding=2: halves the size
    return nn.Conv2d(inputs, outputs, 5, stride=2, padding=2)  # halves the size


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)
        self.side = size // 16
        self.dense = nn.Linear(NOISE_DIM, self.side * self.side * 512)
        self.bn0, self.deconv1 = batchnorm(512), deconv(512, 512)
        self.bn1, self.deconv2 = batchnorm(512), deconv(512, 256)
        self.bn2, self.deconv3 = batchnorm(256), deconv(256, 128)
        self.bn3, self.deconv4 = batchnorm(128), deconv(128, channels)

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- ReLU(dense); view (N, side, side, 512), permute to NCHW; bn0; BN(ReLU(deconv)) x3; tanh
        hidden = F.relu(self.dense(noise))  # -> (N, H/16 * W/16 * 512)
        # The dense outputs' canonical order is (height, width, channels): view channels-last, then permute.
        hidden = hidden.view(-1, self.side, self.side, 512).permute(0, 3, 1, 2)  # -> (N, 512, H/16, W/16)
        hidden = self.bn0(hidden)  # the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn1(F.relu(self.deconv1(hidden)))  # -> (N, 512, H/8, W/8)
        hidden = self.bn2(F.relu(self.deconv2(hidden)))  # -> (N, 256, H/4, W/4)
        hidden = self.bn3(F.relu(self.deconv3(hidden)))  # -> (N, 128, H/2, W/2)
        return torch.tanh(self.deconv4(hidden))  # -> (N, C, H, W) in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        self.conv1, self.conv2 = conv(channels, 32), conv(32, 64)
        self.conv3, self.conv4 = conv(64, 128), conv(128, 256)
        self.dense = nn.Linear((size // 16) ** 2 * 256 + 1, 1)  # + 1: the minibatch spread

    def forward(self, images):  # (N, C, H, W)
        # exercise: D's forward pass -- conv + LeakyReLU(0.2) x4; permute to NHWC before flattening (weight order); append minibatch_spread; sigmoid
        hidden = F.leaky_relu(self.conv1(images), 0.2)  # -> (N, 32, H/2, W/2)
        hidden = F.leaky_relu(self.conv2(hidden), 0.2)  # -> (N, 64, H/4, W/4)
        hidden = F.leaky_relu(self.conv3(hidden), 0.2)  # -> (N, 128, H/8, W/8)
        hidden = F.leaky_relu(self.conv4(hidden), 0.2)  # -> (N, 256, H/16, W/16)
        hidden = hidden.permute(0, 2, 3, 1).flatten(1)  # -> (N, H/16 * W/16 * 256), (height, width, channels) order
        hidden = torch.cat([hidden, minibatch_spread(hidden)], dim=1)  # -> (N, H/16 * W/16 * 256 + 1)
        return torch.sigmoid(self.dense(hidden))  # -> (N, 1): probability that the image is real


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of math.gcd(N, SPREAD_GROUP) neighbours (view); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; repeat_interleave to (N, 1)
    group = math.gcd(len(features), SPREAD_GROUP)  # neighbours: real and fake images never share a group
    groups = features.view(-1, group, features.shape[1])  # -> (N / group, group, F)
    spread = torch.sqrt(groups.var(dim=1, unbiased=False) + SPREAD_EPSILON).mean(dim=1, keepdim=True)  # -> (N / group, 1)
    return spread.repeat_interleave(group, dim=0)  # -> (N, 1)


class GAN(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator, self.discriminator = Generator(size, channels), Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels).to(device or "cpu")


def build_optimizer(model, lr):
    def adam(network, lr):
        return torch.optim.Adam(network.parameters(), lr=lr, betas=(0.5, 0.999), eps=ADAM_EPSILON, fused=True)
    return Optimizers(generator=adam(model.generator, lr * G_LR_SHARE), discriminator=adam(model.discriminator, lr))


@torch.no_grad()
def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    model.train(training)
    return images_to_numpy(model.generator(on_device_of(model, noise)))


@torch.no_grad()
def discriminate(model, images, training=False):
    model.train(training)
    return model.discriminator(images_to_tensor(images, next(model.parameters()).device)).cpu().numpy()


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, fake_images):
    """Real images are labelled 1 and G's fakes 0; only D is updated."""
    # exercise: D's step -- fakes detached (no gradient into G); BCE on real+fake; zero D's gradients; step D only
    fake_images = fake_images.detach()  # G only supplies the fakes here: its graph is kept for G's step
    scores = model.discriminator(torch.cat([real_images, fake_images]))
    labels = torch.cat([torch.ones(len(real_images), 1), torch.zeros(len(fake_images), 1)]).to(scores.device)
    loss = F.binary_cross_entropy(scores, labels)  # mean over real and fake together
    optimizers.discriminator.zero_grad()
    loss.backward()
    optimizers.discriminator.step()
    return loss.item()


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- freeze D (requires_grad_(False)); BCE(D(fakes), ones); zero G's gradients; step G; unfreeze D
    model.discriminator.requires_grad_(False)
    scores = model.discriminator(fake_images)
    loss = F.binary_cross_entropy(scores, torch.ones_like(scores))
    optimizers.generator.zero_grad()
    loss.backward()
    optimizers.generator.step()
    model.discriminator.requires_grad_(True)
    return loss.item()


def train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- model.train(); G's forward pass once; D's step on the fakes, then G's step on the same fakes
    model.train()
    real = images_to_tensor(real_images, next(model.parameters()).device)  # NHWC NumPy -> NCHW
    fake_images = model.generator(on_device_of(model, noise))  # G runs once an iteration; both steps use its fakes
    d_loss = discriminator_step(model, optimizers, real, fake_images)
    g_loss = generator_step(model, optimizers, fake_images)
    return {"d_loss": d_loss, "g_loss": g_loss}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
