"""What the four PyTorch scripts share: the device, the canonical weight file, checkpoints.

Canonical names are the module paths (`generator.deconv1`), so a module's name in the
network is its name in the weight file. Only the layouts differ, see common/weights.py.
"""

import torch
import torch.nn as nn

from common.errors import UserError
from common.files import atomic_path

BATCHNORM_NAMES = {"gamma": "weight", "beta": "bias", "mean": "running_mean", "var": "running_var"}

# The settings every framework shares (see the README's table of defaults):
BATCHNORM_EPSILON = 1e-5  # PyTorch's default; Keras's is 1e-3, Chainer's 2e-5
BATCHNORM_MOMENTUM = 0.1  # running = 0.9 * running + 0.1 * batch (Keras: momentum=0.9)
ADAM_EPSILON = 1e-8  # PyTorch's and Chainer's default; TensorFlow/Keras use 1e-7
# The scripts ask Adam for fused=True: the whole update in one pass over the weights, the same
# formula, measured 20% faster per DCGAN iteration on a CPU than the default loop over tensors.


def choose_device(name):
    if name == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda: PyTorch sees no CUDA GPU; use --device cpu or auto")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def _canonical_layers(network):
    """(canonical layer name, module) for every layer that holds weights."""
    for name, module in network.named_modules():
        if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm1d, nn.BatchNorm2d)):
            yield name, module


def get_weights(network):
    """The network's weights as {canonical name: float32 NumPy array}."""
    weights = {}
    for name, module in _canonical_layers(network):
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            for canonical, attribute in BATCHNORM_NAMES.items():
                weights[f"{name}.{canonical}"] = getattr(module, attribute).detach().cpu().numpy().copy()
            continue
        weight = module.weight.detach().cpu().numpy()
        weights[f"{name}.weight"] = (weight.T if isinstance(module, nn.Linear) else weight).copy()
        weights[f"{name}.bias"] = module.bias.detach().cpu().numpy().copy()
    return weights


@torch.no_grad()
def set_weights(network, weights):
    """Copy canonical weights into the network (PyTorch's Linear stores (out, in): transpose)."""
    for name, module in _canonical_layers(network):
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            for canonical, attribute in BATCHNORM_NAMES.items():
                getattr(module, attribute).copy_(torch.from_numpy(weights[f"{name}.{canonical}"]))
            continue
        weight = weights[f"{name}.weight"]
        module.weight.copy_(torch.from_numpy(weight.T.copy() if isinstance(module, nn.Linear) else weight))
        module.bias.copy_(torch.from_numpy(weights[f"{name}.bias"]))


CHECKPOINT = "checkpoint.pt"


def save_checkpoint(run, network, optimizers, iteration, losses):
    """Model and optimizer state in one file, written atomically, then the run's state."""
    state = {"model": network.state_dict(), "optimizers": [optimizer.state_dict() for optimizer in optimizers]}
    with atomic_path(run.path(CHECKPOINT)) as temporary:
        torch.save(state, temporary)
    run.save_state(iteration, losses, run.path(CHECKPOINT))


def load_checkpoint(run, network, optimizers=()):
    """Restore the checkpoint in --out; return (iteration, losses) to continue from."""
    path = run.path(CHECKPOINT)
    iteration, losses = run.load_state(path)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        network.load_state_dict(state["model"])
        for optimizer, optimizer_state in zip(optimizers, state["optimizers"]):
            optimizer.load_state_dict(optimizer_state)
    except (RuntimeError, KeyError, EOFError) as error:
        raise UserError(f"{path} is not a checkpoint of this model ({str(error).splitlines()[0]}); "
                        "train again or pass the --size/--channels it was trained with") from None
    return iteration, losses


def to_tensor(images, device):
    """NHWC float32 NumPy batch -> NCHW tensor (PyTorch convolutions are channels-first)."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device)


def to_numpy(images):
    """NCHW tensor -> NHWC float32 NumPy batch."""
    return images.detach().permute(0, 2, 3, 1).cpu().numpy()
