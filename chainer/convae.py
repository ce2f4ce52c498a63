"""Convolutional auto-encoder in Chainer: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python chainer/convae.py              # train 1000 iterations on the built-in digits, then test
    python chainer/convae.py --test       # test the checkpoint in results/
    python chainer/convae.py --help       # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and chainer_support.py

import chainer_compat  # noqa: F401  (before chainer: Chainer 7.8.1 on NumPy 2)

import chainer
import chainer.functions as F
import chainer.links as L

from common import harness
from common.architectures import ADAM_EPSILON
from chainer_support import images_to_numpy, images_to_tensor  # NHWC NumPy <-> NCHW arrays
from chainer_like_pytorch import Adam  # Chainer's Adam with epsilon where PyTorch adds it

MODEL, FRAMEWORK = "convae", "chainer"


# ----- model -------------------------------------------------------------------------
class ConvAutoEncoder(chainer.Chain):
    def __init__(self, channels):
        super().__init__()
        # exercise: the layers -- in init_scope: Convolution2D 3x3 pad 1 (32, 16); Deconvolution2D 2x2 stride 2 (64, C)
        with self.init_scope():  # links made here become the chain's registered children
            self.conv1 = L.Convolution2D(channels, 32, 3, stride=1, pad=1)  # keeps the size
            self.conv2 = L.Convolution2D(32, 16, 3, stride=1, pad=1)
            self.deconv1 = L.Deconvolution2D(16, 64, 2, stride=2, pad=0)  # doubles the size
            self.deconv2 = L.Deconvolution2D(64, channels, 2, stride=2, pad=0)

    def forward(self, images):  # (N, C, H, W)
        # exercise: the forward pass -- (conv, ReLU, max_pooling_2d 2 with cover_all=False) x2; deconv1 + ReLU; deconv2 alone
        # cover_all=False: PyTorch's floor(H / 2). Chainer's default (True) rounds up and adds
        # a row and a column when a side is odd.
        hidden = F.max_pooling_2d(F.relu(self.conv1(images)), 2, cover_all=False)  # -> (N, 32, H, W) -> (N, 32, H/2, W/2)
        hidden = F.max_pooling_2d(F.relu(self.conv2(hidden)), 2, cover_all=False)  # -> (N, 16, H/2, W/2) -> (N, 16, H/4, W/4)
        hidden = F.relu(self.deconv1(hidden))  # -> (N, 64, H/2, W/2)
        return self.deconv2(hidden)  # -> (N, C, H, W); no output activation, like the AE


def build_model(size, channels, device=None):
    return ConvAutoEncoder(channels).to_device(device or "@numpy")


def build_optimizer(model, lr):
    return Adam(alpha=lr, beta1=0.9, eps=ADAM_EPSILON).setup(model)  # PyTorch's Adam: chainer_like_pytorch.py


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    with chainer.using_config("train", False), chainer.no_backprop_mode():
        return images_to_numpy(model(images_to_tensor(images, model.device)))


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # exercise: the training step -- images_to_tensor (NHWC -> NCHW); MSE(model(x), x); model.cleargrads(), backward, update
    images = images_to_tensor(images, model.device)
    loss = F.mean_squared_error(model(images), images)  # mean over every pixel
    model.cleargrads()  # backward() adds to the gradients already there, as in PyTorch
    loss.backward()
    optimizer.update()
    return {"loss": float(loss.array)}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
