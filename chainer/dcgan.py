"""DCGAN (deep convolutional GAN) in Chainer.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2), + the minibatch
   spread, -> Dense(1) + sigmoid. Each layer halves or doubles the size: H, W multiples of 16.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(beta1 0.5): D at --lr (0.0002), G at half of it (README, Q4).

    python chainer/dcgan.py                 # train on the built-in digits, then test
    python chainer/dcgan.py --test          # samples from the checkpoint in results/
    python chainer/dcgan.py --help          # every flag
"""

import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and chainer_support.py

import numpy as np

import chainer_compat  # noqa: F401  (before chainer: Chainer 7.8.1 on NumPy 2)
import chainer
import chainer.functions as F
import chainer.links as L

from common import harness
from common.architectures import (ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, G_LR_SHARE, NOISE_DIM,
                                  SPREAD_EPSILON, SPREAD_GROUP)
from chainer_support import images_to_numpy, images_to_tensor, on_device_of, to_cpu_array  # NumPy in and out
from chainer_like_pytorch import Adam, binary_cross_entropy  # PyTorch's formulas: see that file

MODEL, FRAMEWORK = "dcgan", "chainer"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # exercise: the BatchNorm helper -- L.BatchNormalization, eps from common.architectures, decay = 1 - BATCHNORM_RUNNING_RATE
    return L.BatchNormalization(features, eps=BATCHNORM_EPSILON, decay=1 - BATCHNORM_RUNNING_RATE)  # 1 - PyTorch's momentum


def deconv(inputs, outputs, input_side):
    # exercise: the deconv helper -- Deconvolution2D 5x5 stride 2, pad=2, outsize=(2n, 2n) for input side n: PyTorch's alignment
    return L.Deconvolution2D(inputs, outputs, 5, stride=2, pad=2, outsize=(2 * input_side, 2 * input_side))  # fixed when made


def conv(inputs, outputs):
    # exercise: the conv helper -- Convolution2D 5x5 stride 2, pad=2: halves the size
    return L.Convolution2D(inputs, outputs, 5, stride=2, pad=2)  # halves the size


