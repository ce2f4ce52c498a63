"""Three Keras built-ins, replaced so that the Keras scripts compute PyTorch's numbers.

All four frameworks in this repository train the same networks from the same weights to the
same numbers, to 1e-4 (tools/parity.py). Keras differs from PyTorch in three places where no
setting of the built-in closes the gap, so these stand in for them:

- BatchNorm for keras.layers.BatchNormalization: the running variance averages the unbiased
  batch variance (n / (n - 1)), as PyTorch and Chainer do; Keras averages the biased one, so
  inference with the same weights would drift apart.
- Adam for keras.optimizers.Adam: epsilon is added to sqrt(v_hat), PyTorch's formula; Keras
  adds it to sqrt(v), which is PyTorch's with epsilon * sqrt(1 - beta_2^t) in its place,
  30x smaller at the first step. Only weights with tiny gradients notice, but they do.
- binary_cross_entropy for keras.losses.binary_crossentropy: that clips probabilities to
  [1e-7, 1 - 1e-7], so a confident D gives another loss and no gradient at all, and on
  TensorFlow it quietly switches to the logits when the probabilities come straight from a
  sigmoid layer. This one is PyTorch's F.binary_cross_entropy: log floored at -100.

Their settings (epsilons, BatchNorm's rate) are the ones all frameworks share, from
common/architectures.py.
"""

from common import quiet_tensorflow  # noqa: F401  (first: TensorFlow without its start-up lines)
import keras
from keras import ops

from common.architectures import ADAM_EPSILON, BATCHNORM_EPSILON, BATCHNORM_RUNNING_RATE


class BatchNorm(keras.layers.Layer):
    """Batch normalisation over the last axis with PyTorch's and Chainer's statistics."""

    # Keras's `momentum` is the share the running statistics keep, running = momentum * running
    # + (1 - momentum) * batch: 1 - the shared rate, i.e. 0.9 where PyTorch's momentum is 0.1.
    def __init__(self, momentum=1 - BATCHNORM_RUNNING_RATE, epsilon=BATCHNORM_EPSILON, **kwargs):
        super().__init__(**kwargs)
        self.momentum, self.epsilon = momentum, epsilon

    def build(self, input_shape):
        shape = (input_shape[-1],)  # one of each per feature (channel)
        self.gamma = self.add_weight(shape=shape, initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=shape, initializer="zeros", name="beta")
        self.moving_mean = self.add_weight(shape=shape, initializer="zeros", trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(shape=shape, initializer="ones", trainable=False, name="moving_variance")

    def call(self, inputs, training=False):
        if training:
            axes = list(range(len(inputs.shape) - 1))  # (N,) for features, (N, H, W) for channels
            mean, variance = ops.moments(inputs, axes)  # the biased variance normalises the batch
            count = ops.cast(ops.size(inputs), inputs.dtype) / inputs.shape[-1]
            unbiased = variance * count / ops.maximum(count - 1, 1)  # the running variance's
            self.moving_mean.assign(self.momentum * self.moving_mean + (1 - self.momentum) * mean)
            self.moving_variance.assign(self.momentum * self.moving_variance + (1 - self.momentum) * unbiased)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return (inputs - mean) / ops.sqrt(variance + self.epsilon) * self.gamma + self.beta

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "epsilon": self.epsilon}


class Adam(keras.optimizers.Adam):
    """keras.optimizers.Adam with PyTorch's formula, m_hat / (sqrt(v_hat) + epsilon), and epsilon."""

    def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=ADAM_EPSILON, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs)

    def update_step(self, gradient, variable, learning_rate):
        if keras.backend.backend() == "torch":
            return self._update_in_place(gradient, variable, learning_rate)
        dtype = variable.dtype
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        m = self._momentums[self._get_variable_index(variable)]
        v = self._velocities[self._get_variable_index(variable)]
        self.assign_add(m, (gradient - m) * (1 - self.beta_1))
        self.assign_add(v, (ops.square(gradient) - v) * (1 - self.beta_2))
        step_size = ops.cast(learning_rate, dtype) / (1 - ops.power(ops.cast(self.beta_1, dtype), step))
        denominator = ops.sqrt(v) / ops.sqrt(1 - ops.power(ops.cast(self.beta_2, dtype), step)) + self.epsilon
        self.assign_sub(variable, step_size * m / denominator)

    def _update_in_place(self, gradient, variable, learning_rate):
        """The same formula on the torch backend, in place, as torch.optim.Adam computes it.
        Keras's generic ops return a new tensor for every operation: over the DCGAN's 6.5
        million weights of one layer that was 0.3 s of a 0.77 s iteration (measured)."""
        import torch  # only on this backend

        step = float(ops.convert_to_numpy(self.iterations)) + 1
        m = self._momentums[self._get_variable_index(variable)].value
        v = self._velocities[self._get_variable_index(variable)].value
        gradient = gradient.to(m.dtype)
        with torch.no_grad():
            m.lerp_(gradient, 1 - self.beta_1)  # m + (g - m)(1 - beta_1), as above
            v.lerp_(gradient * gradient, 1 - self.beta_2)
            denominator = (v.sqrt() / (1 - self.beta_2 ** step) ** 0.5).add_(self.epsilon)
            step_size = float(ops.convert_to_numpy(learning_rate)) / (1 - self.beta_1 ** step)
            variable.value.addcdiv_(m, denominator, value=-step_size)


def _log(x):
    """log(x) floored at -100, as PyTorch's binary_cross_entropy does; where() keeps
    log(0) out of the gradient too (its 0 * inf would be NaN)."""
    positive = x > 0
    return ops.where(positive, ops.maximum(ops.log(ops.where(positive, x, 1.0)), -100.0), -100.0)


def binary_cross_entropy(probabilities, labels):
    """Mean BCE of sigmoid outputs, as PyTorch's F.binary_cross_entropy."""
    return -ops.mean(labels * _log(probabilities) + (1 - labels) * _log(1 - probabilities))
