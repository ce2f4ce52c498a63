"""GAN (multi-layer perceptrons) in Chainer.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python chainer/gan.py                 # train on the built-in digits, then test
    python chainer/gan.py --test          # samples from the checkpoint in results/
    python chainer/gan.py --help          # every flag
"""

import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "chainer")]  # the repository's common/ and chainer_support.py

import numpy as np

import chainer_compat  # noqa: F401  (before chainer: Chainer 7.8.1 on NumPy 2)

import chainer
import chainer.functions as F
import chainer.links as L

from common import harness
from common.architectures import ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, NOISE_DIM
from chainer_support import on_device_of, to_cpu_array  # NumPy in (as float32) and out
from chainer_like_pytorch import Adam, binary_cross_entropy  # PyTorch's formulas: see that file

MODEL, FRAMEWORK = "gan", "chainer"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # exercise: the BatchNorm helper -- L.BatchNormalization, eps from common.architectures, decay = 1 - BATCHNORM_RUNNING_RATE
    # 課題: バッチ正規化の補助関数 -- L.BatchNormalization。eps は common.architectures の値、decay（移動平均統計量の減衰率）= 1 - BATCHNORM_RUNNING_RATE
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


class Generator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- in init_scope: dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm()
        # 課題: 生成器 G の層の定義 -- init_scope の中で全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C と bn1..3 = batchnorm() を作る
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        # 課題: 生成器 G の順伝播 -- dense、LeakyReLU(0.2)、バッチ正規化を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- in init_scope: dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        # 課題: 識別器 D の層の定義 -- init_scope の中で全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1 を作る。識別器 D にはバッチ正規化を入れない
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def forward(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        # 課題: 識別器 D の順伝播 -- 平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


class GAN(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        with self.init_scope():
            self.generator = Generator(size, channels)
            self.discriminator = Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels).to_device(device or "@numpy")


def build_optimizer(model, lr):
    def adam(network):
        return Adam(alpha=lr, beta1=0.5, beta2=0.999, eps=ADAM_EPSILON).setup(network)  # PyTorch's Adam: chainer_like_pytorch.py
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return to_cpu_array(model.generator(on_device_of(model, noise)))


def discriminate(model, images, training=False):
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return to_cpu_array(model.discriminator(on_device_of(model, images)))


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, fake_images):
    """Real images are labelled 1 and G's fakes 0; only D is updated."""
    # exercise: D's step -- the fakes' .array (no graph into G); BCE on real+fake; D.cleargrads(); update D
    # 課題: 識別器 D の更新 -- 偽画像は .array を使う（生成器 G への計算グラフを切る）。本物と偽物の BCE を求め、D.cleargrads() してから D を更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along the graph G's forward pass left."""
    # exercise: G's step -- BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G
    # 課題: 生成器 G の更新 -- BCE(D(fakes), ones) を求めて G.cleargrads()。chainer.grad で G のパラメータだけの勾配をとり（D は固定）、G を更新する
    # TODO: write G's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: G's step")


# Chainer has no model.train(): the global config "train" is True unless using_config says otherwise.
def train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- G's forward pass once; D's step on the fakes, then G's step on the same fakes
    # 課題: 1 反復分の学習 -- G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する
    # TODO: write the iteration here, in place of the raise below
    raise NotImplementedError("not implemented yet: the iteration")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
