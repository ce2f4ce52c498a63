"""The answer checker's diagnoses: numbers that disagree with the reference (or a framework
error message it knows) in, the likely mistake out, as one sentence a learner can act on
(common/check/checks.py runs the checks).

Everything here is NumPy on what the two scripts returned; nothing runs a network. The
diagnoses that need the reference to compute something else (another BatchNorm epsilon,
another flatten order, a probe) are built in common/check/support.py and arrive here as
candidates: (sentence, what the reference computes under that mistake).
"""

import numpy as np

from common.language import say
from common.metrics import largest_gap

TOLERANCE = 1e-4  # outputs, scores, losses and weights: the README's "to 1e-4"
# Same framework, same formulas: the answers reproduce themselves exactly. A learner's
# equivalent code may round differently; Adam's first step turns a gradient of order 1e-8
# into +-lr either way (tools/parity.py), so a few weights may differ by up to 2 * lr.
FLIP_SHARE = 1e-3  # the share of weights allowed beyond TOLERANCE (parity allows the DCGAN 0.1%)
# Adam's step is about lr for any gradient well above epsilon, so a wrong epsilon or beta
# moves the weights by a small fraction of lr: looked for at 1% of lr, on more than 0.5% of them.
SLIGHT, SLIGHT_SHARE = 1e-2, 5e-3
STATISTICS = (".mean", ".var")  # BatchNorm's running statistics: state, not trainable weights


class Sentence(str):
    """A sentence for the learner, in the current language, that remembers its key
    (common/messages/check.py): code that must know which mistake was named compares the key,
    never the words, which change with the language."""

    key = None


def said(key, **values):
    """The message `key` in the current language, as a Sentence that knows its key."""
    sentence = Sentence(say(key, **values))
    sentence.key = key
    return sentence


def gap(found, expected):
    """The largest absolute difference; infinite for another shape or a NaN."""
    return largest_gap(expected, found)


def close(found, expected, tolerance=TOLERANCE):
    return gap(found, expected) <= tolerance


def loss_close(found, expected):
    return abs(found - expected) <= TOLERANCE * max(1.0, abs(expected))


def where(found, expected):
    """'sample 0, pixel (3, 4), channel 1': where the largest difference of two NHWC arrays is."""
    difference = np.abs(np.asarray(found, np.float64) - expected)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape)
    if len(index) == 4:
        return say("check_where_pixel", sample=index[0], row=index[1], column=index[2], channel=index[3])
    return say("check_where_sample", sample=index[0])


def first_match(found, candidates, tolerance=TOLERANCE):
    """The sentence of the first candidate whose numbers `found` reproduces, else None.
    A candidate's numbers may be a function (computed only when reached)."""
    for sentence, numbers in candidates:
        numbers = numbers() if callable(numbers) else numbers
        if numbers is not None and close(found, numbers, tolerance):
            return sentence
    return None


# ----- parameter shapes ---------------------------------------------------------------------
def shapes_mistake(found, case):
    """A sentence naming the first tensor whose name or shape is not the table's, else None."""
    expected = case.shapes
    table = say("check_table", model=case.model, size=case.size, channels=case.channels)
    missing = [name for name in expected if name not in found]
    extra = [name for name in found if name not in expected]
    if missing and extra:
        return said("check_shapes_other_names", extra=", ".join(extra[:3]), table=table, missing=", ".join(missing[:3]))
    if missing:
        return said("check_shapes_missing", missing=", ".join(missing[:3]), table=table)
    if extra:
        return said("check_shapes_extra", extra=", ".join(extra[:3]), table=table)
    for name, shape in expected.items():
        have = tuple(found[name])
        if have != tuple(shape):
            layer = name.rsplit(".", 1)[0]
            return said("check_shape_differs", name=name, have=have, table=table, shape=tuple(shape),
                        hint=shape_hint(layer, have, tuple(shape)))
    return None


