"""What the four Keras scripts share: the device, the few layers and formulas Keras does
differently from the other frameworks (BatchNorm, Adam, binary cross-entropy), the one
backend-specific piece (gradients), the canonical weight file and checkpoints.

Keras 3 runs on several backends. These scripts run on TensorFlow (the default) and on
PyTorch (`KERAS_BACKEND=torch python keras/dcgan.py`); the backend is fixed when keras is
first imported. Canonical names are `<sub-model>.<layer name>` (`generator.deconv1`): every
layer that holds weights is named after its canonical name. See common/weights.py.
"""

import zipfile

import numpy as np

import keras
from keras import ops

from common.errors import UserError
from common.files import atomic_path

BACKEND = keras.backend.backend()  # "tensorflow" or "torch"

# The settings every framework shares (see the README's table of defaults):
BATCHNORM_EPSILON = 1e-5  # PyTorch's default; keras.layers.BatchNormalization's is 1e-3
BATCHNORM_MOMENTUM = 0.9  # running = 0.9 * running + 0.1 * batch (Keras's default momentum is 0.99)
ADAM_EPSILON = 1e-8  # PyTorch's and Chainer's default; Keras's is 1e-7
BATCHNORM_NAMES = {"gamma": "gamma", "beta": "beta", "mean": "moving_mean", "var": "moving_variance"}


# ----- device ------------------------------------------------------------------------
def _visible_gpus():
    if BACKEND == "tensorflow":
        import tensorflow as tf
        return tf.config.list_physical_devices("GPU")
    import torch
    return list(range(torch.cuda.device_count()))


def choose_device(name):
    """A `with` scope that puts every variable and tensor on the chosen device."""
    if BACKEND not in ("tensorflow", "torch"):  # gradients() below knows these two
        raise UserError(f"KERAS_BACKEND={BACKEND}: these scripts run on the tensorflow and torch backends")
    gpus = _visible_gpus()
    if name == "cuda" and not gpus:
        raise UserError(f"--device cuda: Keras ({BACKEND} backend) sees no GPU; use --device cpu or auto")
    if name == "cpu" and gpus and BACKEND == "tensorflow":
        # TensorFlow otherwise claims the memory of every visible GPU when it starts, even
        # for a CPU run. Hiding works only before its runtime starts (the first tensor);
        # later (a second run in one process) the device scope below still keeps us on the CPU.
        import tensorflow as tf
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:
            pass
    use_gpu = name == "cuda" or (name == "auto" and gpus)
    # "cpu", not "cpu:0": on the torch backend a variable made under "cpu:0" is copied to
    # that name after it is made, and the copy is no leaf of the graph: it gets no gradient.
    return keras.device("gpu" if use_gpu else "cpu")


# ----- layers and formulas ---------------------------------------------------------
class BatchNorm(keras.layers.Layer):
    """Batch normalisation over the last axis with PyTorch's and Chainer's statistics.

    keras.layers.BatchNormalization differs in its defaults (momentum 0.99, epsilon 1e-3),
    which could be set, and in one thing that cannot: its moving variance averages the
    biased batch variance, where PyTorch and Chainer average the unbiased one (n / (n - 1)).
    Inference with the same weights would drift apart, so the layer is written out here.
    """

    def __init__(self, momentum=BATCHNORM_MOMENTUM, epsilon=BATCHNORM_EPSILON, **kwargs):
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
    """keras.optimizers.Adam with PyTorch's formula: m_hat / (sqrt(v_hat) + epsilon).

    Keras folds both bias corrections into the step size and divides by sqrt(v) + epsilon,
    which is PyTorch's formula with epsilon * sqrt(1 - beta_2^t) in place of epsilon: 30x
    smaller at the first step. Only weights with tiny gradients notice, but they do.
    """

    def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=ADAM_EPSILON, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs)

    def update_step(self, gradient, variable, learning_rate):
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


def _log(x):
    """log(x) floored at -100, as PyTorch's binary_cross_entropy does; where() keeps
    log(0) out of the gradient too (its 0 * inf would be NaN)."""
    positive = x > 0
    return ops.where(positive, ops.maximum(ops.log(ops.where(positive, x, 1.0)), -100.0), -100.0)


def binary_cross_entropy(probabilities, labels):
    """Mean BCE of sigmoid outputs, as PyTorch's F.binary_cross_entropy.

    Not keras.losses.binary_crossentropy: it clips probabilities to [1e-7, 1 - 1e-7], so a
    confident D gives another loss and no gradient at all, and on TensorFlow it quietly
    switches to the logits when the probabilities come straight from a sigmoid layer.
    """
    return -ops.mean(labels * _log(probabilities) + (1 - labels) * _log(1 - probabilities))


