"""Convolutional auto-encoder in PyTorch: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python pytorch/convae.py              # train 1000 iterations on the built-in digits, then test
    python pytorch/convae.py --test       # test the checkpoint in results/
    python pytorch/convae.py --help       # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "pytorch")]  # the repository's common/ and torch_support.py

import torch
import torch.nn as nn

from common import harness
from common.architectures import ADAM_EPSILON
from torch_support import images_to_numpy, images_to_tensor  # NHWC NumPy <-> NCHW tensors

MODEL, FRAMEWORK = "convae", "pytorch"


# ----- model -------------------------------------------------------------------------
class ConvAutoEncoder(nn.Module):
    def __init__(self, channels):
        super().__init__()
        # exercise: the layers -- conv1, conv2: 3x3 Conv2d, padding 1 (32, 16); deconv1, deconv2: 2x2 stride 2 (64, C)
        # 課題: 層の定義 -- conv1, conv2: 3x3 の Conv2d、padding 1（出力チャネル数 32, 16）。deconv1, deconv2: 2x2、ストライド 2 の転置畳み込み（64, C）
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def forward(self, images):  # (N, C, H, W)
        # exercise: the forward pass -- (conv, ReLU, 2x2 max-pool) twice on NCHW; deconv1 + ReLU; deconv2, no activation
        # 課題: 順伝播 -- NCHW のまま（畳み込み、ReLU、2x2 の最大プーリング）を 2 回。deconv1 + ReLU。deconv2 のあとに活性化関数は付けない
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


def build_model(size, channels, device=None):
    return ConvAutoEncoder(channels).to(device or "cpu")


def build_optimizer(model, lr):
    return torch.optim.Adam(model.parameters(), lr=lr, eps=ADAM_EPSILON, fused=True)


@torch.no_grad()
def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    model.eval()
    device = next(model.parameters()).device
    return images_to_numpy(model(images_to_tensor(images, device)))


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # exercise: the training step -- model.train(); images_to_tensor (NHWC -> NCHW); MSE(model(x), x); zero_grad, backward, step
    # 課題: 学習ステップ -- model.train()。images_to_tensor で NHWC -> NCHW に変換し、MSE(model(x), x) を求めて zero_grad、backward、step
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
