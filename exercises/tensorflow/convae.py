"""Convolutional auto-encoder in TensorFlow: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python tensorflow/convae.py           # train 1000 iterations on the built-in digits, then test
    python tensorflow/convae.py --test    # test the checkpoint in results/
    python tensorflow/convae.py --help    # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "tensorflow")]  # the repository's common/ and tf_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from tf_support import Conv2D, Conv2DTranspose  # the layers, as tf.Modules
from tf_like_pytorch import Adam  # built-ins rewritten to give PyTorch's numbers
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).
import tensorflow as tf

from common import harness
from common.architectures import ADAM_EPSILON

MODEL, FRAMEWORK = "convae", "tensorflow"


# ----- model -------------------------------------------------------------------------
class ConvAutoEncoder(tf.Module):
    def __init__(self, channels):
        super().__init__()
        # exercise: the layers -- conv1, conv2: 3x3 Conv2D, padding 1 (32, 16); deconv1, deconv2: 2x2 stride 2 (64, C)
        # 課題: 層の定義 -- conv1, conv2: 3x3 の Conv2D、padding 1（出力チャネル数 32, 16）。deconv1, deconv2: 2x2、ストライド 2 の転置畳み込み（64, C）
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def __call__(self, images):  # (N, H, W, C): TensorFlow convolutions are channels-last, no permutes
        # exercise: the forward pass -- (conv, ReLU, max_pool2d 2x2 "VALID") twice, all NHWC; deconv1 + ReLU; deconv2 alone
        # 課題: 順伝播 -- （畳み込み、ReLU、2x2 の max_pool2d "VALID"）を 2 回。すべて NHWC のまま。deconv1 + ReLU。deconv2 は活性化関数なし
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


def build_model(size, channels, device=None):
    return ConvAutoEncoder(channels)


def build_optimizer(model, lr):
    return Adam(model.trainable_variables, lr=lr, eps=ADAM_EPSILON)  # PyTorch's formula: tf_like_pytorch.py


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out."""
    # Eager, not tf.function: the last test batch may be smaller, which would retrace.
    return model(tf.constant(images)).numpy()


# ----- one training step ------------------------------------------------------------------
@tf.function  # traced once: every batch has the same shape, model and optimizer
def compiled_train_step(model, optimizer, images):
    # exercise: the training step -- MSE under a tf.GradientTape; optimizer.apply(tape.gradient(loss, optimizer.parameters))
    # 課題: 学習ステップ -- tf.GradientTape の中で MSE を求め、optimizer.apply(tape.gradient(loss, optimizer.parameters)) で更新する
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def train_step(model, optimizer, images):
    return {"loss": float(compiled_train_step(model, optimizer, tf.constant(images)))}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