def gradients(loss_function, variables):
    """Return (loss, gradients of the loss for `variables`) on the active backend.

    The one piece of backend code in these scripts: Keras 3 has no backend-neutral
    autodiff, and a custom train_step needs one (keras-io's "writing a training loop
    from scratch" guides show the same split).
    """
    if BACKEND == "tensorflow":
        import tensorflow as tf
        with tf.GradientTape() as tape:  # TensorFlow records the forward pass on a tape
            loss = loss_function()
        return loss, tape.gradient(loss, variables)
    if BACKEND == "torch":
        import torch
        loss = loss_function()  # PyTorch records the graph as it computes
        # autograd.grad rather than loss.backward(): it fills no .grad of any other weight
        # (D's, in the generator step), so nothing has to be zeroed before the next step.
        return loss, list(torch.autograd.grad(loss, [variable.value for variable in variables]))
    raise UserError(f"KERAS_BACKEND={BACKEND}: these scripts run on the tensorflow and torch backends")


# ----- the canonical weight file --------------------------------------------------------
def _canonical_layers(model, prefix=""):
    """(canonical layer name, layer) for every layer that holds weights; a GAN's two
    networks are sub-models, whose names become the first part of the name."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _canonical_layers(layer, f"{prefix}{layer.name}.")
        elif layer.weights:
            yield prefix + layer.name, layer


def _to_canonical(layer, kernel):
    # Keras keeps dense kernels (in, out) like the file, convolution kernels (kh, kw, in, out)
    # and transposed convolution kernels (kh, kw, out, in): one transpose turns either around.
    return kernel if isinstance(layer, keras.layers.Dense) else kernel.transpose(3, 2, 0, 1)


def _from_canonical(layer, weight):
    return weight if isinstance(layer, keras.layers.Dense) else weight.transpose(2, 3, 1, 0)


def _numpy(variable):
    return np.array(variable.numpy(), dtype=np.float32)  # a copy: on torch, numpy() may share memory


def get_weights(model):
    """The model's weights as {canonical name: float32 NumPy array}."""
    weights = {}
    for name, layer in _canonical_layers(model):
        if isinstance(layer, BatchNorm):
            for canonical, attribute in BATCHNORM_NAMES.items():
                weights[f"{name}.{canonical}"] = _numpy(getattr(layer, attribute))
            continue
        weights[f"{name}.weight"] = np.ascontiguousarray(_to_canonical(layer, _numpy(layer.kernel)))
        weights[f"{name}.bias"] = _numpy(layer.bias)
    return weights


def set_weights(model, weights):
    """Copy canonical weights into the model."""
    for name, layer in _canonical_layers(model):
        if isinstance(layer, BatchNorm):
            for canonical, attribute in BATCHNORM_NAMES.items():
                getattr(layer, attribute).assign(weights[f"{name}.{canonical}"])
            continue
        layer.kernel.assign(np.ascontiguousarray(_from_canonical(layer, weights[f"{name}.weight"])))
        layer.bias.assign(weights[f"{name}.bias"])


# ----- checkpoints ---------------------------------------------------------------------
# A .keras file (model.save): the weights and the compiled model's optimizer state in one
# zip. Not a .weights.h5, which would hold the same: Keras insists that name ends in
# ".weights.h5", and the atomic writer's temporary name keeps only the last suffix.
CHECKPOINT = "checkpoint.keras"


def save_checkpoint(run, model, iteration, losses):
    """Model and optimizer state (the model carries its optimizers since compile) in one
    file, written atomically, then the run's state."""
    with atomic_path(run.path(CHECKPOINT)) as temporary:
        model.save(temporary)
    run.save_state(iteration, losses, run.path(CHECKPOINT))


def load_checkpoint(run, model):
    """Restore the checkpoint in --out; return (iteration, losses) to continue from.

    The optimizers are restored too when the model is compiled with built optimizers
    (build_optimizer does that); a model for testing only takes the weights.
    """
    path = run.path(CHECKPOINT)
    iteration, losses = run.load_state(path)
    try:
        model.load_weights(path)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:  # a .keras file is a zip
        raise UserError(f"{path} is not a checkpoint of this model ({str(error).strip().splitlines()[0]}); "
                        "train again or pass the --size/--channels it was trained with") from None
    return iteration, losses
