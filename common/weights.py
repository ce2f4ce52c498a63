"""The canonical weight file: one .npz that every framework reads and writes.

This is the one place where the layout is defined. A learner porting a model from one
framework to another meets exactly these conversions.

Names
    `<layer>.weight`, `<layer>.bias` for dense and (transposed) convolution layers,
    `<layer>.gamma`, `<layer>.beta`, `<layer>.mean`, `<layer>.var` for BatchNorm,
    with layer names as in common/architectures.py (`generator.deconv1`, `encoder`, ...).

Layouts (canonical)                     PyTorch          TensorFlow / Keras    Chainer
    dense weight        (in, out)        (out, in): .T    (in, out): as is      (out, in): .T
    conv weight         (out, in, kh, kw) as is           (kh, kw, in, out)     as is
                                                          transpose(2, 3, 1, 0)
    transposed conv     (in, out, kh, kw) as is           (kh, kw, out, in)     as is
                                                          transpose(2, 3, 1, 0)
    BatchNorm           gamma beta mean var               gamma beta            gamma beta
                                          weight bias     moving_mean           avg_mean
                                          running_mean    moving_variance       avg_var
                                          running_var

Flatten order
    Images and feature maps are flattened in (height, width, channels) order, the order of
    the NHWC batches that common/data/__init__.py produces. The channels-first frameworks (PyTorch,
    Chainer) permute NCHW -> NHWC just before a flatten and back just after a reshape, so
    that a dense layer's rows mean the same pixel in every framework and no weight has to
    be reordered.

Alignment of the 5x5 stride-2 layers (DCGAN)
    Convolution: 2 rows/columns of zero padding on each side (PyTorch `padding=2`).
    TensorFlow's `padding="same"` would pad 1 before and 2 after: a one-pixel shift.
    Transposed convolution: the full output is cropped by 2 at the start and 1 at the end
    (PyTorch `padding=2, output_padding=1`; Chainer `pad=2, outsize=2n`; TensorFlow explicit
    padding; Keras `Cropping2D(((2, 1), (2, 1)))`).

The file also stores `_model`, `_size` and `_channels` so that a mismatch is reported by name.
"""

import numpy as np

from common.architectures import parameter_shapes
from common.errors import UserError
from common.language import say
from common.files import atomic_path

META_KEYS = ("_model", "_size", "_channels")


def save_weights(path, weights, model, size, channels):
    """Write `weights` ({canonical name: array}) after checking every name and shape."""
    checked = check_weights(weights, model, size, channels, source="the model")
    meta = {"_model": np.array(model), "_size": np.array(size), "_channels": np.array(channels)}
    with atomic_path(path) as temporary:
        with open(temporary, "wb") as file:  # a file object keeps np.savez from adding ".npz"
            np.savez(file, **checked, **meta)


def load_weights(path, model, size, channels):
    """Read a canonical weight file for `model`; a wrong file is a UserError that says why."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            stored = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise UserError(say("no_weight_file", path=path)) from None
    except (OSError, ValueError) as error:
        raise UserError(say("not_a_weight_file", path=path, error=error)) from None
    if "_model" in stored:
        file_model, file_size, file_channels = str(stored["_model"]), int(stored["_size"]), int(stored["_channels"])
        if file_model != model:
            raise UserError(say("weights_of_other_model", path=path, file_model=file_model, model=model))
        if (file_size, file_channels) != (size, channels):
            raise UserError(say("weights_of_other_size", path=path, size=file_size, channels=file_channels))
    weights = {key: value for key, value in stored.items() if key not in META_KEYS}
    checked = check_weights(weights, model, size, channels, source=str(path))
    for name, value in checked.items():
        if not np.all(np.isfinite(value)):
            raise UserError(say("weights_not_finite_in_file", path=path, name=name))
    return checked


def check_weights(weights, model, size, channels, source):
    """Return float32 copies in canonical order, or raise UserError naming what is wrong."""
    expected = parameter_shapes(model, size, channels)
    missing = [name for name in expected if name not in weights]
    extra = [name for name in weights if name not in expected]
    if missing or extra:
        raise UserError(say("weights_do_not_match", source=source, model=model, size=size, channels=channels,
                            missing=missing[:3], extra=extra[:3]))
    checked = {}
    for name, shape in expected.items():
        value = np.asarray(weights[name])
        if value.shape != tuple(shape):
            raise UserError(say("weight_shape", source=source, name=name, shape=value.shape, expected=tuple(shape),
                                size=size, channels=channels))
        checked[name] = value.astype(np.float32)
    return checked