def shape_hint(layer, have, shape):
    if len(have) != len(shape):
        return say("check_hint_other_kind", layer=layer)
    if have == shape[::-1] or (len(shape) == 4 and have == (shape[1], shape[0], *shape[2:])):
        return say("check_hint_axes_swapped")
    if len(shape) == 1:
        return say("check_hint_features", layer=layer, have=have[0], table=shape[0])
    if len(shape) == 4 and have[2:] != shape[2:]:
        return say("check_hint_kernels", layer=layer, have=f"{have[2]}x{have[3]}", table=f"{shape[2]}x{shape[3]}")
    inputs, outputs = (0, 1) if len(shape) == 2 or "deconv" in layer else (1, 0)  # dense, deconv: (in, out); conv: (out, in)
    if have[outputs] != shape[outputs]:
        return say("check_hint_outputs", layer=layer, have=have[outputs], table=shape[outputs])
    if layer == "discriminator.dense" and have[inputs] == shape[inputs] - 1:
        return say("check_hint_inputs_spread", layer=layer, have=have[inputs], table=shape[inputs])
    return say("check_hint_inputs", layer=layer, have=have[inputs], table=shape[inputs])


# ----- arrays: shapes and ranges ---------------------------------------------------------------
def wrong_array(found, expected, what):
    """A sentence when `found` is no array of the expected shape or holds NaN/inf, else None."""
    if found.shape != expected.shape:
        if found.ndim == 4 and found.shape == (expected.shape[0], expected.shape[3], *expected.shape[1:3]):
            return said("check_channels_first", what=what, found=found.shape, expected=expected.shape)
        if found.ndim == 4 and found.shape[1] == found.shape[2] == expected.shape[1] // 2 + 1:
            return said("check_deconv_odd_size", what=what, found=found.shape, expected=expected.shape)
        return said("check_other_shape", what=what, found=found.shape, expected=expected.shape)
    if not np.all(np.isfinite(found)):
        return said("check_not_finite_output", what=what)
    return None


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


def generator_range(found, expected):
    """The generator's last activation, read from the range of its images."""
    if found.min() >= 0 and found.max() <= 1 and expected.min() < -0.05:
        return said("check_generator_sigmoid")
    if found.min() < -1 or found.max() > 1:
        return said("check_generator_out_of_range", low=f"{found.min():.3g}", high=f"{found.max():.3g}")
    return None


def autoencoder_activation(found, expected):
    candidates = [(said("check_autoencoder_activation", activation=name), function(expected))
                  for name, function in (("tanh", np.tanh), ("sigmoid", _sigmoid), ("ReLU", lambda x: np.maximum(x, 0)))]
    return first_match(found, candidates, 1e-3)


def discriminator_range(found, expected):
    if found.min() >= 0 and found.max() <= 1:
        return None
    if close(_sigmoid(found), expected, 1e-3):
        return said("check_discriminator_logits", low=f"{found.min():.3g}", high=f"{found.max():.3g}")
    return said("check_discriminator_out_of_range", low=f"{found.min():.3g}", high=f"{found.max():.3g}")


def shifted_by_one(found, expected):
    """A sentence when `found` (NHWC) is `expected` moved by one pixel, else None."""
    if found.ndim != 4 or found.shape != expected.shape:
        return None
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if (dy, dx) == (0, 0):
                continue
            height, width = found.shape[1] - abs(dy), found.shape[2] - abs(dx)
            moved = found[:, max(dy, 0):max(dy, 0) + height, max(dx, 0):max(dx, 0) + width]
            source = expected[:, max(-dy, 0):max(-dy, 0) + height, max(-dx, 0):max(-dx, 0) + width]
            if close(moved, source):
                return said("check_shifted_by_one", direction=direction(dy, dx))
    return None


def direction(dy, dx):
    """'down and right' (右下): where a shift by (dy, dx) pixels moves the image."""
    vertical = say("check_direction_down" if dy > 0 else "check_direction_up") if dy else None
    horizontal = say("check_direction_right" if dx > 0 else "check_direction_left") if dx else None
    if vertical and horizontal:
        return say("check_direction_both", vertical=vertical, horizontal=horizontal)
    return vertical or horizontal


# ----- BatchNorm's running statistics ----------------------------------------------------------
def running_statistics(found, expected, before, names):
    """A sentence when the running statistics after one training-mode pass differ, else None."""
    wrong = [name for name in names if not close(found[name], expected[name])]
    if not wrong:
        return None
    name = wrong[0]
    layer = name.rsplit(".", 1)[0]
    mean_moved = expected[f"{layer}.mean"] - before[f"{layer}.mean"]  # rate * batch mean
    found_moved = found[f"{layer}.mean"] - before[f"{layer}.mean"]
    if np.all(found_moved == 0) and np.all(found[f"{layer}.var"] == before[f"{layer}.var"]):
        return said("check_statistics_still", layer=layer)
    usable = np.abs(mean_moved) > 1e-6
    rate = 0.1 * float(np.median(found_moved[usable] / mean_moved[usable])) if usable.any() else 0.1
    if abs(rate - 0.1) > 0.005:
        return said("check_statistics_rate", layer=layer, rate=f"{rate:.3g}")
    if name.endswith(".var"):
        unbiased = (expected[f"{layer}.var"] - 0.9 * before[f"{layer}.var"]) / 0.1
        found_batch = (found[f"{layer}.var"] - 0.9 * before[f"{layer}.var"]) / 0.1
        ratio = float(np.median(found_batch / np.where(unbiased == 0, 1, unbiased)))
        if ratio < 0.999:
            return said("check_statistics_biased", layer=layer, ratio=f"{ratio:.3f}")
    return said("check_statistics_differ", layer=layer, gap=f"{gap(found[name], expected[name]):.3g}", name=name)


