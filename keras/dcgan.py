"""DCGAN (deep convolutional GAN) in Keras 3.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2), + the minibatch
   spread, -> Dense(1) + sigmoid. Each layer halves or doubles the size: H, W multiples of 16.
Each iteration: G makes one batch of fakes; one D step on them (real images labelled 1, fakes
0, G frozen), then one G step on the same fakes (labelled 1, through a frozen D).
Binary cross-entropy, Adam(beta1 0.5): D at --lr (0.0002), G at half of it (README, Q4).
The iteration is the model's own train_step (keras-io's DCGAN style), run by train_on_batch.

    python keras/dcgan.py                   # train on the built-in digits, then test
    python keras/dcgan.py --test            # samples from the checkpoint in results/
    python keras/dcgan.py --help            # every flag
    KERAS_BACKEND=torch python keras/dcgan.py   # the same on Keras's PyTorch backend
"""

import math
import sys
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and keras_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from keras_support import GradientTape  # autodiff: the one backend-specific piece
from keras_like_pytorch import Adam, BatchNorm, binary_cross_entropy  # Keras's built-ins, giving PyTorch's numbers
import keras
from keras import layers, ops

from common import harness
from common.architectures import G_LR_SHARE, NOISE_DIM, SPREAD_EPSILON, SPREAD_GROUP

MODEL, FRAMEWORK = "dcgan", "keras"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def deconv(hidden, filters, activation, name):
    # exercise: the deconv helper -- Conv2DTranspose 5x5 stride 2 "valid", then Cropping2D 2 before, 1 after ("same": 1 pixel off)
    # "valid" gives the full 2n + 3; cropping leaves 2n as common/weights.py aligns it. A per-pixel activation may precede it.
    hidden = layers.Conv2DTranspose(filters, 5, strides=2, padding="valid", activation=activation, name=name)(hidden)
    return layers.Cropping2D(((2, 1), (2, 1)))(hidden)


def conv(hidden, filters, name):
    # exercise: the conv helper -- ZeroPadding2D(2), then Conv2D 5x5 stride 2 ("same" pads 1 before, 2 after)
    return layers.Conv2D(filters, 5, strides=2, name=name)(layers.ZeroPadding2D(2)(hidden))  # 2 on every side, as PyTorch


def build_generator(size, channels):
    # exercise: the generator -- Dense(side*side*512, "relu", name="dense"), Reshape; BatchNorm bn0..3 + deconv1..4; tanh last
    side = size // 16
    noise = keras.Input((NOISE_DIM,))  # (N, 100)
    hidden = layers.Dense(side * side * 512, activation="relu", name="dense")(noise)  # -> (N, H/16 * W/16 * 512)
    hidden = layers.Reshape((side, side, 512))(hidden)  # -> (N, H/16, W/16, 512): the canonical order, no permute
    hidden = BatchNorm(name="bn0")(hidden)  # PyTorch's BatchNorm; the original exercise's (画像生成編) order: activation, then BN
    hidden = BatchNorm(name="bn1")(deconv(hidden, 512, "relu", "deconv1"))  # -> (N, H/8, W/8, 512)
    hidden = BatchNorm(name="bn2")(deconv(hidden, 256, "relu", "deconv2"))  # -> (N, H/4, W/4, 256)
    hidden = BatchNorm(name="bn3")(deconv(hidden, 128, "relu", "deconv3"))  # -> (N, H/2, W/2, 128)
    images = deconv(hidden, channels, "tanh", "deconv4")  # -> (N, H, W, C) in [-1, 1]
    return keras.Model(noise, images, name="generator")


class MinibatchSpread(layers.Layer):
    """One more feature per image: the features' standard deviation in its group, averaged (README, Q4)."""

    def call(self, features):
        # exercise: the minibatch spread -- groups of math.gcd(N, SPREAD_GROUP) neighbours (ops.reshape); sqrt(ops.var over a group + SPREAD_EPSILON), mean over features; ops.repeat, concatenate to (N, F + 1)
        group = math.gcd(features.shape[0], SPREAD_GROUP)  # neighbours: real and fake images never share a group
        groups = ops.reshape(features, (-1, group, features.shape[1]))  # -> (N / group, group, F)
        spread = ops.mean(ops.sqrt(ops.var(groups, axis=1) + SPREAD_EPSILON), axis=1, keepdims=True)  # -> (N / group, 1)
        return ops.concatenate([features, ops.repeat(spread, group, axis=0)], axis=1)  # -> (N, F + 1)

    def compute_output_shape(self, input_shape):  # the model is built before any batch size is known
        return (input_shape[0], input_shape[1] + 1)


