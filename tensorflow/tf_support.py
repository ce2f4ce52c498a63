"""What the four TensorFlow scripts share: the layers, Adam, the device, the canonical weight
file, checkpoints.

Plain TensorFlow 2, no Keras: each layer is a small `tf.Module` that owns its `tf.Variable`s,
gradients come from `tf.GradientTape`, and the scripts compile their training steps with
`tf.function`. Tensors are NHWC (TensorFlow's native layout), so unlike PyTorch nothing is
permuted before a flatten: NHWC already flattens in the canonical (height, width, channels) order.

Canonical names are the module paths (`generator.deconv1`), so a module's name in the
network is its name in the weight file. Only the layouts differ, see common/weights.py.
"""

import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quiet start-up (before TensorFlow is imported)

import numpy as np
import tensorflow as tf

from common.errors import UserError

# The settings every framework shares (see the README's table of defaults):
BATCHNORM_EPSILON = 1e-5  # PyTorch's default; Keras's is 1e-3, Chainer's 2e-5
BATCHNORM_MOMENTUM = 0.1  # running = 0.9 * running + 0.1 * batch (Keras: momentum=0.9)
ADAM_EPSILON = 1e-8  # PyTorch's and Chainer's default; TensorFlow/Keras use 1e-7


def choose_device(name):
    """The device name for `tf.device`; `cpu` hides the GPUs before TensorFlow touches them."""
    gpus = tf.config.list_physical_devices("GPU")  # lists devices without initialising them
    if name == "cuda" and not gpus:
        raise UserError("--device cuda: TensorFlow sees no CUDA GPU; use --device cpu or auto")
    if name == "cpu" and gpus:
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:  # TensorFlow already running (e.g. main() called twice in-process):
            pass  # the tf.device("/CPU:0") scope below still keeps every op on the CPU
    return "/GPU:0" if name != "cpu" and gpus else "/CPU:0"


# ----- layers ----------------------------------------------------------------------------
# Each layer creates its variables with zeros of the right shape: the real starting values
# always come from the canonical weights (run.starting_weights()), never from an initialiser.
# `get_weights`/`set_weights` convert between the TensorFlow layout and the canonical one.
def _variable(shape, name, trainable=True, value=0.0):
    return tf.Variable(tf.fill(shape, value), trainable=trainable, name=name)


class Dense(tf.Module):
    """y = x W + b, W stored (in, out): TensorFlow's and the canonical layout, no transpose."""

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        self.weight = _variable((inputs, outputs), "weight")
        self.bias = _variable((outputs,), "bias")

    def __call__(self, inputs):
        return tf.matmul(inputs, self.weight) + self.bias

    def get_weights(self):
        return {"weight": self.weight.numpy(), "bias": self.bias.numpy()}

    def set_weights(self, weights):
        self.weight.assign(weights["weight"])
        self.bias.assign(weights["bias"])


class Conv2D(tf.Module):
    """Convolution with `padding` zeros on every side. The kernel is stored HWIO
    (kh, kw, in, out); canonical is (out, in, kh, kw).

    Explicit padding, not "SAME": for a 5x5 stride-2 kernel on an even size, TensorFlow's
    "SAME" pads 1 before and 2 after, which shifts every output by one pixel against
    PyTorch's symmetric padding=2.
    """

    def __init__(self, inputs, outputs, kernel, stride=1, padding=0, name=None):
        super().__init__(name=name)
        self.stride = stride
        self.padding = [[0, 0], [padding, padding], [padding, padding], [0, 0]]  # N, H, W, C
        self.weight = _variable((kernel, kernel, inputs, outputs), "weight")
        self.bias = _variable((outputs,), "bias")

    def __call__(self, inputs):  # (N, H, W, in) -> (N, H', W', out)
        outputs = tf.nn.conv2d(inputs, self.weight, self.stride, self.padding)
        return tf.nn.bias_add(outputs, self.bias)

    def get_weights(self):
        return {"weight": self.weight.numpy().transpose(3, 2, 0, 1), "bias": self.bias.numpy()}

    def set_weights(self, weights):
        self.weight.assign(weights["weight"].transpose(2, 3, 1, 0))  # (out, in, kh, kw) -> HWIO
        self.bias.assign(weights["bias"])


