"""Every script's optimizer is PyTorch's Adam, over many steps, not only the first.

The parity tests compare a step or three, and Adam's first steps hardly depend on beta2
(with v's bias correction, v_hat is the squared gradient at step one whatever beta2 is), so
an optimizer with another beta2 agreed with PyTorch to 1e-4 there. Here the optimizers a
script's build_optimizer returns get the same varying gradients for STEPS steps, and each
weight must end where torch.optim.Adam with the README's settings leaves it: lr, betas
(0.9, 0.999) for the auto-encoders and (0.5, 0.999) for the GANs, epsilon 1e-8 added after
the bias correction. Adam works element by element, so each framework's variables are
compared in their own layout: no conversion to the canonical one is needed.

Keras on the torch backend runs this from tests/test_keras.py's second process.
"""

import numpy as np
import pytest

from common.architectures import G_LR_SHARE
from conftest import FRAMEWORKS, MODELS, load_script

STEPS = 50
LR = 0.01  # larger than the defaults: a wrong beta moves the weights by a share of lr, rounding does not grow with it
BETAS = {"ae": (0.9, 0.999), "convae": (0.9, 0.999), "gan": (0.5, 0.999), "dcgan": (0.5, 0.999)}
EPSILON = 1e-8
# Measured on these gradients against torch.optim.Adam: the same formula in NumPy float32, rounded
# in another order, 3e-7 away; beta2 0.99 4e-4; beta1 0.8 5e-3; epsilon 1e-7 2e-2.
ATOL = 1e-5


# Each variable's gradient is one fixed pattern times a factor that changes from step to step
# (sign and size): beta1 and beta2 weigh the steps differently, so either shows after a few
# steps. Within a pattern the elements' scales run through 1e-7 ... 1: the small ones are where
# epsilon's place shows. Adam works element by element, so PyTorch's reference is computed for
# a sample of each variable's elements only (the DCGAN has 12 million).
FACTORS = np.random.default_rng(0).uniform(-3, 3, STEPS).astype(np.float32)
SCALES = (10.0 ** np.arange(-7, 1)).astype(np.float32)
SAMPLE = 1000  # elements of each variable compared: the first ones, every scale among them


def pattern(shape, index):
    values = np.random.default_rng(index).standard_normal(int(np.prod(shape)), dtype=np.float32)
    return (values * np.resize(SCALES, values.size)).reshape(shape)


def sampled(array):
    return np.asarray(array).reshape(-1)[:SAMPLE]


def expected_after(start, base, betas, lr=LR):
    """Where torch.optim.Adam takes the sampled elements of a variable that starts at `start`."""
    import torch

    weight = torch.nn.Parameter(torch.from_numpy(sampled(start).copy()))
    optimizer = torch.optim.Adam([weight], lr=lr, betas=betas, eps=EPSILON)
    base = sampled(base)
    for factor in FACTORS:
        weight.grad = torch.from_numpy(base * factor)
        optimizer.step()
    return weight.detach().numpy()


# ----- each framework's optimizer: its variables, and one step with given gradients ------------
def pytorch_adam(optimizer):
    import torch

    parameters = [parameter for group in optimizer.param_groups for parameter in group["params"]]

    def step(arrays):
        for parameter, array in zip(parameters, arrays):
            parameter.grad = torch.from_numpy(array).to(parameter.device)
        optimizer.step()
    return (lambda: [parameter.detach().cpu().numpy().copy() for parameter in parameters]), step


def tensorflow_adam(optimizer):
    import tensorflow as tf

    def step(arrays):
        optimizer.apply([tf.constant(array) for array in arrays])
    return (lambda: [variable.numpy().copy() for variable in optimizer.parameters]), step


def keras_adam(optimizer):
    from keras import ops

    variables = list(optimizer._trainable_variables)  # what build_optimizer built it for

    def step(arrays):
        optimizer.apply_gradients(zip([ops.convert_to_tensor(array) for array in arrays], variables))
    return (lambda: [np.array(ops.convert_to_numpy(variable)) for variable in variables]), step


def chainer_adam(optimizer):
    parameters = [parameter for _, parameter in sorted(optimizer.target.namedparams())]

    def step(arrays):
        for parameter, array in zip(parameters, arrays):
            parameter.grad = array.copy()
        optimizer.update()
    return (lambda: [parameter.array.copy() for parameter in parameters]), step


ADAPTERS = {"pytorch": pytorch_adam, "tensorflow": tensorflow_adam, "keras": keras_adam, "chainer": chainer_adam}


def check_adam_matches_pytorch(framework, model):
    script = load_script(framework, model)
    network = script.build_model(16, 1)
    built = script.build_optimizer(network, LR)
    optimizers = list(built) if model in ("gan", "dcgan") else [built]  # a GAN's (generator, discriminator)
    # The DCGAN's G learns at G_LR_SHARE of the lr build_optimizer is given (README, Q4).
    rates = [LR * G_LR_SHARE, LR] if model == "dcgan" else [LR] * len(optimizers)
    index = 0
    for optimizer, lr in zip(optimizers, rates):
        values, step = ADAPTERS[framework](optimizer)
        starts = values()
        assert starts, f"{framework} {model}: the optimizer updates no variable"
        bases = [pattern(start.shape, index + position) for position, start in enumerate(starts)]
        for factor in FACTORS:
            step([base * factor for base in bases])
        for position, (start, base, found) in enumerate(zip(starts, bases, values())):
            expected = expected_after(start, base, BETAS[model], lr)
            assert not np.array_equal(found, start), f"{framework} {model}: variable {position} did not move"
            np.testing.assert_allclose(sampled(found), expected, rtol=0, atol=ATOL,
                                       err_msg=f"{framework} {model}: variable {position} after {STEPS} Adam steps")
        index += len(starts)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fifty_adam_steps_match_pytorch(framework, model):
    check_adam_matches_pytorch(framework, model)
