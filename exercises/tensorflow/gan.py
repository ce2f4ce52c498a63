"""GAN (multi-layer perceptrons) in TensorFlow.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python tensorflow/gan.py              # train on the built-in digits, then test
    python tensorflow/gan.py --test       # samples from the checkpoint in results/
    python tensorflow/gan.py --help       # every flag
"""

import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "tensorflow")]  # the repository's common/ and tf_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from tf_support import Dense, leaky_relu  # the layers, as tf.Modules
from tf_like_pytorch import Adam, BatchNorm, binary_cross_entropy  # built-ins rewritten to give PyTorch's numbers
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).
import tensorflow as tf

from common import harness
from common.architectures import ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE, NOISE_DIM

MODEL, FRAMEWORK = "gan", "tensorflow"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # exercise: the BatchNorm helper -- BatchNorm of tf_like_pytorch, eps and running_rate from common.architectures
    # 課題: バッチ正規化の補助関数 -- tf_like_pytorch の BatchNorm。eps と running_rate（移動平均統計量の更新率）は common.architectures の値を使う
    # TODO: write the BatchNorm helper here, in place of the raise below
    raise NotImplementedError("not implemented yet: the BatchNorm helper")


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)
        # 課題: 生成器 G の層の定義 -- 全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C。bn1..3 = batchnorm()（この名前が重みの名前になる）
        # TODO: write G's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's layers")

    def __call__(self, noise, training):  # (N, 100); BatchNorm needs to know the mode: passed explicitly
        # exercise: G's forward pass -- dense, LeakyReLU, then BN(x, training), x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        # 課題: 生成器 G の順伝播 -- dense、LeakyReLU、BN(x, training) を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ
        # TODO: write G's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's forward pass")


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        # 課題: 識別器 D の層の定義 -- 全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1。識別器 D にはバッチ正規化を入れない
        # TODO: write D's layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's layers")

    def __call__(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        # 課題: 識別器 D の順伝播 -- 平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力
        # TODO: write D's forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's forward pass")


class GAN(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator = Generator(size, channels)
        self.discriminator = Discriminator(size, channels)


def build_model(size, channels, device=None):
    return GAN(size, channels)


def build_optimizer(model, lr):
    def adam(network):  # each Adam updates the trainable variables of one network only
        return Adam(network.trainable_variables, lr=lr, betas=(0.5, 0.999), eps=ADAM_EPSILON)  # PyTorch's formula: tf_like_pytorch.py
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    return model.generator(tf.constant(noise), training).numpy()


def discriminate(model, images, training=False):
    return model.discriminator(tf.constant(images)).numpy()  # D has no BatchNorm: one mode


# ----- one training step ------------------------------------------------------------------
def discriminator_step(model, optimizers, real_images, fake_images):
    """Real images are labelled 1 and G's fakes 0; only D is updated."""
    # exercise: D's step -- fakes: tf.stop_gradient (no graph into G); a tape for D; BCE on real+fake; update D only
    # 課題: 識別器 D の更新 -- 偽画像には tf.stop_gradient（生成器 G への計算グラフを切る）。D 用のテープの中で本物と偽物の BCE を求め、D だけを更新する
    # TODO: write D's step here, in place of the raise below
    raise NotImplementedError("not implemented yet: D's step")


def generator_step(model, optimizers, generator_tape, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along `generator_tape`, which recorded G's forward pass."""
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
