"""DCGAN (deep convolutional GAN) in TensorFlow.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid. Each layer halves or doubles the size: H and W multiples of 16.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python tensorflow/dcgan.py              # train on the built-in digits, then test
    python tensorflow/dcgan.py --test       # samples from the checkpoint in results/
    python tensorflow/dcgan.py --help       # every flag
"""

import os
import sys
import time
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and tf_support.py
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quiet start-up: set before the import

import tensorflow as tf

import tf_support as support
from common import cli, data
from common.architectures import NOISE_DIM
from common.errors import run_main
from common.runs import SAMPLES_IN_GRID, Run

MODEL, FRAMEWORK = "dcgan", "tensorflow"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    return support.BatchNorm(features)  # over (N, H, W) per channel; eps 1e-5, momentum 0.1


def deconv(inputs, outputs):
    # Crop the full output 2 before and 1 after: doubles the size with PyTorch's alignment
    # (padding=2, output_padding=1) that every framework in this repository uses (common/weights.py).
    return support.Conv2DTranspose(inputs, outputs, 5, stride=2, crop=(2, 1))


def conv(inputs, outputs):
    # Zero padding 2 on every side (PyTorch padding=2); "SAME" would pad 1 before, 2 after.
    return support.Conv2D(inputs, outputs, 5, stride=2, padding=2)  # halves the size


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.side = size // 16
        self.dense = support.Dense(NOISE_DIM, self.side * self.side * 512)  # (N, 100) -> (N, H/16*W/16*512)
        self.bn0 = batchnorm(512)
        self.deconv1 = deconv(512, 512)  # (N, H/16, W/16, 512) -> (N, H/8, W/8, 512)
        self.bn1 = batchnorm(512)
        self.deconv2 = deconv(512, 256)  # -> (N, H/4, W/4, 256)
        self.bn2 = batchnorm(256)
        self.deconv3 = deconv(256, 128)  # -> (N, H/2, W/2, 128)
        self.bn3 = batchnorm(128)
        self.deconv4 = deconv(128, channels)  # -> (N, H, W, C)

    def __call__(self, noise, training):  # BatchNorm needs to know the mode: pass it explicitly
        hidden = tf.nn.relu(self.dense(noise))
        # The canonical order of the dense outputs is (height, width, channels): exactly
        # TensorFlow's NHWC, so a plain reshape, no permute.
        hidden = tf.reshape(hidden, (-1, self.side, self.side, 512))
        hidden = self.bn0(hidden, training)  # the seed's order: activation, then BN
        hidden = self.bn1(tf.nn.relu(self.deconv1(hidden)), training)
        hidden = self.bn2(tf.nn.relu(self.deconv2(hidden)), training)
        hidden = self.bn3(tf.nn.relu(self.deconv3(hidden)), training)
        return tf.tanh(self.deconv4(hidden))  # (N, H, W, C) in [-1, 1]


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        side = size // 16
        self.conv1 = conv(channels, 32)  # (N, H, W, C) -> (N, H/2, W/2, 32)
        self.conv2 = conv(32, 64)  # -> (N, H/4, W/4, 64)
        self.conv3 = conv(64, 128)  # -> (N, H/8, W/8, 128)
        self.conv4 = conv(128, 256)  # -> (N, H/16, W/16, 256)
        self.dense = support.Dense(side * side * 256, 1)  # (N, H/16*W/16*256) -> (N, 1)

    def __call__(self, images):  # (N, H, W, C)
        hidden = support.leaky_relu(self.conv1(images))
        hidden = support.leaky_relu(self.conv2(hidden))
        hidden = support.leaky_relu(self.conv3(hidden))
        hidden = support.leaky_relu(self.conv4(hidden))
        hidden = tf.reshape(hidden, (tf.shape(hidden)[0], -1))  # NHWC flattens in (height, width, channels) order
        return tf.sigmoid(self.dense(hidden))  # probability that the image is real


