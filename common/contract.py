"""The contract between a model script and everything around it, written down once.

A model script (`pytorch/dcgan.py`, `keras/ae.py`, ...) and its framework's support module
beside it (`pytorch/torch_support.py`, ...) together provide the names below. The script holds
the lesson (the network, the training step, generate/reconstruct); the support module holds the
plumbing every script of that framework shares (PLUMBING: the device, the checkpoint, the
canonical weights), so that a script does not import names only to hand them on. `bind(module)`
joins the two; the harness (common/harness.py) trains and tests through the result, and so do
the tests, tools/parity.py and the answer checker: nothing else of a script is used from outside.

Conventions every framework keeps at this boundary, whatever it does inside:
- Images are NumPy float32 arrays (N, H, W, C), channels last, values in [-1, 1].
- Noise is NumPy float32 (N, NOISE_DIM) from a standard normal (common/data/__init__.py).
- Weights are {canonical name: float32 NumPy array} in the layouts of common/weights.py,
  with the names and shapes of common/architectures.layer_table: one table for all four
  frameworks, so that weights move between them unchanged.
- Losses come back as Python floats.
- Nothing here knows about flags, files other than the checkpoint path, or the harness.
"""

import importlib
import sys
from typing import Any, ContextManager, Protocol, runtime_checkable

import numpy as np

from common.architectures import GAN_MODELS
from common.errors import UserError
from common.paths import REPO_ROOT


@runtime_checkable
class ModelScript(Protocol):
    """What all sixteen scripts provide."""

    MODEL: str  # "ae", "convae", "gan" or "dcgan"
    FRAMEWORK: str  # "pytorch", "tensorflow", "keras" or "chainer"
    CHECKPOINT: str  # the checkpoint's name under --out, e.g. "checkpoint.pt" (a file or a folder)

    def choose_device(self, name: str) -> Any:
        """The device for --device `name` ("cpu", "cuda" or "auto"); a UserError (one line,
        naming the flag) when it is not there."""

    def running_on(self, device: Any) -> ContextManager:
        """A `with` block inside which building, training and testing use `device` (TensorFlow
        and Keras place by scope; PyTorch and Chainer need none and return a null context)."""

    def build_model(self, size: int, channels: int, device: Any = None) -> Any:
        """The network for `size` x `size` x `channels` images on `device` (None: the CPU).
        Its starting values do not matter: the harness loads the canonical ones."""

    def build_optimizer(self, model: Any, lr: float) -> Any:
        """Adam for the model: one for an auto-encoder; for a GAN a pair (generator,
        discriminator), each updating only its own network."""

    def train_step(self, model: Any, optimizer: Any, images: np.ndarray, *noise: np.ndarray) -> dict:
        """One iteration on a batch; returns the losses by name as floats.
        Auto-encoders: train_step(model, optimizer, images) -> {"loss": MSE}.
        GANs: train_step(model, optimizers, real_images, noise) -> {"d_loss": ..., "g_loss": ...}:
        G makes one batch of fakes from the noise (training mode, so G's BatchNorm running
        statistics move once an iteration); D's step first, on those fakes detached (real
        labelled 1, fakes 0; updates D only); then G's step on the same fakes through the D
        just updated (fakes labelled 1; the gradient flows along G's forward pass into G;
        updates G only). Every script writes the two as functions (Keras: GAN methods) named
        discriminator_step and generator_step; they take the framework's own tensors, so only
        train_step is called from outside."""

    def get_weights(self, model: Any) -> dict:
        """Every weight and BatchNorm statistic as {canonical name: float32 array} (copies)."""

    def set_weights(self, model: Any, weights: dict) -> None:
        """Load canonical weights (as get_weights returns them) into the model."""

    def save_checkpoint(self, path: Any, model: Any, optimizer: Any) -> None:
        """Write the model and the optimizer state to `path` atomically (never half a file)."""

    def load_checkpoint(self, path: Any, model: Any, optimizer: Any = None) -> None:
        """Restore what save_checkpoint wrote; the optimizer too unless None. A file that is
        not a checkpoint of this model is a UserError naming it."""


