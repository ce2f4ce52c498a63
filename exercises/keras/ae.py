"""Auto-encoder in Keras 3: flatten -> Dense(64) -> Dense(H*W*C), no activation, MSE loss.

A linear auto-encoder: the best it can do is project onto the 64 principal components of
the training images, so its reconstructions are blurry but recognisable.

    python keras/ae.py                    # train 1000 iterations on the built-in digits, then test
    python keras/ae.py --test             # test the checkpoint in results/
    python keras/ae.py --help             # every flag
    KERAS_BACKEND=torch python keras/ae.py    # the same on Keras's PyTorch backend
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "keras")]  # the repository's common/ and keras_support.py

# This folder's support files come first: importing them keeps TensorFlow's start-up lines
# off the screen (common/quiet_tensorflow.py).
from keras_like_pytorch import Adam  # keras.optimizers.Adam with PyTorch's formula and epsilon
import keras
from keras import layers

from common import harness
from common.architectures import AE_CODE_SIZE

MODEL, FRAMEWORK = "ae", "keras"


# ----- model -------------------------------------------------------------------------
def build_model(size, channels, device=None):
    # exercise: the auto-encoder -- Sequential: Input, Flatten, Dense named "encoder" (AE_CODE_SIZE) and "decoder", Reshape
    # 課題: オートエンコーダ -- Sequential で Input、Flatten、名前が "encoder" の Dense（AE_CODE_SIZE）と "decoder" の Dense、Reshape を並べる
    # TODO: write the auto-encoder here, in place of the raise below
    raise NotImplementedError("not implemented yet: the auto-encoder")


def build_optimizer(model, lr):
    """Adam, compiled into the model with the loss (train_on_batch uses both), and built now,
    so that a checkpoint can restore its state before the first step."""
    optimizer = Adam(lr)  # PyTorch's formula and epsilon (keras_like_pytorch.py)
    model.compile(optimizer=optimizer, loss="mse")  # mean over every pixel
    optimizer.build(model.trainable_variables)
    return optimizer


def reconstruct(model, images):
    """NHWC NumPy images in, NHWC NumPy reconstructions out (inference mode)."""
    return model.predict_on_batch(images)


# ----- one training step ------------------------------------------------------------------
def train_step(model, optimizer, images):
    # exercise: the training step -- train_on_batch(images, images, return_dict=True): the target is the input; {"loss": float}
    # 課題: 学習ステップ -- train_on_batch(images, images, return_dict=True): 教師信号は入力そのもの。戻り値は {"loss": float}
    # TODO: write the training step here, in place of the raise below
    raise NotImplementedError("not implemented yet: the training step")


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
