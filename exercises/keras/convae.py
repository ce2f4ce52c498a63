"""Convolutional auto-encoder in Keras 3: two conv + max-pool stages down, two stride-2
transposed convolutions up, MSE loss.

    python keras/convae.py                # train 1000 iterations on the built-in digits, then test
    python keras/convae.py --test         # test the checkpoint in results/
    python keras/convae.py --help         # every flag
    KERAS_BACKEND=torch python keras/convae.py    # the same on Keras's PyTorch backend
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

MODEL, FRAMEWORK = "convae", "keras"


# ----- model -------------------------------------------------------------------------
def build_model(size, channels, device=None):
    # exercise: the auto-encoder -- (Conv2D 3x3 "same" relu, MaxPooling2D) x2 (32, 16); Conv2DTranspose 2x2 stride 2 (64 relu, C)
    # 課題: オートエンコーダ -- （Conv2D 3x3 "same" relu、MaxPooling2D）を 2 回（フィルタ数 32, 16）。Conv2DTranspose 2x2、ストライド 2（64 で relu、続いて C）
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
