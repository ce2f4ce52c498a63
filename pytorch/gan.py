"""GAN (multi-layer perceptrons) in PyTorch.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python pytorch/gan.py                 # train on the built-in digits, then test
    python pytorch/gan.py --test          # samples from the checkpoint in results/
    python pytorch/gan.py --help          # every flag
"""

import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and torch_support.py

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import harness
from common.architectures import ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, NOISE_DIM
from torch_support import on_device_of  # NumPy in: images stay NHWC, an MLP reads them so

MODEL, FRAMEWORK = "gan", "pytorch"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # exercise: the BatchNorm helper -- nn.BatchNorm1d, eps and momentum from common.architectures (shared by all four)
    return nn.BatchNorm1d(features, eps=BATCHNORM_EPSILON, momentum=BATCHNORM_RUNNING_RATE)


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)
        self.image_shape = (size, size, channels)
        self.dense1, self.bn1 = nn.Linear(NOISE_DIM, 256), batchnorm(256)
        self.dense2, self.bn2 = nn.Linear(256, 512), batchnorm(512)
        self.dense3, self.bn3 = nn.Linear(512, 1024), batchnorm(1024)
        self.dense4 = nn.Linear(1024, size * size * channels)

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        hidden = self.bn1(F.leaky_relu(self.dense1(noise), 0.2))  # -> (N, 256); the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn2(F.leaky_relu(self.dense2(hidden), 0.2))  # -> (N, 512)
        hidden = self.bn3(F.leaky_relu(self.dense3(hidden), 0.2))  # -> (N, 1024)
        return torch.tanh(self.dense4(hidden)).view(-1, *self.image_shape)  # -> (N, H*W*C) -> (N, H, W, C) in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        self.dense1 = nn.Linear(size * size * channels, 512)
        self.dense2 = nn.Linear(512, 256)
        self.dense3 = nn.Linear(256, 1)

    def forward(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        hidden = F.leaky_relu(self.dense1(images.flatten(1)), 0.2)  # -> (N, H*W*C) -> (N, 512)
        hidden = F.leaky_relu(self.dense2(hidden), 0.2)  # -> (N, 256)
        return torch.sigmoid(self.dense3(hidden))  # -> (N, 1): probability that the image is real


class GAN(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator = Generator(size, channels)
        self.discriminator = Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels).to(device or "cpu")


def build_optimizer(model, lr):
    def adam(network):
        return torch.optim.Adam(network.parameters(), lr=lr, betas=(0.5, 0.999), eps=ADAM_EPSILON, fused=True)
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


@torch.no_grad()
def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    model.train(training)
    return model.generator(on_device_of(model, noise)).cpu().numpy()


@torch.no_grad()
def discriminate(model, images, training=False):
    model.train(training)
    return model.discriminator(on_device_of(model, images)).cpu().numpy()


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
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along the graph G's forward pass left."""
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
    real = on_device_of(model, real_images)
    fake_images = model.generator(on_device_of(model, noise))  # G runs once an iteration; both steps use its fakes
    d_loss = discriminator_step(model, optimizers, real, fake_images)
    g_loss = generator_step(model, optimizers, fake_images)
    return {"d_loss": d_loss, "g_loss": g_loss}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
