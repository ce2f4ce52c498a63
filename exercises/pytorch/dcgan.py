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
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "pytorch")]  # the repository's common/ and torch_support.py

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
    # 課題: バッチ正規化の補助関数 -- nn.BatchNorm2d。eps と momentum は common.architectures の値を使う（4 つのフレームワークで共通）
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


def deconv(inputs, outputs):
    # exercise: the deconv helper -- 5x5 stride 2, padding=2, output_padding=1: doubles the size, aligned as common/weights.py
    # 課題: 転置畳み込みの補助関数 -- 5x5、ストライド 2、padding=2、output_padding=1 の転置畳み込みでサイズを 2 倍にする（位置合わせは common/weights.py のとおり）
    # TODO: write the deconv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the deconv helper")


def conv(inputs, outputs):
    # exercise: the conv helper -- 5x5 stride 2, padding=2: halves the size
    # 課題: 畳み込みの補助関数 -- 5x5、ストライド 2、padding=2 の畳み込みでサイズを半分にする
    # TODO: write the conv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the conv helper")


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)
        # 課題: 生成器 G の層の定義 -- side = size // 16。全結合層 dense: NOISE_DIM -> side*side*512。bn0..3 と転置畳み込み deconv1..4（出力チャネル数 512, 256, 128, C）
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- ReLU(dense); view (N, side, side, 512), permute to NCHW; bn0; BN(ReLU(deconv)) x3; tanh
        # 課題: 生成器 G の順伝播 -- ReLU(dense)。(N, side, side, 512) に view してから permute で NCHW に並べ替え、bn0。BN(ReLU(deconv)) を 3 回。最後に tanh
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        # 課題: 識別器 D の層の定義 -- conv1..4 = conv()（出力チャネル数 32, 64, 128, 256）。dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def forward(self, images):  # (N, C, H, W)
        # exercise: D's forward pass -- conv + LeakyReLU(0.2) x4; permute to NHWC before flattening (weight order); append minibatch_spread; sigmoid
        # 課題: 識別器 D の順伝播 -- conv + LeakyReLU(0.2) を 4 回。平坦化の前に permute で NHWC に並べ替える（重みの並び順に合わせるため）。minibatch_spread を付け加え、sigmoid
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of math.gcd(N, SPREAD_GROUP) neighbours (view); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; repeat_interleave to (N, 1)
    # 課題: ミニバッチ標準偏差 -- 隣り合う math.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（view）、グループ内の標本分散（N で割る）+ SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。repeat_interleave で (N, 1) に
    # TODO: write the minibatch spread here, in place of the raise below
    raise NotImplementedError("not implemented yet: the minibatch spread")


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
    # 課題: 識別器 D の更新 -- 偽画像は detach する（生成器 G に勾配を流さない）。本物と偽物の BCE を求め、D の勾配をゼロにして D だけを更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- freeze D (requires_grad_(False)); BCE(D(fakes), ones); zero G's gradients; step G; unfreeze D
    # 課題: 生成器 G の更新 -- 識別器 D を凍結し（requires_grad_(False)）、BCE(D(fakes), ones) を求める。G の勾配をゼロにして G を更新し、D の凍結を解く
    # TODO: write G's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: G's step")


def train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- model.train(); G's forward pass once; D's step on the fakes, then G's step on the same fakes
    # 課題: 1 反復分の学習 -- model.train()。G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する
    # TODO: write the iteration here, in place of the raise below
    raise NotImplementedError("not implemented yet: the iteration")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