class GAN(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.generator = Generator(size, channels)
        self.discriminator = Discriminator(size, channels)


def build_model(size, channels):
    return GAN(size, channels)


def build_optimizer(model, lr):
    def adam(network):  # each Adam updates the trainable variables of one network only
        return support.Adam(network.trainable_variables, lr=lr, betas=(0.5, 0.999))
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


def as_images(images):
    return tf.constant(images)  # NHWC NumPy -> NHWC tensor: TensorFlow convolutions are channels-last


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    return model.generator(tf.constant(noise), training).numpy()


def discriminate(model, images, training=False):
    return model.discriminator(as_images(images)).numpy()  # D has no BatchNorm: one mode


# ----- one training step ------------------------------------------------------------------
# Both steps are compiled with tf.function. Each is traced once: the model and optimizers
# are the same objects and the batches the same shape at every iteration.
@tf.function
def compiled_discriminator_step(model, optimizers, real, noise):
    fake = tf.stop_gradient(model.generator(noise, training=True))  # G only supplies fakes here
    with tf.GradientTape() as tape:  # opened after G ran: no graph through G, no gradient into it
        scores = model.discriminator(tf.concat([real, fake], 0))
        labels = tf.concat([tf.ones((tf.shape(real)[0], 1)), tf.zeros((tf.shape(fake)[0], 1))], 0)
        loss = support.binary_cross_entropy(scores, labels)  # mean over real and fake together
    optimizers.discriminator.apply(tape.gradient(loss, optimizers.discriminator.parameters))
    return loss  # a tensor: float() happens outside, after the graph has run


@tf.function
def compiled_generator_step(model, optimizers, noise):
    generator = optimizers.generator.parameters
    # Watch G's variables only: D is frozen (the tape records no gradient for it).
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(generator)
        scores = model.discriminator(model.generator(noise, training=True))
        loss = support.binary_cross_entropy(scores, tf.ones_like(scores))
    optimizers.generator.apply(tape.gradient(loss, generator))
    return loss


def discriminator_step(model, optimizers, real_images, noise):
    """Real images are labelled 1 and fakes 0; only D is updated."""
    return float(compiled_discriminator_step(model, optimizers, as_images(real_images), tf.constant(noise)))


def generator_step(model, optimizers, noise):
    """Fakes are labelled 1 ("real"): the gradient flows through a frozen D into G."""
    return float(compiled_generator_step(model, optimizers, tf.constant(noise)))


def train_step(model, optimizers, real_images, noise):
    d_loss = discriminator_step(model, optimizers, real_images, noise)
    g_loss = generator_step(model, optimizers, noise)
    return {"d_loss": d_loss, "g_loss": g_loss}


# ----- train and test ---------------------------------------------------------------------
def train(args, run, device):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels)
    optimizers = build_optimizer(model, args.lr)
    if args.resume:
        start, losses = support.load_checkpoint(run, model, optimizers)
    else:
        start, losses = 0, {}
        support.set_weights(model, run.starting_weights())

    log, started = run.training_log(start, losses), time.time()
    for iteration in log.iterations():
        noise = data.noise(args.seed, iteration, args.batch_size)
        log.record(**train_step(model, optimizers, batches.batch(iteration), noise))
        if run.should_save(iteration):
            support.save_checkpoint(run, model, optimizers, iteration + 1, log.losses)
        if run.should_sample(iteration):
            run.save_progress_samples(iteration, generate(model, data.fixed_noise(SAMPLES_IN_GRID)))
    log.close()
    support.save_checkpoint(run, model, optimizers, args.iters, log.losses)
    run.export_weights(support.get_weights(model))
    run.finish_training(log, started)


def test(args, run, device):
    training_set = data.load_training_set(args)  # the quality figure compares samples with these
    model = build_model(args.size, args.channels)
    support.load_checkpoint(run, model)
    samples = generate(model, data.fixed_noise(SAMPLES_IN_GRID))
    run.finish_generation_test(samples, training_set)


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    with tf.device(device):  # variables and ops on the GPU when there is one
        if args.do_train:
            train(args, run, device)
        if args.do_test:
            test(args, run, device)


if __name__ == "__main__":
    run_main(main)
