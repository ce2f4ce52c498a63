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
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "chainer")]  # the repository's common/ and chainer_support.py

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
    # 課題: バッチ正規化の補助関数 -- L.BatchNormalization。eps は common.architectures の値、decay（移動平均統計量の減衰率）= 1 - BATCHNORM_RUNNING_RATE
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


def deconv(inputs, outputs, input_side):
    # exercise: the deconv helper -- Deconvolution2D 5x5 stride 2, pad=2, outsize=(2n, 2n) for input side n: PyTorch's alignment
    # 課題: 転置畳み込みの補助関数 -- Deconvolution2D 5x5、ストライド 2、pad=2。入力の一辺が n なら outsize=(2n, 2n) とし、PyTorch と同じ位置合わせにする
    # TODO: write the deconv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the deconv helper")


def conv(inputs, outputs):
    # exercise: the conv helper -- Convolution2D 5x5 stride 2, pad=2: halves the size
    # 課題: 畳み込みの補助関数 -- Convolution2D 5x5、ストライド 2、pad=2 でサイズを半分にする
    # TODO: write the conv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the conv helper")


class Generator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- in init_scope: dense NOISE_DIM -> side*side*512 (side = size // 16); bn0..3 + deconv1..4
        # 課題: 生成器 G の層の定義 -- init_scope の中で全結合層 dense: NOISE_DIM -> side*side*512（side = size // 16）、bn0..3 と転置畳み込み deconv1..4 を作る
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- ReLU(dense); reshape (N, side, side, 512), transpose to NCHW; bn0; BN(ReLU(deconv)) x3; tanh
        # 課題: 生成器 G の順伝播 -- ReLU(dense)。(N, side, side, 512) に reshape してから transpose で NCHW に並べ替え、bn0。BN(ReLU(deconv)) を 3 回。最後に tanh
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- in init_scope: conv1..4 = conv() (32, 64, 128, 256); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        # 課題: 識別器 D の層の定義 -- init_scope の中で conv1..4 = conv()（32, 64, 128, 256）と dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）を作る
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def forward(self, images):  # (N, C, H, W)
        # exercise: D's forward pass -- conv + LeakyReLU(0.2) x4; transpose to NHWC before flattening (weight order); append minibatch_spread; sigmoid
        # 課題: 識別器 D の順伝播 -- conv + LeakyReLU(0.2) を 4 回。平坦化の前に transpose で NHWC に並べ替える（重みの並び順に合わせるため）。minibatch_spread を付け加え、sigmoid
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of np.gcd(N, SPREAD_GROUP) neighbours (F.reshape); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; F.repeat to (N, 1)
    # 課題: ミニバッチ標準偏差 -- 隣り合う np.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（F.reshape）、グループ内の標本分散（N で割る）+ SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。F.repeat で (N, 1) に
    # TODO: write the minibatch spread here, in place of the raise below
    raise NotImplementedError("not implemented yet: the minibatch spread")


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
    # 課題: 識別器 D の更新 -- 偽画像は .array を使う（生成器 G への計算グラフを切る）。本物と偽物の BCE を求め、D.cleargrads() してから D を更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G
    # 課題: 生成器 G の更新 -- BCE(D(fakes), ones) を求めて G.cleargrads()。chainer.grad で G のパラメータだけの勾配をとり（D は固定）、G を更新する
    # TODO: write G's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: G's step")


def train_step(model, optimizers, real_images, noise):  # no model.train(): config "train" is True unless using_config
    # exercise: the iteration -- G's forward pass once; D's step on the fakes, then G's step on the same fakes
    # 課題: 1 反復分の学習 -- G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する
    # TODO: write the iteration here, in place of the raise below
    raise NotImplementedError("not implemented yet: the iteration")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
