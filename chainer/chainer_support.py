"""What the four Chainer scripts share: the device, arrays in and out, the canonical weight file,
checkpoints (the framework's half of common/contract.py; the scripts import these under their
own names). The replacements of Chainer built-ins that give PyTorch's numbers (Adam, binary
cross-entropy) are in chainer_like_pytorch.py.

Canonical names are the link paths (`/generator/deconv1` -> `generator.deconv1`), so a link's
name in the network is its name in the weight file. Only the layouts differ, see common/weights.py.

Import chainer_compat (beside this file) before Chainer: Chainer 7.8.1 predates NumPy 2 (see that file).
"""

import contextlib
import zipfile

import numpy as np

import chainer_compat  # noqa: F401  (before chainer: restores np.sctypes)

import chainer
import chainer.links as L
from chainer import serializers

from common.errors import UserError
from common.language import say
from common.files import atomic_path

BATCHNORM_NAMES = {"gamma": "gamma", "beta": "beta", "mean": "avg_mean", "var": "avg_var"}


def choose_device(name):
    """A Chainer device: CuPy's first GPU when asked for (or `auto` and one is there), else NumPy."""
    gpu = _gpu_available()
    if name == "cuda" and not gpu:
        raise UserError(say("no_gpu_chainer"))
    if name == "auto":
        name = "cuda" if gpu else "cpu"
    device = chainer.get_device("@cupy:0" if name == "cuda" else "@numpy")
    device.use()
    return device


def _gpu_available():
    # CuPy is optional (not in requirements.txt): chainer.backends.cuda.available says
    # whether it imported. It imports without a GPU too, so ask the CUDA runtime as well.
    from chainer.backends import cuda
    if not cuda.available:
        return False
    try:
        return cuda.cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # CUDARuntimeError and driver errors: no usable GPU
        return False


def running_on(device):
    return contextlib.nullcontext()  # build_model places the model; the steps follow its device


# ----- arrays in and out -------------------------------------------------------------------
def float32(array):
    """Every array enters the network as float32: a float64 batch would stop at the first
    link with a type error (its weights are float32), so cast here, once, at the boundary.
    (No copy when the array is float32 already.)"""
    return np.asarray(array, dtype=np.float32)


def on_device_of(model, array):
    """NumPy batch (noise, or images an MLP reads as NHWC) -> float32 array on the model's device."""
    return model.device.send(float32(array))


def images_to_tensor(images, device):
    """NHWC NumPy batch -> NCHW float32 array on `device` (Chainer convolutions are channels-first).
    Named as torch_support's function for the same job; Chainer's tensors are NumPy/CuPy arrays."""
    return device.send(np.ascontiguousarray(float32(images).transpose(0, 3, 1, 2)))


def images_to_numpy(variable):
    """NCHW Variable or array -> NHWC float32 NumPy batch."""
    return np.ascontiguousarray(to_cpu_array(variable).transpose(0, 2, 3, 1))


def to_cpu_array(array):
    """A Variable or array on any device -> NumPy array of the same shape (no transpose)."""
    array = array.array if isinstance(array, chainer.Variable) else array
    return chainer.backend.CpuDevice().send(array)


# ----- the canonical weight file -----------------------------------------------------------
def _canonical_layers(network):
    """(canonical layer name, link) for every link that holds weights."""
    for path, link in network.namedlinks(skipself=True):
        if isinstance(link, (L.Linear, L.Convolution2D, L.Deconvolution2D, L.BatchNormalization)):
            yield path.lstrip("/").replace("/", "."), link


def get_weights(network):
    """The network's weights as {canonical name: float32 NumPy array}."""
    weights = {}
    for name, link in _canonical_layers(network):
        if isinstance(link, L.BatchNormalization):
            for canonical, attribute in BATCHNORM_NAMES.items():
                weights[f"{name}.{canonical}"] = to_cpu_array(getattr(link, attribute)).copy()
            continue
        weight = to_cpu_array(link.W)
        weights[f"{name}.weight"] = (weight.T if isinstance(link, L.Linear) else weight).copy()
        weights[f"{name}.bias"] = to_cpu_array(link.b).copy()
    return weights


def set_weights(network, weights):
    """Copy canonical weights into the network (Chainer's Linear stores W as (out, in): transpose).

    The copy is in place, so the optimizer's references to the parameters stay valid."""
    def copy_into(target, value):
        target[...] = chainer.backend.get_device_from_array(target).send(float32(value))

    for name, link in _canonical_layers(network):
        if isinstance(link, L.BatchNormalization):
            for canonical, attribute in BATCHNORM_NAMES.items():
                array = getattr(link, attribute)  # gamma, beta: Parameters; avg_*: plain arrays
                copy_into(array.array if isinstance(array, chainer.Variable) else array,
                          weights[f"{name}.{canonical}"])
            continue
        weight = weights[f"{name}.weight"]
        copy_into(link.W.array, weight.T if isinstance(link, L.Linear) else weight)
        copy_into(link.b.array, weights[f"{name}.bias"])


# ----- checkpoints ---------------------------------------------------------------------------
CHECKPOINT = "checkpoint.npz"


def _optimizer_list(optimizer):
    """An AE's one Adam, a GAN's (generator, discriminator) pair, or None: as a list."""
    if optimizer is None:
        return []
    return list(optimizer) if isinstance(optimizer, tuple) else [optimizer]


def save_checkpoint(path, network, optimizer):
    """Model and optimizer state in one file, written atomically.

    Chainer's serializers walk an object and name every array by its path: the model's
    under "model/", each optimizer's (Adam's step count t and each parameter's m and v)
    under "optimizer0/", "optimizer1/", ... of the same .npz file."""
    arrays = serializers.DictionarySerializer()
    arrays["model"].save(network)
    for index, each in enumerate(_optimizer_list(optimizer)):
        if each.t > 0:  # before its first step Adam has no m and v: a fresh one is the same
            arrays[f"optimizer{index}"].save(each)
    with atomic_path(path) as temporary:
        # Uncompressed: float weights hardly compress, and zlib would slow every save.
        serializers.save_npz(str(temporary), arrays.target, compression=False)


def load_checkpoint(path, network, optimizer=None):
    """Restore what save_checkpoint wrote (the optimizer state too, unless None)."""
    try:
        # np.load with allow_pickle=False, not serializers.load_npz, which allows pickles
        # (a pickle can run code); a checkpoint holds only numbers.
        with np.load(path, allow_pickle=False) as archive:
            serializers.NpzDeserializer(archive, path="model/").load(network)
            for index, each in enumerate(_optimizer_list(optimizer)):
                if f"optimizer{index}/t" in archive.files:
                    serializers.NpzDeserializer(archive, path=f"optimizer{index}/").load(each)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UserError(say("not_a_checkpoint", path=path, reason=message)) from None
