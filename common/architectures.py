"""The four networks described once, framework-neutrally: every tensor's canonical name,
shape and initial values.

Each framework builds its own layers, then loads `initial_weights(...)` into them, so that
the same --seed gives the same starting network in PyTorch, TensorFlow, Keras and Chainer
(their default initialisers all differ). The names and layouts are those of the canonical
weight file described in common/weights.py.
"""

import numpy as np

NOISE_DIM = 100  # length of the generators' input vector z
AE_CODE_SIZE = 64  # the AE's bottleneck
GAN_MODELS = ("gan", "dcgan")

# The numeric settings all four frameworks share (PyTorch's defaults). Each framework spells
# them its own way; the scripts and support modules convert from these, never restate them.
BATCHNORM_EPSILON = 1e-5  # Keras's default is 1e-3, Chainer's 2e-5
# BatchNorm's running statistics: running = (1 - rate) * running + rate * batch. PyTorch calls
# the rate `momentum` (0.1); Keras calls 1 - rate `momentum` (0.9), Chainer `decay` (0.9).
BATCHNORM_RUNNING_RATE = 0.1
ADAM_EPSILON = 1e-8  # added to sqrt(v_hat), as PyTorch does; TensorFlow and Keras default to 1e-7

# The DCGAN's two changes to the exercise's network against mode collapse (README, Q4): D sees
# one more feature, the minibatch spread (the standard deviation of its features over groups of
# SPREAD_GROUP images, ProGAN's minibatch standard deviation), and G learns at G_LR_SHARE of D's
# learning rate (--lr is D's).
SPREAD_GROUP = 4
SPREAD_EPSILON = 1e-8  # inside the square root: a group of equal images still has a gradient
G_LR_SHARE = 0.5

# How each tensor starts. The GANs use the DCGAN paper's N(0, 0.02); the auto-encoders use
# Glorot-uniform (Keras's default), which keeps a 12288 -> 64 -> 12288 linear map well scaled.
NORMAL_STD = 0.02


# Each weight's init is "normal", "zeros", "ones" or ("glorot", fan_in, fan_out): the fans are
# worked out where the layer's kind is known, not guessed later from a name or a shape.
def _init(init, fan_in, fan_out):
    return ("glorot", fan_in, fan_out) if init == "glorot" else init


def _dense(name, inputs, outputs, init):
    return [(f"{name}.weight", (inputs, outputs), _init(init, inputs, outputs)), (f"{name}.bias", (outputs,), "zeros")]


def _conv(name, inputs, outputs, kernel, init):  # weight (out, in, kh, kw)
    fans = (inputs * kernel * kernel, outputs * kernel * kernel)
    return [(f"{name}.weight", (outputs, inputs, kernel, kernel), _init(init, *fans)), (f"{name}.bias", (outputs,), "zeros")]


def _deconv(name, inputs, outputs, kernel, init):  # weight (in, out, kh, kw)
    fans = (inputs * kernel * kernel, outputs * kernel * kernel)
    return [(f"{name}.weight", (inputs, outputs, kernel, kernel), _init(init, *fans)), (f"{name}.bias", (outputs,), "zeros")]


def _batchnorm(name, features):
    return [(f"{name}.gamma", (features,), "ones"), (f"{name}.beta", (features,), "zeros"),
            (f"{name}.mean", (features,), "zeros"), (f"{name}.var", (features,), "ones")]


def layer_table(model, size, channels):
    """[(name, shape, init)] in network order for `model` at `size` x `size` x `channels`."""
    pixels = size * size * channels
    if model == "ae":
        return _dense("encoder", pixels, AE_CODE_SIZE, "glorot") + _dense("decoder", AE_CODE_SIZE, pixels, "glorot")
    if model == "convae":
        return (_conv("conv1", channels, 32, 3, "glorot") + _conv("conv2", 32, 16, 3, "glorot")
                + _deconv("deconv1", 16, 64, 2, "glorot") + _deconv("deconv2", 64, channels, 2, "glorot"))
    if model == "gan":
        return (_dense("generator.dense1", NOISE_DIM, 256, "normal") + _batchnorm("generator.bn1", 256)
                + _dense("generator.dense2", 256, 512, "normal") + _batchnorm("generator.bn2", 512)
                + _dense("generator.dense3", 512, 1024, "normal") + _batchnorm("generator.bn3", 1024)
                + _dense("generator.dense4", 1024, pixels, "normal")
                + _dense("discriminator.dense1", pixels, 512, "normal")
                + _dense("discriminator.dense2", 512, 256, "normal")
                + _dense("discriminator.dense3", 256, 1, "normal"))
    if model == "dcgan":
        side = size // 16  # the generator starts from side x side x 512
        return (_dense("generator.dense", NOISE_DIM, side * side * 512, "normal") + _batchnorm("generator.bn0", 512)
                + _deconv("generator.deconv1", 512, 512, 5, "normal") + _batchnorm("generator.bn1", 512)
                + _deconv("generator.deconv2", 512, 256, 5, "normal") + _batchnorm("generator.bn2", 256)
                + _deconv("generator.deconv3", 256, 128, 5, "normal") + _batchnorm("generator.bn3", 128)
                + _deconv("generator.deconv4", 128, channels, 5, "normal")
                + _conv("discriminator.conv1", channels, 32, 5, "normal")
                + _conv("discriminator.conv2", 32, 64, 5, "normal")
                + _conv("discriminator.conv3", 64, 128, 5, "normal")
                + _conv("discriminator.conv4", 128, 256, 5, "normal")
                + _dense("discriminator.dense", side * side * 256 + 1, 1, "normal"))  # + 1: the minibatch spread
    raise ValueError(f"unknown model {model!r}")


def parameter_shapes(model, size, channels):
    """{canonical name: shape}, in network order."""
    return {name: shape for name, shape, _ in layer_table(model, size, channels)}


def initial_weights(model, size, channels, seed):
    """The starting weights for `seed`, drawn with NumPy so that all frameworks share them."""
    rng = np.random.default_rng([seed, 3])
    weights = {}
    for name, shape, init in layer_table(model, size, channels):
        if init == "zeros":
            value = np.zeros(shape)
        elif init == "ones":
            value = np.ones(shape)
        elif init == "normal":
            value = rng.normal(0.0, NORMAL_STD, shape)
        else:  # ("glorot", fan_in, fan_out): uniform in +-sqrt(6 / (fan_in + fan_out))
            _, fan_in, fan_out = init
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            value = rng.uniform(-limit, limit, shape)
        weights[name] = value.astype(np.float32)
    return weights
