"""DCGAN (deep convolutional GAN) in TensorFlow.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2), + the minibatch
   spread, -> Dense(1) + sigmoid. Each layer halves or doubles the size: H, W multiples of 16.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(beta1 0.5): D at --lr (0.0002), G at half of it (README, Q4).

    python tensorflow/dcgan.py              # train on the built-in digits, then test
    python tensorflow/dcgan.py --test       # samples from the checkpoint in results/
    python tensorflow/dcgan.py --help       # every flag
"""

import math
import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "tensorflow")]  # the repository's common/ and tf_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from tf_support import Conv2D, Conv2DTranspose, Dense, leaky_relu  # the layers, as tf.Modules
from tf_like_pytorch import Adam, BatchNorm, binary_cross_entropy  # built-ins rewritten to give PyTorch's numbers
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).
import tensorflow as tf

from common import harness
from common.architectures import (ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, G_LR_SHARE, NOISE_DIM,
                                  SPREAD_EPSILON, SPREAD_GROUP)

MODEL, FRAMEWORK = "dcgan", "tensorflow"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):  # over (N, H, W) per channel
    # exercise: the BatchNorm helper -- BatchNorm of tf_like_pytorch, eps and running_rate from common.architectures
    # 課題: バッチ正規化の補助関数 -- tf_like_pytorch の BatchNorm。eps と running_rate（移動平均統計量の更新率）は common.architectures の値を使う
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


def deconv(inputs, outputs):
    # exercise: the deconv helper -- 5x5 stride 2, crop=(2, 1): doubles the size with PyTorch's alignment (common/weights.py)
    # 課題: 転置畳み込みの補助関数 -- 5x5、ストライド 2、crop=(2, 1) の転置畳み込みで、PyTorch と同じ位置合わせのままサイズを 2 倍にする（common/weights.py）
    # TODO: write the deconv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the deconv helper")


def conv(inputs, outputs):
    # exercise: the conv helper -- 5x5 stride 2, padding=2 on every side (TF's "SAME" pads 1 before, 2 after)
    # 課題: 畳み込みの補助関数 -- 5x5、ストライド 2、上下左右に padding=2（TF の "SAME" では前に 1、後ろに 2 のパディングになってしまう）
    # TODO: write the conv helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the conv helper")


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)
        # 課題: 生成器 G の層の定義 -- side = size // 16。全結合層 dense: NOISE_DIM -> side*side*512。bn0..3 と転置畳み込み deconv1..4（出力チャネル数 512, 256, 128, C）
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def __call__(self, noise, training):  # (N, 100); BatchNorm needs to know the mode: passed explicitly
        # exercise: G's forward pass -- ReLU(dense); reshape to (N, side, side, 512): no permute; BN(x, training) after ReLUs; tanh
        # 課題: 生成器 G の順伝播 -- ReLU(dense)。(N, side, side, 512) に reshape（permute は要らない）。ReLU のあとに BN(x, training)。最後に tanh
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        # 課題: 識別器 D の層の定義 -- conv1..4 = conv()（出力チャネル数 32, 64, 128, 256）。dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def __call__(self, images):  # (N, H, W, C)
        # exercise: D's forward pass -- conv + leaky_relu x4; flatten NHWC as it is (the weight order); append minibatch_spread; dense + sigmoid
        # 課題: 識別器 D の順伝播 -- conv + leaky_relu を 4 回。NHWC のまま平坦化する（重みの並び順に合わせるため）。minibatch_spread を付け加え、dense + sigmoid
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of math.gcd(N, SPREAD_GROUP) neighbours (reshape); sqrt(reduce_variance over a group + SPREAD_EPSILON), mean over features; tf.repeat to (N, 1)
    # 課題: ミニバッチ標準偏差 -- 隣り合う math.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（reshape）、グループ内の reduce_variance + SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。tf.repeat で (N, 1) に
    # TODO: write the minibatch spread here, in place of the raise below
    raise NotImplementedError("not implemented yet: the minibatch spread")


class GAN(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator, self.discriminator = Generator(size, channels), Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels)


def build_optimizer(model, lr):
    def adam(network, lr):  # each Adam updates the trainable variables of one network only
        return Adam(network.trainable_variables, lr=lr, betas=(0.5, 0.999), eps=ADAM_EPSILON)  # PyTorch's formula: tf_like_pytorch.py
    return Optimizers(generator=adam(model.generator, lr * G_LR_SHARE), discriminator=adam(model.discriminator, lr))


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    return model.generator(tf.constant(noise), training).numpy()


def discriminate(model, images, training=False):
    return model.discriminator(tf.constant(images)).numpy()  # NHWC stays NHWC; D has no BatchNorm: one mode


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, fake_images):
    """Real images are labelled 1 and G's fakes 0; only D is updated."""
    # exercise: D's step -- fakes: tf.stop_gradient (no graph into G); a tape for D; BCE on real+fake; update D only
    # 課題: 識別器 D の更新 -- 偽画像には tf.stop_gradient（生成器 G への計算グラフを切る）。D 用のテープの中で本物と偽物の BCE を求め、D だけを更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, generator_tape, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- resume generator_tape (`with generator_tape:`); BCE(D(fakes), 1s); gradient for G's variables
    # 課題: 生成器 G の更新 -- generator_tape を再開し（`with generator_tape:`）、BCE(D(fakes), 1s) を求めて G の変数についての勾配をとる
    # TODO: write G's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: G's step")


@tf.function  # traced once: the same model, optimizers and batch shape at every iteration
def compiled_train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- a tape watching G's variables only; G's forward pass on it once; D's step, then G's
    # 課題: 1 反復分の学習 -- G の変数だけを監視するテープを作り、その中で G の順伝播を 1 回だけ行う。D を更新してから G を更新する
    # TODO: write the iteration here, in place of the raise below
    raise NotImplementedError("not implemented yet: the iteration")


def train_step(model, optimizers, real_images, noise):
    losses = compiled_train_step(model, optimizers, tf.constant(real_images), tf.constant(noise))
    return {name: float(loss) for name, loss in losses.items()}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