# ----- losses ----------------------------------------------------------------------------------
def bce(probabilities, labels):
    """PyTorch's binary cross-entropy, each log floored at -100."""
    p = np.asarray(probabilities, np.float64)
    with np.errstate(divide="ignore"):
        log_p, log_q = np.maximum(np.log(p), -100), np.maximum(np.log(1 - p), -100)
    return float(-np.mean(labels * log_p + (1 - labels) * log_q))


def loss_candidates_autoencoder(reconstruction, images):
    error = np.asarray(reconstruction, np.float64) - images
    mse, batch, pixels = float(np.mean(error ** 2)), len(images), images[0].size
    return [(said("check_loss_summed_over_batch", times=batch), batch * mse),
            (said("check_loss_summed_over_pixels", times=pixels), pixels * mse),
            (said("check_loss_summed", times=batch * pixels), batch * pixels * mse),
            (said("check_loss_mae"), float(np.mean(np.abs(error)))),
            (said("check_loss_rmse"), mse ** 0.5),
            (said("check_loss_half_mse"), mse / 2)]


def loss_candidates_discriminator(real, fake, fake_inference):
    """D's loss under each classic mistake, from D's scores on the real images and the fakes."""
    n = len(real)
    ones, zeros = np.ones_like(real), np.zeros_like(fake)
    scores, labels = np.concatenate([real, fake]), np.concatenate([ones, zeros])
    return [(said("check_d_loss_labels_swapped"), bce(scores, 1 - labels)),
            (said("check_d_loss_sum_of_two"), bce(real, ones) + bce(fake, zeros)),
            (said("check_d_step_fakes_inference"), bce(np.concatenate([real, fake_inference]), labels)),
            (said("check_d_loss_summed", times=2 * n), 2 * n * bce(scores, labels)),
            (said("check_d_loss_real_only"), bce(real, ones)),
            (said("check_d_loss_fakes_only"), bce(fake, zeros))]


def loss_candidates_generator(after_d_step, before_d_step, after_d_step_inference):
    """G's loss under each classic mistake, from the scores D gives the fakes."""
    n = len(after_d_step)
    ones = np.ones_like(after_d_step)
    return [(said("check_g_loss_labels_zero"), bce(after_d_step, 1 - ones)),
            (said("check_g_loss_saturating"), -bce(after_d_step, 1 - ones)),
            (said("check_g_step_stale_d"), bce(before_d_step, ones)),
            (said("check_g_step_inference"), bce(after_d_step_inference, ones)),
            (said("check_g_loss_summed", times=n), n * bce(after_d_step, ones))]


LOSSES = {"loss": "check_loss_name", "D loss": "check_d_loss_name", "G loss": "check_g_loss_name"}


def loss_mistake(found, expected, candidates, what):
    """`what`: "loss", "D loss" or "G loss" (LOSSES), named in the learner's language."""
    what = say(LOSSES[what]) if what in LOSSES else what
    if not np.isfinite(found):
        return said("check_loss_not_finite", what=what, found=found)
    for sentence, value in candidates:
        if loss_close(found, value):
            return sentence
    return said("check_loss_differs", what=what, found=f"{found:.6g}", expected=f"{expected:.6g}")


# ----- weights after a step --------------------------------------------------------------------
def trainable(names):
    return [name for name in names if not name.endswith(STATISTICS)]


def weights_agree(found, expected, names, lr):
    """True when the trainable weights `names` agree: within TOLERANCE but FLIP_SHARE of them (there
    within 2 * lr, a flipped first step), and no more than SLIGHT_SHARE of them off by SLIGHT * lr."""
    total = beyond = slight = 0
    for name in names:
        if not close(found[name], expected[name], 2 * lr + TOLERANCE):
            return False
        difference = np.abs(found[name].astype(np.float64) - expected[name])
        beyond += int(np.sum(difference > TOLERANCE))
        slight += int(np.sum(difference > SLIGHT * lr))
        total += difference.size
    return beyond <= FLIP_SHARE * total and slight <= SLIGHT_SHARE * total


