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
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and tf_support.py

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
    return BatchNorm(features, eps=BATCHNORM_EPSILON, running_rate=BATCHNORM_RUNNING_RATE)  # PyTorch's: tf_like_pytorch.py


class Generator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: G's layers -- dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)
        self.image_shape = (size, size, channels)
        self.dense1, self.bn1 = Dense(NOISE_DIM, 256), batchnorm(256)
        self.dense2, self.bn2 = Dense(256, 512), batchnorm(512)
        self.dense3, self.bn3 = Dense(512, 1024), batchnorm(1024)
        self.dense4 = Dense(1024, size * size * channels)

    def __call__(self, noise, training):  # (N, 100); BatchNorm needs to know the mode: passed explicitly
        # exercise: G's forward pass -- dense, LeakyReLU, then BN(x, training), x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC
        hidden = self.bn1(leaky_relu(self.dense1(noise)), training)  # -> (N, 256); the original exercise's (画像生成編) order: activation, then BN
        hidden = self.bn2(leaky_relu(self.dense2(hidden)), training)  # -> (N, 512)
        hidden = self.bn3(leaky_relu(self.dense3(hidden)), training)  # -> (N, 1024)
        return tf.reshape(tf.tanh(self.dense4(hidden)), (-1, *self.image_shape))  # -> (N, H*W*C) -> (N, H, W, C) in [-1, 1]


class Discriminator(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: D's layers -- dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D
        self.dense1 = Dense(size * size * channels, 512)
        self.dense2 = Dense(512, 256)
        self.dense3 = Dense(256, 1)

    def __call__(self, images):  # (N, H, W, C): an MLP reads NHWC directly
        # exercise: D's forward pass -- flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)
        hidden = leaky_relu(self.dense1(tf.reshape(images, (tf.shape(images)[0], -1))))  # -> (N, H*W*C) -> (N, 512)
        hidden = leaky_relu(self.dense2(hidden))  # -> (N, 256)
        return tf.sigmoid(self.dense3(hidden))  # -> (N, 1): probability that the image is real


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
    fake_images = tf.stop_gradient(fake_images)  # G only supplies the fakes here
    with tf.GradientTape() as tape:  # D's own tape: it records D's forward pass, nothing of G
        scores = model.discriminator(tf.concat([real_images, fake_images], 0))
        labels = tf.concat([tf.ones((tf.shape(real_images)[0], 1)), tf.zeros((tf.shape(fake_images)[0], 1))], 0)
        loss = binary_cross_entropy(scores, labels)  # mean over real and fake together; PyTorch's: tf_like_pytorch.py
    optimizers.discriminator.apply(tape.gradient(loss, optimizers.discriminator.parameters))
    return loss


def generator_step(model, optimizers, generator_tape, fake_images):
    """The same fakes, labelled 1 ("real"), through the D just updated: the gradient flows
    through a frozen D into G, along `generator_tape`, which recorded G's forward pass."""
    # exercise: G's step -- resume generator_tape (`with generator_tape:`); BCE(D(fakes), 1s); gradient for G's variables
    with generator_tape:  # recording resumes on G's tape, which watches G's variables only: D is frozen
        scores = model.discriminator(fake_images)
        loss = binary_cross_entropy(scores, tf.ones_like(scores))
    generator = optimizers.generator.parameters
    optimizers.generator.apply(generator_tape.gradient(loss, generator))
    return loss


@tf.function  # traced once: the same model, optimizers and batch shape at every iteration
def compiled_train_step(model, optimizers, real_images, noise):
    # exercise: the iteration -- a tape watching G's variables only; G's forward pass on it once; D's step, then G's
    generator_tape = tf.GradientTape(watch_accessed_variables=False)  # for G's step: D's variables unwatched
    with generator_tape:
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
