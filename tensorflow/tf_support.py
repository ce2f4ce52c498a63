"""What the four TensorFlow scripts share: the layers, the device, the canonical weight file,
checkpoints (the framework's half of common/contract.py; the scripts import these under their
own names). The replacements written to match PyTorch's numbers (BatchNorm, Adam, the clamped
cross-entropy) are in tf_like_pytorch.py.

Plain TensorFlow 2, no Keras: each layer is a small `tf.Module` that owns its `tf.Variable`s,
gradients come from `tf.GradientTape`, and the scripts compile their training steps with
`tf.function`. Tensors are NHWC (TensorFlow's native layout), so unlike PyTorch nothing is
permuted before a flatten: NHWC already flattens in the canonical (height, width, channels) order.

TensorFlow places variables and ops by scope: the harness builds, trains and tests inside
`running_on(device)`, so the scripts' build_model ignores its `device` argument.

Canonical names are the module paths (`generator.deconv1`), so a module's name in the
network is its name in the weight file. Only the layouts differ, see common/weights.py.
"""

from pathlib import Path

import numpy as np

from common import quiet_tensorflow  # noqa: F401  (first: TensorFlow without its start-up lines)
import tensorflow as tf

from common.errors import UserError
from common.language import say
from common.files import atomic_folder


def choose_device(name):
    """The device name for `tf.device`; `cpu` hides the GPUs before TensorFlow touches them."""
    gpus = tf.config.list_physical_devices("GPU")  # lists devices without initialising them
    if name == "cuda" and not gpus:
        raise UserError(say("no_cuda_tensorflow"))
    if name == "cpu" and gpus:
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:  # TensorFlow already running (e.g. main() called twice in-process):
            pass  # running_on's tf.device("/CPU:0") scope still keeps every op on the CPU
    return "/GPU:0" if name != "cpu" and gpus else "/CPU:0"


def running_on(device):
    return tf.device(device)  # variables and ops on the GPU when there is one


# ----- layers ----------------------------------------------------------------------------
# Each layer creates its variables with zeros of the right shape: the real starting values
# always come from the canonical weights (the harness loads them), never from an initialiser.
# `get_weights`/`set_weights` convert between the TensorFlow layout and the canonical one.
def variable(shape, name, trainable=True, value=0.0):
    return tf.Variable(tf.fill(shape, value), trainable=trainable, name=name)


class Layer(tf.Module):
    """A layer that holds canonical weights: get_weights/set_weights below find it by this class."""

    def get_weights(self):
        raise NotImplementedError

    def set_weights(self, weights):
        raise NotImplementedError


class Dense(Layer):
    """y = x W + b, W stored (in, out): TensorFlow's and the canonical layout, no transpose."""

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        self.weight = variable((inputs, outputs), "weight")
        self.bias = variable((outputs,), "bias")

    def __call__(self, inputs):
        return tf.matmul(inputs, self.weight) + self.bias

    def get_weights(self):
        return {"weight": self.weight.numpy(), "bias": self.bias.numpy()}

    def set_weights(self, weights):
        self.weight.assign(weights["weight"])
        self.bias.assign(weights["bias"])


class Conv2D(Layer):
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
        self.weight = variable((kernel, kernel, inputs, outputs), "weight")
        self.bias = variable((outputs,), "bias")

    def __call__(self, inputs):  # (N, H, W, in) -> (N, H', W', out)
        outputs = tf.nn.conv2d(inputs, self.weight, self.stride, self.padding)
        return tf.nn.bias_add(outputs, self.bias)

    def get_weights(self):
        return {"weight": self.weight.numpy().transpose(3, 2, 0, 1), "bias": self.bias.numpy()}

    def set_weights(self, weights):
        self.weight.assign(weights["weight"].transpose(2, 3, 1, 0))  # (out, in, kh, kw) -> HWIO
        self.bias.assign(weights["bias"])


class Conv2DTranspose(Layer):
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
        self.weight = variable((kernel, kernel, outputs, inputs), "weight")
        self.bias = variable((outputs,), "bias")

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


def leaky_relu(inputs, slope=0.2):
    # max(x, 0.2x) rather than tf.nn.leaky_relu: on a CPU build with oneDNN, TensorFlow 2.21's
    # graph optimiser tries to fuse conv + bias + leaky_relu inside the compiled training step,
    # fails because the gradient still needs the pre-activation, and prints "remapper failed"
    # at every trace (losing its other fusions too). Same values; the gradient differs only at 0.
    return tf.maximum(inputs, slope * inputs)


# ----- the canonical weight file ----------------------------------------------------------
def _canonical_layers(module, prefix=""):
    """(canonical layer name, layer) for every layer that holds weights, in definition order."""
    for name, value in vars(module).items():
        if isinstance(value, Layer):
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
# tf.train.Checkpoint writes a set of files (`ckpt.index`, `ckpt.data-...`), so the checkpoint
# is a folder, written whole by common.files.atomic_folder.
CHECKPOINT = "checkpoint.tf"
PREFIX = "ckpt"  # the files inside the folder


def _checkpoint(network, optimizer):
    # The model's variables (BatchNorm running statistics included) and each Adam's slots and
    # step. An AE has one Adam, a GAN a (generator, discriminator) pair, --test none.
    optimizers = [] if optimizer is None else list(optimizer) if isinstance(optimizer, tuple) else [optimizer]
    return tf.train.Checkpoint(model=network, optimizers=optimizers)


def save_checkpoint(path, network, optimizer):
    """Model and optimizer state in one folder, written atomically."""
    with atomic_folder(path) as temporary:
        _checkpoint(network, optimizer).write(str(temporary / PREFIX))


def load_checkpoint(path, network, optimizer=None):
    """Restore what save_checkpoint wrote (the optimizer state too, unless None)."""
    try:
        status = _checkpoint(network, optimizer).read(str(Path(path) / PREFIX))
        status.assert_existing_objects_matched()  # every variable we built found its value
        status.expect_partial()  # --test builds no optimizer: its slots stay unread, quietly
    except (ValueError, AssertionError, tf.errors.OpError) as error:
        raise UserError(say("not_a_checkpoint", path=path, reason=str(error).splitlines()[0])) from None