class Conv2DTranspose(tf.Module):
    """Transposed convolution that multiplies the size by `stride`. The kernel is stored
    (kh, kw, out, in), the layout of the convolution it transposes; canonical is (in, out, kh, kw).

    The full output is (n - 1) * stride + kernel wide; `crop` = (before, after) cuts it to
    n * stride. For 5x5 stride 2 that is (2, 1), PyTorch's padding=2, output_padding=1.
    tf.nn.conv2d_transpose could crop by itself (explicit padding [[0, 0], [2, 1], [2, 1], [0, 0]]
    gives the same numbers), but on the CPU that kernel is two to three times slower than
    "VALID" followed by a slice.
    """

    def __init__(self, inputs, outputs, kernel, stride, crop=(0, 0), name=None):
        super().__init__(name=name)
        self.kernel, self.stride, self.outputs, self.crop = kernel, stride, outputs, crop
        self.weight = _variable((kernel, kernel, outputs, inputs), "weight")
        self.bias = _variable((outputs,), "bias")

    def __call__(self, inputs):  # (N, H, W, in) -> (N, H * stride, W * stride, out)
        height, width = [(side - 1) * self.stride + self.kernel for side in inputs.shape[1:3]]
        full_shape = tf.stack([tf.shape(inputs)[0], height, width, self.outputs])  # N may vary
        outputs = tf.nn.conv2d_transpose(inputs, self.weight, full_shape, self.stride, "VALID")
        before, after = self.crop
        outputs = outputs[:, before:height - after, before:width - after, :]
        return tf.nn.bias_add(outputs, self.bias)

    def get_weights(self):
        return {"weight": self.weight.numpy().transpose(3, 2, 0, 1), "bias": self.bias.numpy()}

    def set_weights(self, weights):
        self.weight.assign(weights["weight"].transpose(2, 3, 1, 0))  # (in, out, kh, kw) -> (kh, kw, out, in)
        self.bias.assign(weights["bias"])


