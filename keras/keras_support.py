"""What the four Keras scripts share: the device, the one backend-specific piece (GradientTape),
the canonical weight file and checkpoints (the framework's half of common/contract.py; the
scripts import these under their own names). The built-ins replaced to match PyTorch's
numbers (BatchNorm, Adam, binary cross-entropy) are in keras_like_pytorch.py.

Keras 3 runs on several backends. These scripts run on TensorFlow (the default) and on
PyTorch (`KERAS_BACKEND=torch python keras/dcgan.py`); the backend is fixed when keras is
first imported. Canonical names are `<sub-model>.<layer name>` (`generator.deconv1`): every
layer that holds weights is named after its canonical name. See common/weights.py.
"""

import zipfile

import numpy as np

from common import quiet_tensorflow  # noqa: F401  (before keras: a tensorflow/ folder is not TensorFlow)
import keras

from common.errors import UserError
from common.language import say
from common.files import atomic_path
from keras_like_pytorch import BatchNorm

BACKEND = keras.backend.backend()  # "tensorflow" or "torch"
BATCHNORM_NAMES = {"gamma": "gamma", "beta": "beta", "mean": "moving_mean", "var": "moving_variance"}


# ----- device ------------------------------------------------------------------------
def _visible_gpus():
    if BACKEND == "tensorflow":
        import tensorflow as tf
        return tf.config.list_physical_devices("GPU")
    import torch
    return list(range(torch.cuda.device_count()))


def require_known_backend():
    if BACKEND not in ("tensorflow", "torch"):  # GradientTape below knows these two
        raise UserError(say("keras_backend", backend=BACKEND))


def choose_device(name):
    """Keras's name ("gpu" or "cpu") for the device --device `name` asks for."""
    require_known_backend()
    gpus = _visible_gpus()
    if name == "cuda" and not gpus:
        raise UserError(say("no_gpu_keras", backend=BACKEND))
    if name == "cpu" and gpus and BACKEND == "tensorflow":
        # TensorFlow otherwise claims the memory of every visible GPU when it starts, even
        # for a CPU run. Hiding works only before its runtime starts (the first tensor);
        # later (a second run in one process) the device scope still keeps us on the CPU.
        import tensorflow as tf
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:
            pass
    use_gpu = name == "cuda" or (name == "auto" and gpus)
    # "cpu", not "cpu:0": on the torch backend a variable made under "cpu:0" is copied to
    # that name after it is made, and the copy is no leaf of the graph: it gets no gradient.
    return "gpu" if use_gpu else "cpu"


def running_on(device):
    """A scope that puts every variable and tensor made inside it on `device`. Keras places
    by scope, not by model: the scripts' build_model takes the device the contract passes
    and ignores it, since the harness builds the model inside this scope."""
    return keras.device(device)


# ----- gradients ---------------------------------------------------------------------
class GradientTape:
    """A tape on the active backend: what runs inside `with tape:` is recorded, and
    tape.gradient(loss, variables) gives the loss's gradients for those variables.

    The one piece of backend code in these scripts: Keras 3 has no backend-neutral
    autodiff, and a custom train_step needs one (keras-io's "writing a training loop
    from scratch" guides show the same split). As TensorFlow's own tape, it may be entered
    again to record more (G's forward pass, then later D's verdict on those fakes); it is
    used for one gradient only.
    """

    def __init__(self):
        require_known_backend()
        if BACKEND == "tensorflow":
            import tensorflow as tf
            self.tape = tf.GradientTape()  # TensorFlow records only inside a tape's `with` block
        else:
            self.tape = None  # PyTorch records the graph as it computes: nothing to open

    def __enter__(self):
        if self.tape is not None:
            self.tape.__enter__()
        return self

    def __exit__(self, *exception):
        if self.tape is not None:
            return self.tape.__exit__(*exception)
        return None

    def gradient(self, loss, variables):
        if self.tape is not None:
            return self.tape.gradient(loss, variables)
        import torch
        # autograd.grad rather than loss.backward(): it fills no .grad of any other weight
        # (D's, in the generator step), so nothing has to be zeroed before the next step.
        return list(torch.autograd.grad(loss, [variable.value for variable in variables]))


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


def save_checkpoint(path, model, optimizer):
    """Model and optimizer state in one file, written atomically. The optimizer needs no
    writing of its own: build_optimizer compiled it into the model, and a compiled model
    saves its optimizers with it."""
    with atomic_path(path) as temporary:
        model.save(temporary)


def load_checkpoint(path, model, optimizer=None):
    """Restore what save_checkpoint wrote. The optimizer state comes back with the weights
    when the model was compiled with built optimizers (build_optimizer does both, so
    `optimizer` itself is not needed here); a model for testing only takes the weights."""
    try:
        model.load_weights(path)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:  # a .keras file is a zip
        raise UserError(say("not_a_checkpoint", path=path, reason=str(error).strip().splitlines()[0])) from None
