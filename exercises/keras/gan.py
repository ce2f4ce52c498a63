"""GAN (multi-layer perceptrons) in Keras 3.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(0.0002, beta1 0.5).
The iteration is the model's own train_step (keras-io's DCGAN style), run by train_on_batch.

    python keras/gan.py                   # train on the built-in digits, then test
    python keras/gan.py --test            # samples from the checkpoint in results/
    python keras/gan.py --help            # every flag
    KERAS_BACKEND=torch python keras/gan.py   # the same on Keras's PyTorch backend
"""

import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "keras")]  # the repository's common/ and keras_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from keras_support import GradientTape  # autodiff: the one backend-specific piece
from keras_like_pytorch import Adam, BatchNorm, binary_cross_entropy  # Keras's built-ins, giving PyTorch's numbers
import keras
from keras import layers, ops

from common import harness
from common.architectures import NOISE_DIM

MODEL, FRAMEWORK = "gan", "keras"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def build_generator(size, channels):
    # exercise: the generator -- dense1..4 + LeakyReLU(0.2) (not the layer's 0.3), BatchNorm bn1..3 (keras_like_pytorch); tanh
    # 課題: 生成器 G -- dense1..4 + LeakyReLU(0.2)（レイヤーの既定値 0.3 ではない）、バッチ正規化 bn1..3（keras_like_pytorch）。出力は tanh
    # TODO: write the generator here, in place of the raise below
    raise NotImplementedError("not implemented yet: the generator")


def build_discriminator(size, channels):
    # exercise: the discriminator -- Flatten; Dense + LeakyReLU(0.2), twice (dense1, 2); Dense(1, "sigmoid", name="dense3")
    # 課題: 識別器 D -- Flatten。Dense + LeakyReLU(0.2) を 2 回（dense1, 2）。Dense(1, "sigmoid", name="dense3")
    # TODO: write the discriminator here, in place of the raise below
    raise NotImplementedError("not implemented yet: the discriminator")


class GAN(keras.Model):
    """G and D side by side; its train_step is one training iteration (see below)."""

    def __init__(self, size, channels, **kwargs):
        super().__init__(**kwargs)
        self.size, self.channels = size, channels
        self.generator, self.discriminator = build_generator(size, channels), build_discriminator(size, channels)
        self.built = True  # both networks are functional, built with their inputs: nothing to infer
        self.d_loss_tracker, self.g_loss_tracker = keras.metrics.Mean(name="d_loss"), keras.metrics.Mean(name="g_loss")

    def get_config(self):  # what model.save records to rebuild the model
        return {**super().get_config(), "size": self.size, "channels": self.channels}

    def compile(self, d_optimizer, g_optimizer):
        super().compile(optimizer=None)  # not Keras's default RMSprop: unused, yet on torch in every checkpoint
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        g_optimizer.build(self.generator.trainable_variables)  # now, so that a checkpoint can restore their state
        d_optimizer.build(self.discriminator.trainable_variables)

    @property
    def metrics(self):  # train_on_batch resets them before each call: each value is that batch's loss
        return [self.d_loss_tracker, self.g_loss_tracker]

    # Not Keras 2's recipe (D.trainable = False, then a combined G -> D model): Keras 3 reads `trainable`
    # when a model trains, not at compile, so D's train_on_batch would then train nothing (only a warning
    # says so). Each step here names the variables it updates instead.
    def discriminator_step(self, real_images, fake_images):
        # exercise: D's step -- stop_gradient on the fakes; a GradientTape; BCE on real+fake; update D's variables
        # 課題: 識別器 D の更新 -- 偽画像に stop_gradient。GradientTape の中で本物と偽物の BCE を求め、D の変数を更新する
        # TODO: write D's step here, in place of the raise below
        raise NotImplementedError("not implemented yet: D's step")

    def generator_step(self, generator_tape, fake_images):
        # exercise: G's step -- resume generator_tape; BCE(D(fakes), ones), training=True; G's trainable_variables only
        # 課題: 生成器 G の更新 -- generator_tape を再開し、training=True で BCE(D(fakes), ones) を求める。更新するのは G の trainable_variables だけ
        # TODO: write G's step here, in place of the raise below
        raise NotImplementedError("not implemented yet: G's step")

    def train_step(self, data):  # what train_on_batch runs (compiled on TensorFlow)
        # exercise: the iteration -- unpack (real_images, noise); G once, on a tape; D's step, G's step; the metrics
        # 課題: 1 反復分の学習 -- (real_images, noise) を取り出し、テープの中で G を 1 回だけ通す。D の更新、G の更新のあと、メトリクスを返す
        # TODO: write the iteration here, in place of the raise below
        raise NotImplementedError("not implemented yet: the iteration")


def build_model(size, channels, device=None):
    return GAN(size, channels)


def build_optimizer(model, lr):
    """Two Adams, compiled into the model: its train_step uses them, and model.save writes them."""
    optimizers = Optimizers(generator=Adam(lr, beta_1=0.5), discriminator=Adam(lr, beta_1=0.5))  # PyTorch's Adam
    model.compile(d_optimizer=optimizers.discriminator, g_optimizer=optimizers.generator)
    return optimizers


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    return ops.convert_to_numpy(model.generator(ops.convert_to_tensor(noise), training=training))


def discriminate(model, images, training=False):
    return ops.convert_to_numpy(model.discriminator(ops.convert_to_tensor(images), training=training))


# ----- one training step (GAN's methods above; the optimizers are the model's own since compile) -----
def train_step(model, optimizers, real_images, noise):
    logs = model.train_on_batch((real_images, noise), return_dict=True)  # GAN.train_step: D step, then G step
    return {"d_loss": float(logs["d_loss"]), "g_loss": float(logs["g_loss"])}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
