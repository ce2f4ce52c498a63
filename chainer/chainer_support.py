"""What the four Chainer scripts share: the device, the canonical weight file, checkpoints,
PyTorch's Adam and binary cross-entropy.

Canonical names are the link paths (`/generator/deconv1` -> `generator.deconv1`), so a link's
name in the network is its name in the weight file. Only the layouts differ, see common/weights.py.

Import common.chainer_compat before Chainer: Chainer 7.8.1 predates NumPy 2 (see that file).
"""

import math
import zipfile

import numpy as np

from common import chainer_compat  # noqa: F401  (before chainer: restores np.sctypes)

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import serializers

from common.errors import UserError
from common.files import atomic_path

BATCHNORM_NAMES = {"gamma": "gamma", "beta": "beta", "mean": "avg_mean", "var": "avg_var"}

# The settings every framework shares (see the README's table of defaults):
BATCHNORM_EPSILON = 1e-5  # PyTorch's default; Chainer's is 2e-5
BATCHNORM_DECAY = 0.9  # running = 0.9 * running + 0.1 * batch (Chainer's default; PyTorch: momentum=0.1)
ADAM_EPSILON = 1e-8  # PyTorch's and Chainer's default, but Chainer adds it elsewhere: see Adam below


def choose_device(name):
    """A Chainer device: CuPy's first GPU when asked for (or `auto` and one is there), else NumPy."""
    gpu = _gpu_available()
    if name == "cuda" and not gpu:
        raise UserError("--device cuda: Chainer sees no GPU (it needs CuPy and a CUDA device); "
                        "use --device cpu or auto")
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


# ----- arrays in and out -------------------------------------------------------------------
def float32(array):
    """Every array enters the network as float32: a float64 batch would stop at the first
    link with a type error (its weights are float32), so cast here, once, at the boundary.
    (No copy when the array is float32 already.)"""
    return np.asarray(array, dtype=np.float32)


def to_array(images, device):
    """NHWC float32 NumPy batch -> NCHW array on `device` (Chainer convolutions are channels-first)."""
    return device.send(np.ascontiguousarray(float32(images).transpose(0, 3, 1, 2)))


def to_numpy(array):
    """A Variable or array on any device -> float32 NumPy array."""
    array = array.array if isinstance(array, chainer.Variable) else array
    return chainer.backend.CpuDevice().send(array)


def to_images(variable):
    """NCHW Variable -> NHWC float32 NumPy batch."""
    return np.ascontiguousarray(to_numpy(variable).transpose(0, 2, 3, 1))


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
                weights[f"{name}.{canonical}"] = to_numpy(getattr(link, attribute)).copy()
            continue
        weight = to_numpy(link.W)
        weights[f"{name}.weight"] = (weight.T if isinstance(link, L.Linear) else weight).copy()
        weights[f"{name}.bias"] = to_numpy(link.b).copy()
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


def save_checkpoint(run, network, optimizers, iteration, losses):
    """Model and optimizer state in one file, written atomically, then the run's state.

    Chainer's serializers walk an object and name every array by its path: the model's
    under "model/", each optimizer's (Adam's step count t and each parameter's m and v)
    under "optimizer0/", "optimizer1/", ... of the same .npz file."""
    arrays = serializers.DictionarySerializer()
    arrays["model"].save(network)
    for index, optimizer in enumerate(optimizers):
        if optimizer.t > 0:  # before its first step Adam has no m and v: a fresh one is the same
            arrays[f"optimizer{index}"].save(optimizer)
    with atomic_path(run.path(CHECKPOINT)) as temporary:
        # Uncompressed: float weights hardly compress, and zlib would slow every save.
        serializers.save_npz(str(temporary), arrays.target, compression=False)
    run.save_state(iteration, losses, run.path(CHECKPOINT))


def load_checkpoint(run, network, optimizers=()):
    """Restore the checkpoint in --out; return (iteration, losses) to continue from."""
    path = run.path(CHECKPOINT)
    iteration, losses = run.load_state(path)
    try:
        # np.load with allow_pickle=False, not serializers.load_npz, which allows pickles
        # (a pickle can run code); a checkpoint holds only numbers.
        with np.load(path, allow_pickle=False) as archive:
            serializers.NpzDeserializer(archive, path="model/").load(network)
            for index, optimizer in enumerate(optimizers):
                if f"optimizer{index}/t" in archive.files:
                    serializers.NpzDeserializer(archive, path=f"optimizer{index}/").load(optimizer)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UserError(f"{path} is not a checkpoint of this model ({message}); "
                        "train again or pass the --size/--channels it was trained with") from None
    return iteration, losses


# ----- PyTorch's Adam and binary cross-entropy -----------------------------------------------
class Adam(chainer.optimizers.Adam):
    """Chainer's Adam with epsilon where PyTorch puts it.

    PyTorch: p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
    Chainer: p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
    The two agree when Chainer's eps is eps * sqrt(1 - b2^t), so set that before each step.
    Without it, Chainer's eps is in effect 1 / sqrt(1 - b2^t) = 32 times larger at the first
    step (b2 = 0.999), and weights with gradients below ~1e-6 take visibly smaller steps:
    after one step the weights differed from PyTorch's by up to 7e-4 (ConvAE, lr 0.001) and
    4e-4 (DCGAN, lr 0.0002), against 2e-6 with this class.
    Every parameter is updated at every step here, so the optimizer's t is each rule's t.
    """

    def __init__(self, alpha, beta1, beta2=0.999, eps=ADAM_EPSILON):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps)
        self.pytorch_eps = eps

    def update(self, lossfun=None, *args, **kwds):
        step = self.t + 1  # the step about to be taken (update() increments t first)
        self.eps = self.pytorch_eps * math.sqrt(1.0 - self.beta2 ** step)
        super().update(lossfun, *args, **kwds)


# The smallest normal float32: the floor under each probability before its log (see below).
PROBABILITY_FLOOR = float(np.finfo(np.float32).tiny)


def binary_cross_entropy(probabilities, labels):
    """Mean binary cross-entropy of probabilities and 0/1 labels, as PyTorch's F.binary_cross_entropy.

    Chainer's F.sigmoid_cross_entropy takes logits, but our D ends in a sigmoid and hands
    over probabilities, so build the loss from F.log. With 0/1 labels each term is -log of
    the probability given to the right answer (p for label 1, 1 - p for label 0); forming
    that probability first, rather than y * log(p) + (1 - y) * log(1 - p), avoids 0 * log(0)
    = nan in the gradient once Chainer's float32 sigmoid saturates to exactly 0.0 or 1.0
    (it does for |logit| above about 18). The floor caps a term at -log(1.2e-38) = 87.3
    where PyTorch clamps its logs at -100: they differ only on an exactly saturated wrong answer.
    """
    right = labels * probabilities + (1 - labels) * (1 - probabilities)
    floor = right.xp.full(right.shape, PROBABILITY_FLOOR, dtype=right.dtype)
    return -F.mean(F.log(F.maximum(right, floor)))
