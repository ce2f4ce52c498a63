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
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the repository's common/ and keras_support.py

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
    pixels = size * size * channels
    return keras.Sequential([
        keras.Input((size, size, channels)),  # (N, H, W, C)
        layers.Flatten(),  # -> (N, H*W*C), in (height, width, channels) order
        layers.Dense(AE_CODE_SIZE, name="encoder"),  # -> (N, 64)
        layers.Dense(pixels, name="decoder"),  # -> (N, H*W*C)
        layers.Reshape((size, size, channels)),  # -> (N, H, W, C)
    ], name="ae")


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
    # train_on_batch resets the loss tracker before the step, so "loss" is this batch's MSE,
    # computed before the update (not a running mean over the calls)
    logs = model.train_on_batch(images, images, return_dict=True)
    return {"loss": float(logs["loss"])}


def main(argv=None):
    harness.main(sys.modules[__name__], argv)  # flags, data, training loop, test: common/harness.py


if __name__ == "__main__":
    harness.run(main)
