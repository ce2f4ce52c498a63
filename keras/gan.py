"""GAN (multi-layer perceptrons) in Keras 3.

G: z(100) -> Dense(256) -> Dense(512) -> Dense(1024), each + LeakyReLU(0.2) + BatchNorm,
   -> Dense(H*W*C) + tanh.          D: Dense(512) -> Dense(256), each + LeakyReLU(0.2),
   -> Dense(1) + sigmoid.
Each iteration: one D step (real images labelled 1, fakes 0, G frozen), then one G step
(fakes labelled 1, through a frozen D). Binary cross-entropy, Adam(0.0002, beta1 0.5).
The iteration is the model's own train_step (keras-io's DCGAN style), run by train_on_batch.

    python keras/gan.py                   # train on the built-in digits, then test
    python keras/gan.py --test            # samples from the checkpoint in results/
    python keras/gan.py --help            # every flag
    KERAS_BACKEND=torch python keras/gan.py   # the same on Keras's PyTorch backend
"""

import sys
import time
from collections import namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and keras_support.py

import keras
from keras import layers, ops

import keras_support as support
from common import cli, data
from common.architectures import NOISE_DIM
from common.errors import run_main
from common.runs import SAMPLES_IN_GRID, Run

MODEL, FRAMEWORK = "gan", "keras"
Optimizers = namedtuple("Optimizers", "generator discriminator")


# ----- model -------------------------------------------------------------------------
def batchnorm(name):
    return support.BatchNorm(name=name)  # PyTorch's statistics, see keras_support.py


def build_generator(size, channels):
    noise = keras.Input((NOISE_DIM,))  # (N, 100)
    # LeakyReLU's slope is given: the Keras layer's default is 0.3 (the function's is 0.2)
    hidden = layers.LeakyReLU(0.2)(layers.Dense(256, name="dense1")(noise))  # -> (N, 256)
    hidden = batchnorm("bn1")(hidden)  # the seed's order: activation, then BN
    hidden = layers.LeakyReLU(0.2)(layers.Dense(512, name="dense2")(hidden))  # -> (N, 512)
    hidden = batchnorm("bn2")(hidden)
    hidden = layers.LeakyReLU(0.2)(layers.Dense(1024, name="dense3")(hidden))  # -> (N, 1024)
    hidden = batchnorm("bn3")(hidden)
    hidden = layers.Dense(size * size * channels, activation="tanh", name="dense4")(hidden)  # -> (N, H*W*C)
    images = layers.Reshape((size, size, channels))(hidden)  # -> (N, H, W, C) in [-1, 1]
    return keras.Model(noise, images, name="generator")


def build_discriminator(size, channels):
    images = keras.Input((size, size, channels))  # (N, H, W, C)
    hidden = layers.Flatten()(images)  # -> (N, H*W*C), in (height, width, channels) order
    hidden = layers.LeakyReLU(0.2)(layers.Dense(512, name="dense1")(hidden))  # -> (N, 512)
    hidden = layers.LeakyReLU(0.2)(layers.Dense(256, name="dense2")(hidden))  # -> (N, 256)
    score = layers.Dense(1, activation="sigmoid", name="dense3")(hidden)  # (N, 1): probability that the image is real
    return keras.Model(images, score, name="discriminator")


class GAN(keras.Model):
    """G and D side by side; its train_step is one training iteration (see below)."""

    def __init__(self, size, channels, **kwargs):
        super().__init__(**kwargs)
        self.size, self.channels = size, channels
        self.generator = build_generator(size, channels)
        self.discriminator = build_discriminator(size, channels)
        self.built = True  # both networks are functional, built with their inputs: nothing to infer
        # train_on_batch resets the metrics before each call: each value is that batch's loss
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def get_config(self):  # what model.save records to rebuild the model
        return {**super().get_config(), "size": self.size, "channels": self.channels}

    def compile(self, d_optimizer, g_optimizer):
        # optimizer=None: not Keras's default RMSprop, which nothing here would use, yet the
        # torch backend would build (a slot per weight) and every checkpoint would carry
        super().compile(optimizer=None)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    # ----- one training step (as methods: Keras's train_on_batch calls train_step) ------
    # Keras 2's recipe (compile D, set D.trainable = False, compile a combined G -> D model)
    # does not work in Keras 3: `trainable` is read when a model trains, not fixed at compile,
    # so D's own train_on_batch then trains nothing either (a warning is all that says so).
    # Each step here names the variables it updates instead.
    def discriminator_step(self, real_images, noise):
        """Real images are labelled 1 and fakes 0; only D is updated."""
        # G only supplies fakes here (in training mode, as in PyTorch: its BN statistics move)
        fake_images = ops.stop_gradient(self.generator(noise, training=True))
        images = ops.concatenate([real_images, fake_images])
        labels = ops.concatenate([ops.ones((ops.shape(real_images)[0], 1)), ops.zeros((ops.shape(fake_images)[0], 1))])

        def loss():  # mean over real and fake together
            return support.binary_cross_entropy(self.discriminator(images, training=True), labels)

        variables = self.discriminator.trainable_variables
        d_loss, grads = support.gradients(loss, variables)  # the backend-specific part
        self.d_optimizer.apply_gradients(zip(grads, variables))
        return d_loss

    def generator_step(self, noise):
        """Fakes are labelled 1 ("real"): the gradient flows through D into G; only G is updated."""
        def loss():
            scores = self.discriminator(self.generator(noise, training=True), training=True)
            return support.binary_cross_entropy(scores, ops.ones_like(scores))

        variables = self.generator.trainable_variables  # D is used, not updated
        g_loss, grads = support.gradients(loss, variables)
        self.g_optimizer.apply_gradients(zip(grads, variables))
        return g_loss

    def train_step(self, data):
        (real_images, noise), _, _ = keras.utils.unpack_x_y_sample_weight(data)  # x = (real_images, noise)
        self.d_loss_tracker.update_state(self.discriminator_step(real_images, noise))
        self.g_loss_tracker.update_state(self.generator_step(noise))
        return {metric.name: metric.result() for metric in self.metrics}


