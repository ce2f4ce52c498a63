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
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and tf_support.py

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
    return BatchNorm(features, eps=BATCHNORM_EPSILON, running_rate=BATCHNORM_RUNNING_RATE)  # PyTorch's: tf_like_pytorch.py


def deconv(inputs, outputs):
    # exercise: the deconv helper -- 5x5 stride 2, crop=(2, 1): doubles the size with PyTorch's alignment (common/weights.py)
    return Conv2DTranspose(inputs, outputs, 5, stride=2, crop=(2, 1))  # PyTorch's padding=2, output_padding=1


def conv(inputs, outputs):
    # exercise: the conv helper -- 5x5 stride 2, padding=2 on every side (TF's "SAME" pads 1 before, 2 after)
    return Conv2D(inputs, outputs, 5, stride=2, padding=2)  # halves the size; 2 zeros on every side, as PyTorch


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)
        self.side = size // 16
        self.dense = Dense(NOISE_DIM, self.side * self.side * 512)
        self.bn0, self.deconv1 = batchnorm(512), deconv(512, 512)
        self.bn1, self.deconv2 = batchnorm(512), deconv(512, 256)
        self.bn2, self.deconv3 = batchnorm(256), deconv(256, 128)
        self.bn3, self.deconv4 = batchnorm(128), deconv(128, channels)

    def __call__(self, noise, training):  # (N, 100); BatchNorm needs to know the mode: passed explicitly
        # exercise: G's forward pass -- ReLU(dense); reshape to (N, side, side, 512): no permute; BN(x, training) after ReLUs; tanh
        hidden = tf.nn.relu(self.dense(noise))  # -> (N, H/16 * W/16 * 512)
        hidden = tf.reshape(hidden, (-1, self.side, self.side, 512))  # -> (N, H/16, W/16, 512): the canonical order, no permute
        hidden = self.bn0(hidden, training)  # the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn1(tf.nn.relu(self.deconv1(hidden)), training)  # -> (N, H/8, W/8, 512)
        hidden = self.bn2(tf.nn.relu(self.deconv2(hidden)), training)  # -> (N, H/4, W/4, 256)
        hidden = self.bn3(tf.nn.relu(self.deconv3(hidden)), training)  # -> (N, H/2, W/2, 128)
        return tf.tanh(self.deconv4(hidden))  # -> (N, H, W, C) in [-1, 1]


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)
        self.conv1, self.conv2 = conv(channels, 32), conv(32, 64)
        self.conv3, self.conv4 = conv(64, 128), conv(128, 256)
        self.dense = Dense((size // 16) ** 2 * 256 + 1, 1)  # + 1: the minibatch spread

    def __call__(self, images):  # (N, H, W, C)
        # exercise: D's forward pass -- conv + leaky_relu x4; flatten NHWC as it is (the weight order); append minibatch_spread; dense + sigmoid
        hidden = leaky_relu(self.conv1(images))  # -> (N, H/2, W/2, 32)
        hidden = leaky_relu(self.conv2(hidden))  # -> (N, H/4, W/4, 64)
        hidden = leaky_relu(self.conv3(hidden))  # -> (N, H/8, W/8, 128)
        hidden = leaky_relu(self.conv4(hidden))  # -> (N, H/16, W/16, 256)
        hidden = tf.reshape(hidden, (tf.shape(hidden)[0], -1))  # -> (N, H/16 * W/16 * 256): NHWC is (height, width, channels) order
        hidden = tf.concat([hidden, minibatch_spread(hidden)], 1)  # -> (N, H/16 * W/16 * 256 + 1)
        return tf.sigmoid(self.dense(hidden))  # -> (N, 1): probability that the image is real


def minibatch_spread(features):
    """One more feature per image: the mean over features of their standard deviation within its
    group. A G drawing one shape for every z makes it small, and D can tell its fakes by it."""
    # exercise: the minibatch spread -- groups of math.gcd(N, SPREAD_GROUP) neighbours (reshape); sqrt(reduce_variance over a group + SPREAD_EPSILON), mean over features; tf.repeat to (N, 1)
    group = math.gcd(features.shape[0], SPREAD_GROUP)  # neighbours: real and fake images never share a group
    groups = tf.reshape(features, (-1, group, features.shape[1]))  # -> (N / group, group, F)
    spread = tf.sqrt(tf.math.reduce_variance(groups, axis=1) + SPREAD_EPSILON)  # -> (N / group, F)
    return tf.repeat(tf.reduce_mean(spread, axis=1, keepdims=True), group, axis=0)  # -> (N, 1)


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
    with tf.GradientTape() as tape:  # D's own tape: it records D's forward pass, nothing of G
        scores = model.discriminator(tf.concat([real_images, tf.stop_gradient(fake_images)], 0))  # G only supplies the fakes
        labels = tf.concat([tf.ones((tf.shape(real_images)[0], 1)), tf.zeros((tf.shape(fake_images)[0], 1))], 0)
        loss = binary_cross_entropy(scores, labels)  # mean over real and fake together; PyTorch's: tf_like_pytorch.py
    optimizers.discriminator.apply(tape.gradient(loss, optimizers.discriminator.parameters))
    return loss


def generator_step(model, optimizers, generator_tape, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated, frozen: only G learns."""
    # exercise: G's step -- resume generator_tape (`with generator_tape:`); BCE(D(fakes), 1s); gradient for G's variables
    with generator_tape:  # recording resumes on G's tape, which watches G's variables only: D is frozen
        scores = model.discriminator(fake_images)
        loss = binary_cross_entropy(scores, tf.ones_like(scores))
    optimizers.generator.apply(generator_tape.gradient(loss, optimizers.generator.parameters))
    return loss


@tf.function  # traced once: the same model, optimizers and batch shape at every iteration
def compiled_train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- a tape watching G's variables only; G's forward pass on it once; D's step, then G's
    with tf.GradientTape(watch_accessed_variables=False) as generator_tape:  # for G's step: D's variables unwatched
        generator_tape.watch(optimizers.generator.parameters)
        fake_images = model.generator(noise, training=True)  # G runs once an iteration; both steps use its fakes
    d_loss = discriminator_step(model, optimizers, real_images, fake_images)  # outside G's tape: no part of G's gradient
    g_loss = generator_step(model, optimizers, generator_tape, fake_images)
    return {"d_loss": d_loss, "g_loss": g_loss}  # tensors: float() happens outside, after the graph has run


def train_step(model, optimizers, real_images, noise):
    losses = compiled_train_step(model, optimizers, tf.constant(real_images), tf.constant(noise))
    return {name: float(loss) for name, loss in losses.items()}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
