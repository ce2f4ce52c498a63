"""GAN (multi-layer perceptrons) in TensorFlow.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python tensorflow/gan.py              # train on the built-in digits, then test
    python tensorflow/gan.py --test       # samples from the checkpoint in results/
    python tensorflow/gan.py --help       # every flag
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

MODEL, FRAMEWORK = "gan", "tensorflow"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    return support.BatchNorm(features)  # eps 1e-5, momentum 0.1, unbiased running variance


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.image_shape = (size, size, channels)
        self.dense1 = support.Dense(NOISE_DIM, 256)  # (N, 100) -> (N, 256)
        self.bn1 = batchnorm(256)
        self.dense2 = support.Dense(256, 512)  # -> (N, 512)
        self.bn2 = batchnorm(512)
        self.dense3 = support.Dense(512, 1024)  # -> (N, 1024)
        self.bn3 = batchnorm(1024)
        self.dense4 = support.Dense(1024, size * size * channels)  # -> (N, H*W*C)

    def __call__(self, noise, training):  # BatchNorm needs to know the mode: pass it explicitly
        hidden = self.bn1(support.leaky_relu(self.dense1(noise)), training)  # the seed's order: activation, then BN
        hidden = self.bn2(support.leaky_relu(self.dense2(hidden)), training)
        hidden = self.bn3(support.leaky_relu(self.dense3(hidden)), training)
        return tf.reshape(tf.tanh(self.dense4(hidden)), (-1, *self.image_shape))  # (N, H, W, C) in [-1, 1]


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        self.dense1 = support.Dense(size * size * channels, 512)  # (N, H*W*C) -> (N, 512)
        self.dense2 = support.Dense(512, 256)  # -> (N, 256)
        self.dense3 = support.Dense(256, 1)  # -> (N, 1)

    def __call__(self, images):  # (N, H, W, C)
        hidden = support.leaky_relu(self.dense1(tf.reshape(images, (tf.shape(images)[0], -1))))
        hidden = support.leaky_relu(self.dense2(hidden))
        return tf.sigmoid(self.dense3(hidden))  # probability that the image is real


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
    return tf.constant(images)  # NHWC NumPy -> NHWC tensor: no transpose in TensorFlow


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
