"""Convolutional auto-encoder in Chainer: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python chainer/convae.py              # train 1000 iterations on the built-in digits, then test
    python chainer/convae.py --test       # test the checkpoint in results/
    python chainer/convae.py --help       # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "chainer")]  # the repository's common/ and chainer_support.py

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
        # 課題: 層の定義 -- init_scope の中で Convolution2D 3x3、pad 1（出力チャネル数 32, 16）と Deconvolution2D 2x2、ストライド 2（64, C）を作る
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def forward(self, images):  # (N, C, H, W)
        # exercise: the forward pass -- (conv, ReLU, max_pooling_2d 2 with cover_all=False) x2; deconv1 + ReLU; deconv2 alone
        # 課題: 順伝播 -- （畳み込み、ReLU、cover_all=False の max_pooling_2d 2）を 2 回。deconv1 + ReLU。deconv2 は活性化関数なし
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


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
    # 課題: 学習ステップ -- images_to_tensor で NHWC -> NCHW に変換し、MSE(model(x), x) を求めて model.cleargrads()、backward、update
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