class Generator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- in init_scope: dense NOISE_DIM -> side*side*512 (side = size // 16); bn0..3 + deconv1..4
        self.side = side = size // 16
        with self.init_scope():  # links made here become the chain's registered children
            self.dense = L.Linear(NOISE_DIM, side * side * 512)
            self.bn0, self.deconv1 = batchnorm(512), deconv(512, 512, side)
            self.bn1, self.deconv2 = batchnorm(512), deconv(512, 256, side * 2)
            self.bn2, self.deconv3 = batchnorm(256), deconv(256, 128, side * 4)
            self.bn3, self.deconv4 = batchnorm(128), deconv(128, channels, side * 8)

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- ReLU(dense); reshape (N, side, side, 512), transpose to NCHW; bn0; BN(ReLU(deconv)) x3; tanh
        hidden = F.relu(self.dense(noise))  # -> (N, H/16 * W/16 * 512)
        # The dense outputs' canonical order is (height, width, channels): reshape channels-last, then transpose.
        hidden = F.transpose(F.reshape(hidden, (-1, self.side, self.side, 512)), (0, 3, 1, 2))  # -> (N, 512, H/16, W/16)
        hidden = self.bn0(hidden)  # the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn1(F.relu(self.deconv1(hidden)))  # -> (N, 512, H/8, W/8)
        hidden = self.bn2(F.relu(self.deconv2(hidden)))  # -> (N, 256, H/4, W/4)
        hidden = self.bn3(F.relu(self.deconv3(hidden)))  # -> (N, 128, H/2, W/2)
        return F.tanh(self.deconv4(hidden))  # -> (N, C, H, W) in [-1, 1]


class Discriminator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- in init_scope: conv1..4 = conv() (32, 64, 128, 256); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        with self.init_scope():
            self.conv1, self.conv2 = conv(channels, 32), conv(32, 64)
            self.conv3, self.conv4 = conv(64, 128), conv(128, 256)
            self.dense = L.Linear((size // 16) ** 2 * 256 + 1, 1)  # + 1: the minibatch spread

    def forward(self, images):  # (N, C, H, W)
        # exercise: D's forward pass -- conv + LeakyReLU(0.2) x4; transpose to NHWC before flattening (weight order); append minibatch_spread; sigmoid
        hidden = F.leaky_relu(self.conv1(images), 0.2)  # -> (N, 32, H/2, W/2)
        hidden = F.leaky_relu(self.conv2(hidden), 0.2)  # -> (N, 64, H/4, W/4)
        hidden = F.leaky_relu(self.conv3(hidden), 0.2)  # -> (N, 128, H/8, W/8)
        hidden = F.leaky_relu(self.conv4(hidden), 0.2)  # -> (N, 256, H/16, W/16)
        hidden = F.reshape(F.transpose(hidden, (0, 2, 3, 1)), (len(hidden), -1))  # -> (N, H/16 * W/16 * 256), HWC order
        hidden = F.concat([hidden, minibatch_spread(hidden)], axis=1)  # -> (N, H/16 * W/16 * 256 + 1)
        return F.sigmoid(self.dense(hidden))  # -> (N, 1): probability that the image is real


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of np.gcd(N, SPREAD_GROUP) neighbours (F.reshape); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; F.repeat to (N, 1)
    group = int(np.gcd(len(features), SPREAD_GROUP))  # neighbours: real and fake images never share a group
    groups = F.reshape(features, (-1, group, features.shape[1]))  # -> (N / group, group, F)
    spread = F.sqrt(F.mean(F.square(groups - F.mean(groups, axis=1, keepdims=True)), axis=1) + SPREAD_EPSILON)  # -> (N / group, F)
    return F.repeat(F.mean(spread, axis=1, keepdims=True), group, axis=0)  # -> (N, 1)


class GAN(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        with self.init_scope():
            self.generator, self.discriminator = Generator(size, channels), Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels).to_device(device or "@numpy")


def build_optimizer(model, lr):
    def adam(network, lr):
        return Adam(alpha=lr, beta1=0.5, beta2=0.999, eps=ADAM_EPSILON).setup(network)  # PyTorch's Adam: chainer_like_pytorch.py
    return Optimizers(generator=adam(model.generator, lr * G_LR_SHARE), discriminator=adam(model.discriminator, lr))


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return images_to_numpy(model.generator(on_device_of(model, noise)))


def discriminate(model, images, training=False):
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return to_cpu_array(model.discriminator(images_to_tensor(images, model.device)))


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, fake_images):
    """Real images are labelled 1 and G's fakes 0; only D is updated."""
    # exercise: D's step -- the fakes' .array (no graph into G); BCE on real+fake; D.cleargrads(); update D
    scores = model.discriminator(model.xp.concatenate([real_images, fake_images.array]))  # arrays: no graph into G
    labels = on_device_of(model, np.concatenate([np.ones((len(real_images), 1)), np.zeros((len(fake_images), 1))]))
    loss = binary_cross_entropy(scores, labels)  # PyTorch's BCE, mean over real and fake together
    model.discriminator.cleargrads()  # backward() adds to the gradients already there, as in PyTorch
    loss.backward()
    optimizers.discriminator.update()
    return float(loss.array)


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G
    scores = model.discriminator(fake_images)
    loss = binary_cross_entropy(scores, model.xp.ones(scores.shape, dtype=np.float32))
    model.generator.cleargrads()
    chainer.grad([loss], list(model.generator.params()), set_grad=True)  # D frozen: G's gradients only
    optimizers.generator.update()
    return float(loss.array)


def train_step(model, optimizers, real_images, noise):  # no model.train(): config "train" is True unless using_config
    # exercise: the iteration -- G's forward pass once; D's step on the fakes, then G's step on the same fakes
    real = images_to_tensor(real_images, model.device)  # NHWC NumPy -> NCHW
    fake_images = model.generator(on_device_of(model, noise))  # G runs once an iteration; both steps use its fakes
    d_loss = discriminator_step(model, optimizers, real, fake_images)
    g_loss = generator_step(model, optimizers, fake_images)
    return {"d_loss": d_loss, "g_loss": g_loss}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
