"""Auto-encoder in TensorFlow: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python tensorflow/ae.py               # train 1000 iterations on the built-in digits, then test
    python tensorflow/ae.py --test        # test the checkpoint in results/
    python tensorflow/ae.py --help        # every flag
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "tensorflow")]  # the repository's common/ and tf_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from tf_support import Dense  # the layers, as tf.Modules
from tf_like_pytorch import Adam  # built-ins rewritten to give PyTorch's numbers
# This folder is named like the package: it has no __init__.py, so `import tensorflow` still
# finds the installed package (a regular package wins over a namespace folder).
import tensorflow as tf

from common import harness
from common.architectures import ADAM_EPSILON, AE_CODE_SIZE

MODEL, FRAMEWORK = "ae", "tensorflow"


# ----- model -------------------------------------------------------------------------
class AutoEncoder(tf.Module):
    def __init__(self, size, channels):
        super().__init__()
        # exercise: the layers -- Dense (tf_support) encoder: H*W*C -> AE_CODE_SIZE, decoder: back (names = weight names)
        # 課題: 層の定義 -- tf_support の Dense でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を作る（属性名がそのまま重みの名前になる）
        # TODO: write the layers here, in place of the raise below
        raise NotImplementedError("not implemented yet: the layers")

    def __call__(self, images):  # (N, H, W, C): NHWC flattens in the canonical order
        # exercise: the forward pass -- reshape to (N, -1) (tf.shape: N varies), encoder, decoder, reshape to tf.shape(images)
        # 課題: 順伝播 -- (N, -1) に reshape し（N は変わりうるので tf.shape を使う）、encoder、decoder の順に通して tf.shape(images) に reshape で戻す
        # TODO: write the forward pass here, in place of the raise below
        raise NotImplementedError("not implemented yet: the forward pass")


def build_model(size, channels, device=None):
    return AutoEncoder(size, channels)


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
