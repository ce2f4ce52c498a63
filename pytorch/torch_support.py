"""What the four PyTorch scripts share: the device, the canonical weight file, checkpoints
(the framework's half of common/contract.py; the scripts import these under their own names).

Canonical names are the module paths (`generator.deconv1`), so a module's name in the
network is its name in the weight file. Only the layouts differ, see common/weights.py.
"""

import contextlib

import torch
import torch.nn as nn

from common.errors import UserError
from common.language import say
from common.files import atomic_path

BATCHNORM_NAMES = {"gamma": "weight", "beta": "bias", "mean": "running_mean", "var": "running_var"}
# The scripts ask Adam for fused=True: the whole update in one pass over the weights, the same
# formula, measured 20% faster per DCGAN iteration on a CPU than the default loop over tensors.


def choose_device(name):
    if name == "cuda" and not torch.cuda.is_available():
        raise UserError(say("no_cuda_pytorch"))
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def running_on(device):
    return contextlib.nullcontext()  # build_model places the model; the steps follow its parameters


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


def _optimizer_list(optimizer):
    """An AE's one Adam, a GAN's (generator, discriminator) pair, or None: as a list."""
    if optimizer is None:
        return []
    return list(optimizer) if isinstance(optimizer, tuple) else [optimizer]


def save_checkpoint(path, network, optimizer):
    """Model and optimizer state in one file, written atomically."""
    state = {"model": network.state_dict(), "optimizers": [each.state_dict() for each in _optimizer_list(optimizer)]}
    with atomic_path(path) as temporary:
        torch.save(state, temporary)


def load_checkpoint(path, network, optimizer=None):
    """Restore what save_checkpoint wrote (the optimizer state too, unless None)."""
    try:
        state = torch.load(path, map_location=next(network.parameters()).device, weights_only=True)
        network.load_state_dict(state["model"])
        optimizers = _optimizer_list(optimizer)
        if optimizers and len(optimizers) != len(state["optimizers"]):
            raise KeyError(f"{len(state['optimizers'])} optimizer states for {len(optimizers)} optimizers")
        for each, each_state in zip(optimizers, state["optimizers"]):
            each.load_state_dict(each_state)
    except (RuntimeError, KeyError, EOFError) as error:
        raise UserError(say("not_a_checkpoint", path=path, reason=str(error).splitlines()[0])) from None


def on_device_of(model, array):
    """A NumPy array as a tensor on the device of the model's parameters (no layout change)."""
    return torch.from_numpy(array).to(next(model.parameters()).device)


def images_to_tensor(images, device):
    """NHWC float32 NumPy batch -> NCHW tensor (PyTorch convolutions are channels-first)."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device)


def images_to_numpy(images):
    """NCHW tensor -> NHWC float32 NumPy batch."""
    return images.detach().permute(0, 2, 3, 1).cpu().numpy()
