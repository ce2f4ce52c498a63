"""Auto-encoder in PyTorch: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python pytorch/ae.py                  # train 1000 iterations on the built-in digits, then test
    python pytorch/ae.py --test           # test the checkpoint in results/
    python pytorch/ae.py --help           # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "pytorch")]  # the repository's common/ and torch_support.py

import torch
import torch.nn as nn

from common import harness
from common.architectures import ADAM_EPSILON, AE_CODE_SIZE

MODEL, FRAMEWORK = "ae", "pytorch"


# ----- model -------------------------------------------------------------------------
class AutoEncoder(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: the layers -- nn.Linear encoder: H*W*C -> AE_CODE_SIZE, decoder: back (names = weight names)
        # 課題: 層の定義 -- nn.Linear でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を作る（属性名がそのまま重みの名前になる）
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def forward(self, images):  # (N, H, W, C): an MLP needs no channels-first layout
        # exercise: the forward pass -- flatten to (N, H*W*C), encoder, decoder, view as images.shape; no activation
        # 課題: 順伝播 -- (N, H*W*C) に平坦化して encoder、decoder の順に通し、view で images.shape に戻す。活性化関数は使わない
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


def build_model(size, channels, device=None):
    return AutoEncoder(size, channels).to(device or "cpu")


def build_optimizer(model, lr):
    return torch.optim.Adam(model.parameters(), lr=lr, eps=ADAM_EPSILON, fused=True)


@torch.no_grad()
def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    model.eval()
    return model(torch.from_numpy(images).to(next(model.parameters()).device)).cpu().numpy()


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # exercise: the training step -- model.train(); MSE(model(x), x); zero_grad, backward, step; {"loss": loss.item()}
    # 課題: 学習ステップ -- model.train() のあと MSE(model(x), x) を求め、zero_grad、backward、step。戻り値は {"loss": loss.item()}
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