def largest_difference(found, expected, names):
    differences = {name: gap(found[name], expected[name]) for name in names}
    name = max(differences, key=differences.get)
    return differences[name], name


# The steps weights_mistake and the checker name: their key in common/messages/check.py.
STEPS = {"train_step": "check_step_first", "the second train_step": "check_step_second", "the D step": "check_step_d", "the G step": "check_step_g"}
UNCLEARED_CHAINER = "check_nan_uncleared_chainer"  # the key of Chainer's uncleared gradients (cleargrads)


def step_name(what):
    """"train_step", "the second train_step", "the D step" or "the G step" in the learner's language."""
    return say(STEPS[what]) if what in STEPS else what


def weights_mistake(found, expected, before, names, lr, what, first_step, lr_rule=None, framework=None):
    """A sentence naming why the weights after `what` (a step of STEPS, or train_step) differ though
    its loss agreed, else None. `lr_rule` says how the step's lr follows from build_optimizer's, where
    it is not that lr."""
    weights = trainable(names)
    what = step_name(what)
    broken = [name for name in names if not np.all(np.isfinite(found[name]))]
    if broken and framework == "chainer" and first_step:
        return said(UNCLEARED_CHAINER, name=broken[0], what=what)
    if broken:
        return said("check_weights_not_finite", name=broken[0], what=what)
    if weights_agree(found, expected, weights, lr):
        wrong = [name for name in names if name.endswith(STATISTICS) and not close(found[name], expected[name])]
        if wrong:
            return said("check_step_statistics", what=what, name=wrong[0])
        return None
    moved = {name: not np.array_equal(found[name], before[name]) for name in weights}
    should = {name: not np.array_equal(expected[name], before[name]) for name in weights}
    if not any(moved.values()):
        return said("check_step_changed_nothing", what=what)
    still = [name for name in weights if should[name] and not moved[name]]
    if still:
        return said("check_step_left_unchanged", what=what, names=", ".join(still[:3]))
    extra = [name for name in weights if moved[name] and not should[name]]
    if extra:
        return said("check_step_changed_others", what=what, names=", ".join(extra[:3]))
    steps_found = np.concatenate([(found[n].astype(np.float64) - before[n]).ravel() for n in weights])
    steps = np.concatenate([(expected[n].astype(np.float64) - before[n]).ravel() for n in weights])
    full = np.abs(steps) > 0.999 * lr  # gradients well above epsilon: Adam moves these by lr, whatever epsilon is
    if full.sum() >= 10:
        ratio = float(np.median(steps_found[full] / steps[full]))
        if abs(ratio + 1) < 0.05:
            return said("check_step_uphill", what=what)
        if abs(ratio - 1) > 0.02:
            return said("check_step_learning_rate", what=what, ratio=f"{ratio:.3g}", found=f"{ratio * lr:.3g}",
                        lr=f"{lr:g}", rule=lr_rule or say("check_lr_rule"))
        if first_step:
            return said("check_step_adam_epsilon", what=what)
        return said("check_step_adam_betas", what=what)
    largest, name = largest_difference(found, expected, weights)
    return said("check_step_weights_differ", what=what, largest=f"{largest:.3g}", name=name)


# A framework's own error message (in English, whatever the learner's language), recognised (and
# where it was raised, when that matters), and the key of the learner's likely mistake behind it.
ERROR_MISTAKES = [
    # PyTorch, when D's step backpropagates through the fakes: G's graph is then freed before G's step.
    ("backward through the graph a second time", None, "check_error_fakes_not_detached"),
    # Keras 3, when an optimizer built for G's variables is handed D's too.
    ("recreate a new optimizer", None, "check_error_optimizer_variables"),
    # Keras 3 calls train_step(data) with data = ((real_images, noise),): one element, a tuple inside.
    ("values to unpack", "train_step", "check_error_unpack_data"),
]


def error_mistake(message, where=None):
    """The sentence for a framework error message this module recognises, else None. `where`: the
    name of the function of the learner's file it was raised in, if any."""
    return next((said(key) for text, function, key in ERROR_MISTAKES
                 if text in message and function in (None, where)), None)
