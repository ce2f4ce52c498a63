"""DCGAN (deep convolutional GAN) in Chainer.

G: z(100) -> Dense(H/16 * W/16 * 512) -> three 5x5 stride-2 transposed convolutions
   (512, 256, 128), each + ReLU + BatchNorm, -> one to C channels + tanh.
D: four 5x5 stride-2 convolutions (32, 64, 128, 256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid. Each layer halves or doubles the size: H and W multiples of 16.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).

    python chainer/dcgan.py                 # train on the built-in digits, then test
    python chainer/dcgan.py --test          # samples from the checkpoint in results/
    python chainer/dcgan.py --help          # every flag
"""

import sys
import time
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and chainer_support.py

import numpy as np

from common import chainer_compat  # noqa: F401  (before chainer: Chainer 7.8.1 on NumPy 2)

import chainer
import chainer.functions as F
import chainer.links as L

import chainer_support as support
from common import cli, data
from common.architectures import NOISE_DIM
from common.errors import run_main
from common.runs import SAMPLES_IN_GRID, Run

MODEL, FRAMEWORK = "dcgan", "chainer"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(features):
    # Chainer's default eps is 2e-5; decay=0.9 is PyTorch's momentum=0.1. Like PyTorch, the
    # running variance takes the unbiased batch variance, normalisation the biased one.
    return L.BatchNormalization(features, eps=support.BATCHNORM_EPSILON, decay=support.BATCHNORM_DECAY)


def deconv(inputs, outputs, input_side):
    # The full output of a 5x5 stride-2 transposed convolution has 2n + 3 rows; pad=2 alone
    # crops 2 at each end (2n - 1 rows), and outsize=2n keeps one more at the end. So it is
    # cropped 2 before and 1 after: PyTorch's padding=2, output_padding=1, the alignment every
    # framework in this repository uses (common/weights.py). Chainer fixes outsize when the
    # link is made, so it needs the input side here.
    side = 2 * input_side
    return L.Deconvolution2D(inputs, outputs, 5, stride=2, pad=2, outsize=(side, side))


def conv(inputs, outputs):
    return L.Convolution2D(inputs, outputs, 5, stride=2, pad=2)  # halves the size


class Generator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        self.side = side = size // 16
        with self.init_scope():  # links made here become the chain's registered children
            self.dense = L.Linear(NOISE_DIM, side * side * 512)  # (N, 100) -> (N, H/16*W/16*512)
            self.bn0 = batchnorm(512)
            self.deconv1 = deconv(512, 512, side)  # (N, 512, H/16, W/16) -> (N, 512, H/8, W/8)
            self.bn1 = batchnorm(512)
            self.deconv2 = deconv(512, 256, side * 2)  # -> (N, 256, H/4, W/4)
            self.bn2 = batchnorm(256)
            self.deconv3 = deconv(256, 128, side * 4)  # -> (N, 128, H/2, W/2)
            self.bn3 = batchnorm(128)
            self.deconv4 = deconv(128, channels, side * 8)  # -> (N, C, H, W)

    def forward(self, noise):
        hidden = F.relu(self.dense(noise))
        # The canonical order of the dense outputs is (height, width, channels):
        # reshape channels-last, then move channels first for the convolutions.
        hidden = F.transpose(F.reshape(hidden, (-1, self.side, self.side, 512)), (0, 3, 1, 2))
        hidden = self.bn0(hidden)  # the seed's order: activation, then BN
        hidden = self.bn1(F.relu(self.deconv1(hidden)))
        hidden = self.bn2(F.relu(self.deconv2(hidden)))
        hidden = self.bn3(F.relu(self.deconv3(hidden)))
        return F.tanh(self.deconv4(hidden))  # (N, C, H, W) in [-1, 1]


class Discriminator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        side = size // 16
        with self.init_scope():
            self.conv1 = conv(channels, 32)  # (N, C, H, W) -> (N, 32, H/2, W/2)
            self.conv2 = conv(32, 64)  # -> (N, 64, H/4, W/4)
            self.conv3 = conv(64, 128)  # -> (N, 128, H/8, W/8)
            self.conv4 = conv(128, 256)  # -> (N, 256, H/16, W/16)
            self.dense = L.Linear(side * side * 256, 1)  # (N, H/16*W/16*256) -> (N, 1)

    def forward(self, images):  # (N, C, H, W)
        hidden = F.leaky_relu(self.conv1(images), 0.2)
        hidden = F.leaky_relu(self.conv2(hidden), 0.2)
        hidden = F.leaky_relu(self.conv3(hidden), 0.2)
        hidden = F.leaky_relu(self.conv4(hidden), 0.2)
        hidden = F.reshape(F.transpose(hidden, (0, 2, 3, 1)), (len(hidden), -1))  # flatten as (height, width, channels)
        return F.sigmoid(self.dense(hidden))  # probability that the image is real


class GAN(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        with self.init_scope():
            self.generator = Generator(size, channels)
            self.discriminator = Discriminator(size, channels)


def build_model(size, channels):
    return GAN(size, channels)


def build_optimizer(model, lr):
    def adam(network):
        return support.Adam(alpha=lr, beta1=0.5, beta2=0.999).setup(network)
    return Optimizers(generator=adam(model.generator), discriminator=adam(model.discriminator))


def as_images(images, device):
    return support.to_array(images, device)  # NHWC NumPy -> NCHW array


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return support.to_images(model.generator(model.device.send(support.float32(noise))))


def discriminate(model, images, training=False):
    with chainer.using_config("train", training), chainer.no_backprop_mode():
        return support.to_numpy(model.discriminator(as_images(images, model.device)))


# ----- one training step ------------------------------------------------------------------
# Chainer has no model.train(): "train" is a global configuration, True unless a
# `chainer.using_config("train", False)` block (as in generate) says otherwise.
def discriminator_step(model, optimizers, real_images, noise):
    """Real images are labelled 1 and fakes 0; only D is updated."""
    device = model.device
    real = as_images(real_images, device)
    with chainer.no_backprop_mode():  # G only supplies fakes here: no graph through G, no gradient into it
        fake = model.generator(device.send(support.float32(noise))).array
    # Plain arrays, not Variables: D's backward then skips the gradient of its input images.
    scores = model.discriminator(device.xp.concatenate([real, fake]))
    labels = device.send(np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))]).astype(np.float32))
    loss = support.binary_cross_entropy(scores, labels)  # mean over real and fake together
    model.discriminator.cleargrads()  # backward() adds to the gradients already there, as in PyTorch
    loss.backward()
    optimizers.discriminator.update()
    return float(loss.array)


def generator_step(model, optimizers, noise):
    """Fakes are labelled 1 ("real"): the gradient flows through a frozen D into G."""
    fake = model.generator(model.device.send(support.float32(noise)))
    scores = model.discriminator(fake)
    loss = support.binary_cross_entropy(scores, model.xp.ones(scores.shape, dtype=np.float32))
    model.generator.cleargrads()
    # D frozen: loss.backward() would also compute every D weight's gradient, unused here.
    # chainer.grad computes only the gradients on the way to G's parameters and stores them.
    chainer.grad([loss], list(model.generator.params()), set_grad=True)
    optimizers.generator.update()
    return float(loss.array)


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
    model.to_device(device)
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
    model.to_device(device)
    support.load_checkpoint(run, model)
    samples = generate(model, data.fixed_noise(SAMPLES_IN_GRID))
    run.finish_generation_test(samples, training_set)


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    if args.do_train:
        train(args, run, device)
    if args.do_test:
        test(args, run, device)


if __name__ == "__main__":
    run_main(main)