@runtime_checkable
class AutoEncoderScript(ModelScript, Protocol):
    def reconstruct(self, model: Any, images: np.ndarray) -> np.ndarray:
        """Images (N, H, W, C) in, their reconstructions (N, H, W, C) out, in inference mode."""


@runtime_checkable
class GANScript(ModelScript, Protocol):
    def generate(self, model: Any, noise: np.ndarray, training: bool = False) -> np.ndarray:
        """Noise (N, NOISE_DIM) in, images (N, H, W, C) in [-1, 1] out. Inference mode
        (BatchNorm's running statistics) unless `training`; never a training update."""

    def discriminate(self, model: Any, images: np.ndarray, training: bool = False) -> np.ndarray:
        """Images in, D's probability that each is real out, shape (N, 1)."""


# What the support module beside each script provides, and its name in each framework folder.
PLUMBING = ("CHECKPOINT", "choose_device", "running_on", "get_weights", "set_weights", "save_checkpoint",
            "load_checkpoint")
SUPPORT_MODULES = {"pytorch": "torch_support", "tensorflow": "tf_support", "keras": "keras_support",
                   "chainer": "chainer_support"}


class Script:
    """A script module joined with its framework's support module: the script's own names come
    first (a script may define a plumbing name itself), the plumbing of PLUMBING from the support
    module. Reading goes to the module each time, so a name replaced in the module (a test's
    monkeypatch) is seen at once, and a name set on it is set in the module."""

    __slots__ = ("module", "support")

    def __init__(self, module, support):
        object.__setattr__(self, "module", module)
        object.__setattr__(self, "support", support)

    @property
    def __dict__(self):  # the module's names are this object's (what pytest's monkeypatch restores)
        return self.module.__dict__

    def __setattr__(self, name, value):  # a name replaced (a test's monkeypatch) is replaced in the module
        setattr(self.module, name, value)

    def __delattr__(self, name):
        delattr(self.module, name)

    def __getattr__(self, name):
        if name in PLUMBING and not hasattr(self.module, name):
            return getattr(self.support, name)
        return getattr(self.module, name)

    def __repr__(self):
        return f"<script {self.module.__name__} with {getattr(self.support, '__name__', None)}>"


def bind(module):
    """The script `module` with its plumbing, checked against the contract (a UserError naming
    what is missing). The support module is imported by name: a script puts its own folder on
    sys.path before anything else, so the support module beside it is the one found (else the
    repository's folder of that framework)."""
    if isinstance(module, Script):
        return module
    framework = getattr(module, "FRAMEWORK", None)
    if framework not in SUPPORT_MODULES:
        raise UserError(f"{module.__name__} sets no FRAMEWORK (one of {', '.join(SUPPORT_MODULES)})")
    name = SUPPORT_MODULES[framework]
    try:
        support = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        sys.path.insert(0, str(REPO_ROOT / framework))  # a script that did not put its folder on sys.path
        support = importlib.import_module(name)
    return check_script(Script(module, support))


def expected_protocol(model):
    return GANScript if model in GAN_MODELS else AutoEncoderScript


def check_script(script):
    """Raise a UserError naming what a module lacks to be a script of its MODEL."""
    model = getattr(script, "MODEL", None)
    if model not in ("ae", "convae", *GAN_MODELS):
        raise UserError(f"{script.__name__} sets no MODEL (one of ae, convae, gan, dcgan)")
    protocol = expected_protocol(model)
    names = [name for name in protocol.__protocol_attrs__ if not name.startswith("_")] \
        if hasattr(protocol, "__protocol_attrs__") else _protocol_names(protocol)
    missing = sorted(name for name in names if not hasattr(script, name))
    if missing:
        raise UserError(f"{script.__name__} does not provide {', '.join(missing)} (see common/contract.py)")
    return script


def _protocol_names(protocol):
    """The names a protocol asks for (Python 3.11 has no __protocol_attrs__)."""
    names = set()
    for klass in protocol.__mro__:
        if klass in (Protocol, object, Any) or not getattr(klass, "_is_protocol", False):
            continue
        names.update(klass.__dict__.get("__annotations__", {}))
        names.update(name for name, value in klass.__dict__.items() if callable(value) and not name.startswith("_"))
    return names