class BatchNorm(tf.Module):
    """Batch normalisation over every axis but the last (features, or channels of NHWC).

    Written by hand because Keras's BatchNormalization keeps the *biased* batch variance in
    its moving variance; PyTorch and Chainer keep the unbiased one (times n / (n - 1)), and
    the running statistics must match to the number. Normalising in training uses the
    biased variance in all of them. Epsilon 1e-5 and momentum 0.1 as in PyTorch.
    """

    def __init__(self, features, name=None):
        super().__init__(name=name)
        self.gamma = _variable((features,), "gamma", value=1.0)
        self.beta = _variable((features,), "beta")
        # Running statistics: state, not weights. trainable=False keeps them out of
        # trainable_variables (no gradient, no Adam), yet they are saved in the checkpoint.
        self.mean = _variable((features,), "mean", trainable=False)
        self.var = _variable((features,), "var", trainable=False, value=1.0)

    def __call__(self, inputs, training):
        if training:
            axes = list(range(len(inputs.shape) - 1))  # [0] for (N, F), [0, 1, 2] for NHWC
            mean, var = tf.nn.moments(inputs, axes)  # var is the biased one: used to normalise
            count = tf.cast(tf.size(inputs) // tf.shape(inputs)[-1], inputs.dtype)
            unbiased = var * count / (count - 1.0)
            self.mean.assign((1.0 - BATCHNORM_MOMENTUM) * self.mean + BATCHNORM_MOMENTUM * mean)
            self.var.assign((1.0 - BATCHNORM_MOMENTUM) * self.var + BATCHNORM_MOMENTUM * unbiased)
        else:
            mean, var = self.mean, self.var
        return tf.nn.batch_normalization(inputs, mean, var, self.beta, self.gamma, BATCHNORM_EPSILON)

    def get_weights(self):
        return {name: getattr(self, name).numpy() for name in ("gamma", "beta", "mean", "var")}

    def set_weights(self, weights):
        for name in ("gamma", "beta", "mean", "var"):
            getattr(self, name).assign(weights[name])


LAYERS = (Dense, Conv2D, Conv2DTranspose, BatchNorm)


# ----- Adam ------------------------------------------------------------------------------
class Adam(tf.Module):
    """Adam with PyTorch's formula: p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).

    A tf.Module, so tf.train.Checkpoint saves its slots (m, v) and step counter along with
    the model, and a resumed run continues exactly. The slots are created here, eagerly:
    tf.function must not create variables on later calls.
    """

    def __init__(self, variables, lr, betas=(0.9, 0.999), epsilon=ADAM_EPSILON, name=None):
        super().__init__(name=name)
        # What it updates; the caller differentiates against these. (Not `self.variables`:
        # tf.Module already has a read-only property of that name.)
        self.parameters = list(variables)
        self.lr, (self.beta1, self.beta2), self.epsilon = lr, betas, epsilon
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.m = [tf.Variable(tf.zeros_like(v), trainable=False, name="m") for v in self.parameters]
        self.v = [tf.Variable(tf.zeros_like(v), trainable=False, name="v") for v in self.parameters]

    def apply(self, gradients):
        self.step.assign_add(1)
        step = tf.cast(self.step, tf.float64)  # the bias corrections in float64, as PyTorch does in Python
        step_size = tf.cast(self.lr / (1.0 - self.beta1 ** step), tf.float32)
        correction2_sqrt = tf.cast(tf.sqrt(1.0 - self.beta2 ** step), tf.float32)
        for variable, gradient, m, v in zip(self.parameters, gradients, self.m, self.v):
            m.assign(self.beta1 * m + (1.0 - self.beta1) * gradient)
            v.assign(self.beta2 * v + (1.0 - self.beta2) * tf.square(gradient))
            variable.assign_sub(step_size * m / (tf.sqrt(v) / correction2_sqrt + self.epsilon))


# ----- activations and losses ----------------------------------------------------------
def leaky_relu(inputs, slope=0.2):
    # max(x, 0.2x) rather than tf.nn.leaky_relu: on a CPU build with oneDNN, TensorFlow 2.21's
    # graph optimiser tries to fuse conv + bias + leaky_relu inside the compiled training step,
    # fails because the gradient still needs the pre-activation, and prints "remapper failed"
    # at every trace (losing its other fusions too). Same values; the gradient differs only at 0.
    return tf.maximum(inputs, slope * inputs)


def mse(predictions, targets):
    return tf.reduce_mean(tf.square(predictions - targets))  # mean over every element


def binary_cross_entropy(probabilities, labels):
    """Mean BCE on probabilities (after the sigmoid), each log clamped at -100 like PyTorch's."""
    log_p = tf.maximum(tf.math.log(probabilities), -100.0)
    log_not_p = tf.maximum(tf.math.log(1.0 - probabilities), -100.0)
    return -tf.reduce_mean(labels * log_p + (1.0 - labels) * log_not_p)


# ----- the canonical weight file ----------------------------------------------------------
def _canonical_layers(module, prefix=""):
    """(canonical layer name, layer) for every layer that holds weights, in definition order."""
    for name, value in vars(module).items():
        if isinstance(value, LAYERS):
            yield prefix + name, value
        elif isinstance(value, tf.Module):
            yield from _canonical_layers(value, f"{prefix}{name}.")


def get_weights(network):
    """The network's weights as {canonical name: float32 NumPy array}."""
    return {f"{name}.{key}": value.astype(np.float32, copy=True)
            for name, layer in _canonical_layers(network) for key, value in layer.get_weights().items()}


def set_weights(network, weights):
    """Copy canonical weights into the network (each layer converts to its own layout)."""
    for name, layer in _canonical_layers(network):
        keys = layer.get_weights().keys()
        layer.set_weights({key: np.asarray(weights[f"{name}.{key}"], np.float32) for key in keys})


# ----- checkpoints -----------------------------------------------------------------------
# tf.train.Checkpoint writes a folder-like set of files (`ckpt.index`, `ckpt.data-...`), so
# the checkpoint is a folder: written complete under a temporary name, then renamed into place.
CHECKPOINT = "checkpoint.tf"
PREFIX = "ckpt"  # the files inside the folder


def _checkpoint(network, optimizers):
    # The model's variables (BatchNorm running statistics included) and each optimizer's
    # slots and step; the iteration and losses go to run.save_state's JSON.
    return tf.train.Checkpoint(model=network, optimizers=list(optimizers))


def _backup(path):
    return path.with_name(f".{path.name}.old")


def save_checkpoint(run, network, optimizers, iteration, losses):
    """Model and optimizer state in one folder, written atomically, then the run's state."""
    path = run.path(CHECKPOINT)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.new-*"):  # left by a run that was killed mid-write
        shutil.rmtree(stale, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new-"))
    try:
        _checkpoint(network, optimizers).write(str(temporary / PREFIX))
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    # A folder cannot replace a folder in one rename: move the old one aside first. If we are
    # stopped between the two renames, load_checkpoint finds the old one under its backup name.
    backup = _backup(path)
    shutil.rmtree(backup, ignore_errors=True)
    if path.exists():
        os.replace(path, backup)
    os.replace(temporary, path)
    shutil.rmtree(backup, ignore_errors=True)
    run.save_state(iteration, losses, path)


def load_checkpoint(run, network, optimizers=()):
    """Restore the checkpoint in --out; return (iteration, losses) to continue from."""
    path = run.path(CHECKPOINT)
    if not path.exists() and _backup(path).is_dir():  # a save was interrupted mid-swap
        os.replace(_backup(path), path)
    iteration, losses = run.load_state(path)
    try:
        status = _checkpoint(network, optimizers).read(str(path / PREFIX))
        status.assert_existing_objects_matched()  # every variable we built found its value
        status.expect_partial()  # --test builds no optimizer: its slots stay unread, quietly
    except (ValueError, AssertionError, tf.errors.OpError) as error:
        raise UserError(f"{path} is not a checkpoint of this model ({str(error).splitlines()[0]}); "
                        "train again or pass the --size/--channels it was trained with") from None
    return iteration, losses
