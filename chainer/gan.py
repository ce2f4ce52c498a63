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
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and chainer_support.py

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
    # decay = 1 - the running rate (PyTorch's momentum): running = decay * running + rate * batch.
    # Like PyTorch, the running variance takes the unbiased batch variance, normalisation the biased one;
    # for a 2-d input the statistics run over axis 0, the batch (BatchNorm1d).
    return L.BatchNormalization(features, eps=BATCHNORM_EPSILON, decay=1 - BATCHNORM_RUNNING_RATE)


class Generator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- in init_scope: dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm()
        self.image_shape = (size, size, channels)
        with self.init_scope():  # links made here become the chain's registered children
            self.dense1, self.bn1 = L.Linear(NOISE_DIM, 256), batchnorm(256)
            self.dense2, self.bn2 = L.Linear(256, 512), batchnorm(512)
            self.dense3, self.bn3 = L.Linear(512, 1024), batchnorm(1024)
            self.dense4 = L.Linear(1024, size * size * channels)

    def forward(self, noise):  # (N, 100)
        # exercise: G's forward pass -- dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        hidden = self.bn1(F.leaky_relu(self.dense1(noise), 0.2))  # -> (N, 256); the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn2(F.leaky_relu(self.dense2(hidden), 0.2))  # -> (N, 512)
        hidden = self.bn3(F.leaky_relu(self.dense3(hidden), 0.2))  # -> (N, 1024)
        return F.reshape(F.tanh(self.dense4(hidden)), (-1, *self.image_shape))  # -> (N, H*W*C) -> (N, H, W, C) in [-1, 1]


class Discriminator(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- in init_scope: dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        with self.init_scope():
            self.dense1 = L.Linear(size * size * channels, 512)
            self.dense2 = L.Linear(512, 256)
            self.dense3 = L.Linear(256, 1)

    def forward(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        hidden = F.leaky_relu(self.dense1(images), 0.2)  # -> (N, H*W*C) -> (N, 512); L.Linear flattens
        hidden = F.leaky_relu(self.dense2(hidden), 0.2)  # -> (N, 256)
        return F.sigmoid(self.dense3(hidden))  # -> (N, 1): probability that the image is real


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
    fake_images = fake_images.array  # G only supplies the fakes here: its graph is kept for G's step
    scores = model.discriminator(model.xp.concatenate([real_images, fake_images]))  # plain arrays: no gradient for them
    labels = on_device_of(model, np.concatenate([np.ones((len(real_images), 1)), np.zeros((len(fake_images), 1))]))
    loss = binary_cross_entropy(scores, labels)  # PyTorch's BCE, mean over real and fake together
    model.discriminator.cleargrads()  # backward() adds to the gradients already there, as in PyTorch
    loss.backward()
    optimizers.discriminator.update()
    return float(loss.array)


def generator_step(model, optimizers, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along the graph G's forward pass left."""
    # exercise: G's step -- BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G
    scores = model.discriminator(fake_images)
    loss = binary_cross_entropy(scores, model.xp.ones(scores.shape, dtype=np.float32))
    model.generator.cleargrads()
    # D frozen: chainer.grad computes only the gradients on the way to G's parameters (not D's).
    chainer.grad([loss], list(model.generator.params()), set_grad=True)
    optimizers.generator.update()
    return float(loss.array)


# Chainer has no model.train(): the global config "train" is True unless using_config says otherwise.
def train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- G's forward pass once; D's step on the fakes, then G's step on the same fakes
    real = on_device_of(model, real_images)
    fake_images = model.generator(on_device_of(model, noise))  # G runs once an iteration; both steps use its fakes
    d_loss = discriminator_step(model, optimizers, real, fake_images)
    g_loss = generator_step(model, optimizers, fake_images)
    return {"d_loss": d_loss, "g_loss": g_loss}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
