"""Chainer built-ins replaced so that Chainer computes PyTorch's numbers.

All four frameworks in this repository are held to PyTorch's results within 1e-4
(tests/test_parity.py). Where Chainer's own function computes something else, the scripts
use these instead, and say so where they import them:

- `Adam` replaces `chainer.optimizers.Adam`. Both take epsilon 1e-8, but Chainer adds it to
  sqrt(v) after folding the bias correction into the step size, PyTorch to
  sqrt(v / (1 - beta2^t)). Chainer's epsilon is then in effect 32 times larger at the first
  step (beta2 = 0.999), and weights with tiny gradients take visibly smaller steps.
- `binary_cross_entropy` replaces `F.sigmoid_cross_entropy`, which takes logits: the
  discriminators end in a sigmoid and hand over probabilities, as PyTorch's
  F.binary_cross_entropy takes them, and Chainer has no such loss on probabilities. Built
  from F.log, it keeps a finite gradient when float32's sigmoid saturates to 0 or 1.

Not replacements, and so not here: settings that only differ in their defaults (BatchNorm's
eps and decay, max pooling's cover_all, a transposed convolution's outsize), which the
scripts pass as arguments where they build the links.

Import chainer_compat (beside this file) before Chainer: Chainer 7.8.1 predates NumPy 2 (see that file).
"""

import math

import numpy as np

import chainer_compat  # noqa: F401  (before chainer: restores np.sctypes)

import chainer
import chainer.functions as F

from common.architectures import ADAM_EPSILON


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