def build_model(size, channels):
    return GAN(size, channels)


def build_optimizer(model, lr):
    """Two Adams, compiled into the model (its train_step uses them) and built now, so that
    a checkpoint can restore their state before the first step."""
    optimizers = Optimizers(generator=support.Adam(lr, beta_1=0.5), discriminator=support.Adam(lr, beta_1=0.5))
    model.compile(d_optimizer=optimizers.discriminator, g_optimizer=optimizers.generator)
    optimizers.generator.build(model.generator.trainable_variables)
    optimizers.discriminator.build(model.discriminator.trainable_variables)
    return optimizers


def generate(model, noise, training=False):
    """Noise (N, 100) in, NHWC NumPy images out; inference mode unless `training`."""
    return ops.convert_to_numpy(model.generator(ops.convert_to_tensor(noise), training=training))


def discriminate(model, images, training=False):
    return ops.convert_to_numpy(model.discriminator(ops.convert_to_tensor(images), training=training))


# ----- one training step ------------------------------------------------------------------
# The steps themselves are GAN's methods above; these run them on NumPy batches. The
# optimizers are the model's own since build_optimizer compiled them in.
def discriminator_step(model, optimizers, real_images, noise):
    """Real images are labelled 1 and fakes 0; only D is updated."""
    loss = model.discriminator_step(ops.convert_to_tensor(real_images), ops.convert_to_tensor(noise))
    return float(ops.convert_to_numpy(loss))


def generator_step(model, optimizers, noise):
    """Fakes are labelled 1 ("real"): the gradient flows through a frozen D into G."""
    return float(ops.convert_to_numpy(model.generator_step(ops.convert_to_tensor(noise))))


def train_step(model, optimizers, real_images, noise):
    # train_on_batch runs GAN.train_step: D step, then G step (compiled on TensorFlow)
    logs = model.train_on_batch((real_images, noise), return_dict=True)
    return {"d_loss": logs["d_loss"], "g_loss": logs["g_loss"]}


# ----- train and test ---------------------------------------------------------------------
def train(args, run):
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    run.save_training_images(batches)
    model = build_model(args.size, args.channels)
    optimizers = build_optimizer(model, args.lr)
    if args.resume:
        start, losses = support.load_checkpoint(run, model)
    else:
        start, losses = 0, {}
        support.set_weights(model, run.starting_weights())

    log, started = run.training_log(start, losses), time.time()
    for iteration in log.iterations():
        noise = data.noise(args.seed, iteration, args.batch_size)
        log.record(**train_step(model, optimizers, batches.batch(iteration), noise))
        if run.should_save(iteration):
            support.save_checkpoint(run, model, iteration + 1, log.losses)
        if run.should_sample(iteration):
            run.save_progress_samples(iteration, generate(model, data.fixed_noise(SAMPLES_IN_GRID)))
    log.close()
    support.save_checkpoint(run, model, args.iters, log.losses)
    run.export_weights(support.get_weights(model))
    run.finish_training(log, started)


def test(args, run):
    training_set = data.load_training_set(args)  # the quality figure compares samples with these
    model = build_model(args.size, args.channels)
    support.load_checkpoint(run, model)
    samples = generate(model, data.fixed_noise(SAMPLES_IN_GRID))
    run.finish_generation_test(samples, training_set)


def main(argv=None):
    args = cli.parse_args(MODEL, FRAMEWORK, argv)
    device = support.choose_device(args.device)
    run = Run(args)
    with device:  # every variable and tensor is created on that device
        if args.do_train:
            train(args, run)
        if args.do_test:
            test(args, run)


if __name__ == "__main__":
    run_main(main)
