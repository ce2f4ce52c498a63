"""TensorFlow replacements for three built-ins, written by hand so that the TensorFlow scripts
compute PyTorch's numbers (tests/test_parity.py checks them to 1e-4). Each is used where a
TensorFlow tutorial would use the library's own:

- BatchNorm, for tf.keras.layers.BatchNormalization: Keras keeps the *biased* batch variance
  in its moving variance, PyTorch (and Chainer) the unbiased one, n / (n - 1) times larger,
  and the running statistics must match to the number. (Keras also counts its momentum the
  other way, 1 - rate: PyTorch's 0.1 is its 0.9; and its epsilon defaults to 1e-3, not 1e-5.)
- Adam, for tf.keras.optimizers.Adam: TensorFlow's adds epsilon to sqrt(v) *before* the bias
  correction (and defaults to 1e-7), PyTorch after it, with 1e-8. The difference moves the
  GAN's weights by up to 3.7e-4 after one step (tools/parity.py).
- binary_cross_entropy, for tf.keras.losses.binary_crossentropy: Keras clips the
  probabilities to [1e-7, 1 - 1e-7] before the log; PyTorch clamps each log at -100 instead.

The shared settings come from common/architectures.py, never restated here.
"""

from common import quiet_tensorflow  # noqa: F401  (first: TensorFlow without its start-up lines)
import tensorflow as tf

from common.architectures import ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE
from tf_support import Layer, variable


class BatchNorm(Layer):
    """Batch normalisation over every axis but the last (features, or channels of NHWC), like
    PyTorch's BatchNorm1d/2d: normalise a training batch with its biased variance, keep the
    unbiased one in the running variance: running = (1 - rate) * running + rate * batch.
    """

    def __init__(self, features, eps=BATCHNORM_EPSILON, running_rate=BATCHNORM_RUNNING_RATE, name=None):
        super().__init__(name=name)
        self.eps, self.running_rate = eps, running_rate
        self.gamma = variable((features,), "gamma", value=1.0)
        self.beta = variable((features,), "beta")
        # Running statistics: state, not weights. trainable=False keeps them out of
        # trainable_variables (no gradient, no Adam), yet they are saved in the checkpoint.
        self.mean = variable((features,), "mean", trainable=False)
        self.var = variable((features,), "var", trainable=False, value=1.0)

    def __call__(self, inputs, training):
        if training:
            axes = list(range(len(inputs.shape) - 1))  # [0] for (N, F), [0, 1, 2] for NHWC
            mean, var = tf.nn.moments(inputs, axes)  # var is the biased one: used to normalise
            count = tf.cast(tf.size(inputs) // tf.shape(inputs)[-1], inputs.dtype)
            unbiased = var * count / (count - 1.0)
            rate = self.running_rate
            self.mean.assign((1.0 - rate) * self.mean + rate * mean)
            self.var.assign((1.0 - rate) * self.var + rate * unbiased)
        else:
            mean, var = self.mean, self.var
        return tf.nn.batch_normalization(inputs, mean, var, self.beta, self.gamma, self.eps)

    def get_weights(self):
        return {name: getattr(self, name).numpy() for name in ("gamma", "beta", "mean", "var")}

    def set_weights(self, weights):
        for name in ("gamma", "beta", "mean", "var"):
            getattr(self, name).assign(weights[name])


class Adam(tf.Module):
    """Adam with PyTorch's formula: p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).

    A tf.Module, so tf.train.Checkpoint saves its slots (m, v) and step counter along with
    the model, and a resumed run continues exactly. The slots are created here, eagerly:
    tf.function must not create variables on later calls.
    """

    def __init__(self, variables, lr, betas=(0.9, 0.999), eps=ADAM_EPSILON, name=None):
        super().__init__(name=name)
        # What it updates; the caller differentiates against these. (Not `self.variables`:
        # tf.Module already has a read-only property of that name.)
        self.parameters = list(variables)
        self.lr, (self.beta1, self.beta2), self.epsilon = lr, betas, eps
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.m = [tf.Variable(tf.zeros_like(v), trainable=False, name="m") for v in self.parameters]
        self.v = [tf.Variable(tf.zeros_like(v), trainable=False, name="v") for v in self.parameters]

    def apply(self, gradients):
        self.step.assign_add(1)
        step = tf.cast(self.step, tf.float64)  # the bias corrections in float64, as PyTorch does in Python
        step_size = tf.cast(self.lr / (1.0 - self.beta1 ** step), tf.float32)
        correction2_sqrt = tf.cast(tf.sqrt(1.0 - self.beta2 ** step), tf.float32)
        for parameter, gradient, m, v in zip(self.parameters, gradients, self.m, self.v):
            m.assign(self.beta1 * m + (1.0 - self.beta1) * gradient)
            v.assign(self.beta2 * v + (1.0 - self.beta2) * tf.square(gradient))
            parameter.assign_sub(step_size * m / (tf.sqrt(v) / correction2_sqrt + self.epsilon))


def _log(x):
    """log(x) floored at -100, as PyTorch's binary_cross_entropy does. The where() keeps log(0)
    out of the gradient as well: once a float32 sigmoid saturates to exactly 0 or 1, the plain
    max(log(x), -100) has the gradient 0 * inf = NaN, and one such batch turns every weight NaN."""
    positive = x > 0
    return tf.where(positive, tf.maximum(tf.math.log(tf.where(positive, x, 1.0)), -100.0), -100.0)


def binary_cross_entropy(probabilities, labels):
    """Mean BCE on probabilities (after the sigmoid), each log clamped at -100 like PyTorch's."""
    return -tf.reduce_mean(labels * _log(probabilities) + (1.0 - labels) * _log(1.0 - probabilities))
