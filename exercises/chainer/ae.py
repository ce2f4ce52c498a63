"""Auto-encoder in Chainer: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python chainer/ae.py                  # train 1000 iterations on the built-in digits, then test
    python chainer/ae.py --test           # test the checkpoint in results/
    python chainer/ae.py --help           # every flag
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
from common.architectures import ADAM_EPSILON, AE_CODE_SIZE
from chainer_support import on_device_of, to_cpu_array  # NumPy in (as float32) and out
from chainer_like_pytorch import Adam  # Chainer's Adam with epsilon where PyTorch adds it

MODEL, FRAMEWORK = "ae", "chainer"


# ----- model -------------------------------------------------------------------------
class AutoEncoder(chainer.Chain):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: the layers -- L.Linear encoder (H*W*C -> AE_CODE_SIZE), decoder (back), made in `with self.init_scope():`
        # 課題: 層の定義 -- L.Linear でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を `with self.init_scope():` の中で作る
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def forward(self, images):  # (N, H, W, C): an MLP needs no channels-first layout
        # exercise: the forward pass -- encoder (L.Linear flattens), decoder, F.reshape to images.shape; no activation
        # 課題: 順伝播 -- encoder（L.Linear が平坦化してくれる）、decoder の順に通し、F.reshape で images.shape に戻す。活性化関数は使わない
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


def build_model(size, channels, device=None):
    return AutoEncoder(size, channels).to_device(device or "@numpy")


def build_optimizer(model, lr):
    return Adam(alpha=lr, beta1=0.9, eps=ADAM_EPSILON).setup(model)  # PyTorch's Adam: chainer_like_pytorch.py


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    with chainer.using_config("train", False), chainer.no_backprop_mode():
        return to_cpu_array(model(on_device_of(model, images)))


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # exercise: the training step -- on_device_of; MSE(model(x), x); model.cleargrads() (gradients add up), backward, update
    # 課題: 学習ステップ -- on_device_of でモデルと同じデバイスへ送り、MSE(model(x), x) を求めて model.cleargrads()（勾配は累積される）、backward、update
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
