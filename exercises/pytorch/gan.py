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
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "pytorch")]  # the repository's common/ and torch_support.py

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
    # 課題: バッチ正規化の補助関数 -- nn.BatchNorm1d。eps と momentum は common.architectures の値を使う（4 つのフレームワークで共通）
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


class Generator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)
        # 課題: 生成器 G の層の定義 -- 全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C。bn1..3 = batchnorm()（この名前が重みの名前になる）
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        # 課題: 生成器 G の順伝播 -- dense、LeakyReLU(0.2)、バッチ正規化を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        # 課題: 識別器 D の層の定義 -- 全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1。識別器 D にはバッチ正規化を入れない
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def forward(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        # 課題: 識別器 D の順伝播 -- 平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


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
    # 課題: 識別器 D の更新 -- 偽画像は detach する（生成器 G に勾配を流さない）。本物と偽物の BCE を求め、D の勾配をゼロにして D だけを更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along the graph G's forward pass left."""
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