def build_discriminator(size, channels):
    # exercise: the discriminator -- conv() + LeakyReLU(0.2) x4 (conv1..4: 32, 64, 128, 256); Flatten; MinibatchSpread(); Dense(1, "sigmoid")
    images = keras.Input((size, size, channels))  # (N, H, W, C)
    hidden = layers.LeakyReLU(0.2)(conv(images, 32, "conv1"))  # -> (N, H/2, W/2, 32)
    hidden = layers.LeakyReLU(0.2)(conv(hidden, 64, "conv2"))  # -> (N, H/4, W/4, 64)
    hidden = layers.LeakyReLU(0.2)(conv(hidden, 128, "conv3"))  # -> (N, H/8, W/8, 128)
    hidden = layers.LeakyReLU(0.2)(conv(hidden, 256, "conv4"))  # -> (N, H/16, W/16, 256)
    hidden = layers.Flatten()(hidden)  # -> (N, H/16 * W/16 * 256), (height, width, channels) order
    hidden = MinibatchSpread()(hidden)  # -> (N, H/16 * W/16 * 256 + 1)
    score = layers.Dense(1, activation="sigmoid", name="dense")(hidden)  # -> (N, 1): probability that the image is real
    return keras.Model(images, score, name="discriminator")


class GAN(keras.Model):  # G and D side by side; its train_step is one training iteration (below)
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

    # Not Keras 2's recipe (D.trainable = False, then a combined G -> D model): Keras 3 reads `trainable` when a
    # model trains, so D's train_on_batch would train nothing (a warning says so). Each step names its variables.
    def discriminator_step(self, real_images, fake_images):
        # exercise: D's step -- stop_gradient on the fakes; a GradientTape; BCE on real+fake; update D's variables
        labels = ops.concatenate([ops.ones((ops.shape(real_images)[0], 1)), ops.zeros((ops.shape(fake_images)[0], 1))])
        with GradientTape() as tape:  # mean over real and fake together; PyTorch's BCE (keras_like_pytorch.py)
            images = ops.concatenate([real_images, ops.stop_gradient(fake_images)])  # G only supplies the fakes here
            scores = self.discriminator(images, training=True)
            d_loss = binary_cross_entropy(scores, labels)
        grads = tape.gradient(d_loss, self.discriminator.trainable_variables)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        return d_loss

    def generator_step(self, generator_tape, fake_images):
        # exercise: G's step -- resume generator_tape; BCE(D(fakes), ones), training=True; G's trainable_variables only
        with generator_tape:  # recording resumes on the tape that holds G's forward pass
            scores = self.discriminator(fake_images, training=True)
            g_loss = binary_cross_entropy(scores, ops.ones_like(scores))
        grads = generator_tape.gradient(g_loss, self.generator.trainable_variables)  # D is used, not updated
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        return g_loss

    def train_step(self, data):  # what train_on_batch runs (compiled on TensorFlow)
        # exercise: the iteration -- unpack (real_images, noise); G once, on a tape; D's step, G's step; the metrics
        (real_images, noise), _, _ = keras.utils.unpack_x_y_sample_weight(data)  # x = (real_images, noise)
        with GradientTape() as generator_tape:  # G runs once an iteration (its BN statistics move); both steps use its fakes
            fake_images = self.generator(noise, training=True)
        self.d_loss_tracker.update_state(self.discriminator_step(real_images, fake_images))
        self.g_loss_tracker.update_state(self.generator_step(generator_tape, fake_images))
        return {metric.name: metric.result() for metric in self.metrics}


def build_model(size, channels, device=None):
    return GAN(size, channels)


def build_optimizer(model, lr):  # two Adams compiled into the model: its train_step uses them, model.save writes them
    optimizers = Optimizers(generator=Adam(lr * G_LR_SHARE, beta_1=0.5), discriminator=Adam(lr, beta_1=0.5))  # PyTorch's Adam
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
