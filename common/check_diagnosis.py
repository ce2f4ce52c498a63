"""The answer checker's diagnoses: numbers that disagree with the reference (or a framework
error message it knows) in, the likely mistake out, as one sentence a learner can act on
(common/check.py runs the checks).

Everything here is NumPy on what the two scripts returned; nothing runs a network. The
diagnoses that need the reference to compute something else (another BatchNorm epsilon,
another flatten order, a probe) are built in common/check_support.py and arrive here as
candidates: (sentence, what the reference computes under that mistake).
"""

import numpy as np

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
        return f"sample {index[0]}, pixel ({index[1]}, {index[2]}), channel {index[3]}"
    return f"sample {index[0]}"


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
    table = f"the table (common/architectures.layer_table, {case.model} at {case.size}x{case.size}x{case.channels})"
    missing = [name for name in expected if name not in found]
    extra = [name for name in found if name not in expected]
    if missing and extra:
        return (f"your network has {', '.join(extra[:3])} where {table} has {', '.join(missing[:3])}: name the layers "
                "as the table does")
    if missing:
        return f"your network has no {', '.join(missing[:3])}, which {table} has"
    if extra:
        return f"your network has {', '.join(extra[:3])}, which {table} does not"
    for name, shape in expected.items():
        have = tuple(found[name])
        if have != tuple(shape):
            layer = name.rsplit(".", 1)[0]
            return f"{name} has shape {have} where {table} says {tuple(shape)}: {shape_hint(layer, have, tuple(shape))}"
    return None


def shape_hint(layer, have, shape):
    if len(have) != len(shape):
        return f"{layer} is another kind of layer than the table's"
    if have == shape[::-1] or (len(shape) == 4 and have == (shape[1], shape[0], *shape[2:])):
        return "the axes are swapped; get_weights must give the layouts of common/weights.py"
    if len(shape) == 1:
        return f"{layer} has {have[0]} features where the table has {shape[0]}"
    if len(shape) == 4 and have[2:] != shape[2:]:
        return f"{layer} has {have[2]}x{have[3]} kernels where the table has {shape[2]}x{shape[3]}"
    inputs, outputs = (0, 1) if len(shape) == 2 or "deconv" in layer else (1, 0)  # dense, deconv: (in, out); conv: (out, in)
    if have[outputs] != shape[outputs]:
        return f"{layer} has {have[outputs]} outputs where the table has {shape[outputs]}"
    if layer == "discriminator.dense" and have[inputs] == shape[inputs] - 1:
        return (f"{layer} takes {have[inputs]} inputs where the table has {shape[inputs]}: the one more is the "
                "minibatch spread, appended to the flattened map before the dense layer (README, Q4)")
    return f"{layer} takes {have[inputs]} inputs where the table has {shape[inputs]}"


# ----- arrays: shapes and ranges ---------------------------------------------------------------
def wrong_array(found, expected, what):
    """A sentence when `found` is no array of the expected shape or holds NaN/inf, else None."""
    if found.shape != expected.shape:
        if found.ndim == 4 and found.shape == (expected.shape[0], expected.shape[3], *expected.shape[1:3]):
            return (f"{what} returned shape {found.shape}, channels first; the contract's images are "
                    f"{expected.shape} (N, H, W, C): move the channels last before returning")
        if found.ndim == 4 and found.shape[1] == found.shape[2] == expected.shape[1] // 2 + 1:
            return (f"{what} returned shape {found.shape}; expected {expected.shape}: each 5x5 stride-2 transposed "
                    "convolution must double the size exactly (n to 2n), and yours give 2n - 1 (Chainer: "
                    "L.Deconvolution2D(..., pad=2, outsize=(2n, 2n)); PyTorch: padding=2, output_padding=1)")
        return f"{what} returned shape {found.shape}; expected {expected.shape}"
    if not np.all(np.isfinite(found)):
        return f"{what} returned NaN or infinite values"
    return None


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


def generator_range(found, expected):
    """The generator's last activation, read from the range of its images."""
    if found.min() >= 0 and found.max() <= 1 and expected.min() < -0.05:
        return ("your generator ends in sigmoid: its outputs lie in [0, 1] but the images lie in [-1, 1]; "
                "use tanh")
    if found.min() < -1 or found.max() > 1:
        return (f"your generator's outputs reach {found.min():.3g} to {found.max():.3g}, outside [-1, 1] where "
                "the images lie: it must end in tanh")
    return None


def autoencoder_activation(found, expected):
    candidates = [(f"your auto-encoder ends in {name}; the reference's last layer has no activation "
                   "(the reconstructions are compared with the images as they are, by MSE)", function(expected))
                  for name, function in (("tanh", np.tanh), ("sigmoid", _sigmoid), ("ReLU", lambda x: np.maximum(x, 0)))]
    return first_match(found, candidates, 1e-3)


def discriminator_range(found, expected):
    if found.min() >= 0 and found.max() <= 1:
        return None
    if close(_sigmoid(found), expected, 1e-3):
        return ("your discriminator returns logits, not probabilities: its outputs reach "
                f"{found.min():.3g} to {found.max():.3g}; end it in sigmoid (the loss is binary cross-entropy "
                "on probabilities)")
    return (f"your discriminator's outputs reach {found.min():.3g} to {found.max():.3g}: D must output a "
            "probability in [0, 1] (end it in sigmoid)")


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
                direction = " and ".join(word for step, word in ((dy, "down" if dy > 0 else "up"),
                                                                  (dx, "right" if dx > 0 else "left")) if step)
                return (f"your output is the reference's shifted by one pixel, {direction}: "
                        "a stride-2 5x5 layer is aligned differently; pad 2 on every side of a convolution and "
                        "crop the full output of a transposed one 2 before and 1 after (common/weights.py)")
    return None


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
        return (f"{layer}'s running statistics did not move in a training-mode pass: BatchNorm must update "
                "its running mean and variance whenever it runs in training mode")
    usable = np.abs(mean_moved) > 1e-6
    rate = 0.1 * float(np.median(found_moved[usable] / mean_moved[usable])) if usable.any() else 0.1
    if abs(rate - 0.1) > 0.005:
        return (f"{layer}'s running statistics move at the rate {rate:.3g} per training-mode pass, the "
                "reference's at 0.1: running = 0.9 * running + 0.1 * batch (PyTorch momentum=0.1, Keras "
                "momentum=0.9, Chainer decay=0.9: common/architectures.BATCHNORM_RUNNING_RATE)")
    if name.endswith(".var"):
        unbiased = (expected[f"{layer}.var"] - 0.9 * before[f"{layer}.var"]) / 0.1
        found_batch = (found[f"{layer}.var"] - 0.9 * before[f"{layer}.var"]) / 0.1
        ratio = float(np.median(found_batch / np.where(unbiased == 0, 1, unbiased)))
        if ratio < 0.999:
            return (f"{layer}'s running variance takes the biased batch variance (divided by n, {ratio:.3f} of the "
                    "reference's); PyTorch and Chainer keep the unbiased one (divided by n - 1) in it")
    return (f"{layer}'s running statistics after a training-mode pass differ from the reference's by up to "
            f"{gap(found[name], expected[name]):.3g} ({name})")


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
    sums = "the MSE is the mean of the squared error over every pixel of every image"
    return [(f"your loss is summed over the batch instead of averaged ({batch} times the mean): {sums}", batch * mse),
            (f"your loss is summed over each image's pixels instead of averaged ({pixels} times the mean): {sums}",
             pixels * mse),
            (f"your loss is summed instead of averaged ({batch * pixels} times the mean): {sums}", batch * pixels * mse),
            ("your loss is the mean absolute error; the reference's is the mean squared error",
             float(np.mean(np.abs(error)))),
            ("your loss is the root of the mean squared error; the reference's is the MSE itself", mse ** 0.5),
            ("your loss is half the mean squared error; the reference's is the MSE itself", mse / 2)]


def loss_candidates_discriminator(real, fake, fake_inference):
    """D's loss under each classic mistake, from D's scores on the real images and the fakes."""
    n = len(real)
    ones, zeros = np.ones_like(real), np.zeros_like(fake)
    scores, labels = np.concatenate([real, fake]), np.concatenate([ones, zeros])
    return [("your D loss has the labels swapped: real images must be labelled 1 and fakes 0",
             bce(scores, 1 - labels)),
            ("your D loss is the sum of the real and the fake losses; the reference's is the mean over real and "
             "fakes together (half that sum)", bce(real, ones) + bce(fake, zeros)),
            ("your D step makes its fakes with G in inference mode; the reference runs G in training mode "
             "there (BatchNorm on the batch's statistics)", bce(np.concatenate([real, fake_inference]), labels)),
            (f"your D loss is summed instead of averaged ({2 * n} times the mean)", 2 * n * bce(scores, labels)),
            ("your D loss counts the real images only; it must count the fakes (labelled 0) too", bce(real, ones)),
            ("your D loss counts the fakes only; it must count the real images (labelled 1) too", bce(fake, zeros))]


def loss_candidates_generator(after_d_step, before_d_step, after_d_step_inference):
    """G's loss under each classic mistake, from the scores D gives the fakes."""
    n = len(after_d_step)
    ones = np.ones_like(after_d_step)
    return [("your G loss labels the fakes 0: G must label its fakes 1 (\"real\"), so that it learns to fool D",
             bce(after_d_step, 1 - ones)),
            ("your G loss is log(1 - D(G(z))), the saturating form; minimise -log D(G(z)) instead: binary "
             "cross-entropy with the fakes labelled 1", -bce(after_d_step, 1 - ones)),
            ("your G step scores the fakes with D as it was before the D step: run the D step first, then the G step",
             bce(before_d_step, ones)),
            ("your G step runs G in inference mode; the reference runs it in training mode (BatchNorm on the "
             "batch's statistics)", bce(after_d_step_inference, ones)),
            (f"your G loss is summed instead of averaged ({n} times the mean)", n * bce(after_d_step, ones))]


def loss_mistake(found, expected, candidates, what):
    if not np.isfinite(found):
        return f"your {what} is {found}"
    for sentence, value in candidates:
        if loss_close(found, value):
            return sentence
    return (f"your {what} is {found:.6g}, the reference's {expected:.6g}: compare how yours is computed with the "
            "script's docstring (which outputs, which labels, mean over what)")


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


def weights_mistake(found, expected, before, names, lr, what, first_step, lr_rule=None, framework=None):
    """A sentence naming why the weights after `what` differ though its loss agreed, else None.
    `lr_rule` says how the step's lr follows from build_optimizer's, where it is not that lr."""
    weights = trainable(names)
    broken = [name for name in names if not np.all(np.isfinite(found[name]))]
    if broken and framework == "chainer" and first_step:
        return (f"{broken[0]} holds NaN after {what}, the first step, though its loss agreed: Chainer starts every "
                "gradient as NaN until it is cleared; call cleargrads() on the network before loss.backward() in "
                "each step (a NaN at the first step is never the learning rate)")
    if broken:
        return f"{broken[0]} holds NaN or infinity after {what}"
    if weights_agree(found, expected, weights, lr):
        wrong = [name for name in names if name.endswith(STATISTICS) and not close(found[name], expected[name])]
        if wrong:
            return (f"the BatchNorm running statistics after {what} differ from the reference's ({wrong[0]}): they "
                    "move each time G runs in training mode, which it does once an iteration: train_step runs G once, and "
                    "both steps use those fakes")
        return None
    moved = {name: not np.array_equal(found[name], before[name]) for name in weights}
    should = {name: not np.array_equal(expected[name], before[name]) for name in weights}
    if not any(moved.values()):
        return (f"{what} changed no weight: after computing the gradients, apply them "
                "(optimizer.step() / apply_gradients / optimizer.update())")
    still = [name for name in weights if should[name] and not moved[name]]
    if still:
        return (f"{what} left {', '.join(still[:3])} unchanged: its optimizer must update every weight of the "
                "network it trains")
    extra = [name for name in weights if moved[name] and not should[name]]
    if extra:
        return f"{what} changed {', '.join(extra[:3])}, which it must leave alone"
    steps_found = np.concatenate([(found[n].astype(np.float64) - before[n]).ravel() for n in weights])
    steps = np.concatenate([(expected[n].astype(np.float64) - before[n]).ravel() for n in weights])
    full = np.abs(steps) > 0.999 * lr  # gradients well above epsilon: Adam moves these by lr, whatever epsilon is
    if full.sum() >= 10:
        ratio = float(np.median(steps_found[full] / steps[full]))
        if abs(ratio + 1) < 0.05:
            return f"{what} moved the weights the wrong way (uphill): minimise the loss, do not maximise it"
        if abs(ratio - 1) > 0.02:
            return (f"{what} moved the weights {ratio:.3g} times as far as the reference: the learning rate is "
                    f"{ratio * lr:.3g}, not {lr:g}; " + (lr_rule or "use the lr that build_optimizer receives"))
        if first_step:
            return (f"{what} agrees with the reference where the gradients are large and differs where they are "
                    "small: Adam's epsilon differs; use 1e-8, added to sqrt(v_hat) after the bias correction "
                    "(PyTorch's Adam; TensorFlow and Keras default to 1e-7: common/architectures.ADAM_EPSILON)")
        return (f"the first step agrees with the reference but {what} does not: Adam's beta1 or beta2 differs "
                "(beta1 0.5 for the GANs, 0.9 for the auto-encoders; beta2 0.999), or its state (m, v) was lost "
                "between the steps: build the optimizer once")
    largest, name = largest_difference(found, expected, weights)
    return (f"the weights after {what} differ from the reference's by up to {largest:.3g} (in {name}) though the "
            "loss agrees: the gradients or the optimizer differ (Adam with the lr given to build_optimizer, betas "
            "as in the docstring, epsilon 1e-8)")


# A framework's own error message, recognised (and where it was raised, when that matters), and
# the learner's likely mistake behind it.
ERROR_MISTAKES = [
    # PyTorch, when D's step backpropagates through the fakes: G's graph is then freed before G's step.
    ("backward through the graph a second time", None,
     "D's step backpropagated through G's graph, which G's step needs after it: detach the fakes in D's step "
     "(fake_images.detach())"),
    # Keras 3, when an optimizer built for G's variables is handed D's too.
    ("recreate a new optimizer", None,
     "an optimizer was handed variables it was not built with: G's step must take the gradients of "
     "self.generator.trainable_variables only and apply them to those (D's step likewise with D's), the "
     "variables each optimizer was built with in compile"),
    # Keras 3 calls train_step(data) with data = ((real_images, noise),): one element, a tuple inside.
    ("values to unpack", "train_step",
     "Keras 3 calls train_step(data) with data = ((real_images, noise),) when train_on_batch gets x = "
     "(real_images, noise) and no y: unpack it with keras.utils.unpack_x_y_sample_weight(data), which gives "
     "(x, y, sample_weight)"),
]


def error_mistake(message, where=None):
    """The sentence for a framework error message this module recognises, else None. `where`: the
    name of the function of the learner's file it was raised in, if any."""
    return next((sentence for text, function, sentence in ERROR_MISTAKES
                 if text in message and function in (None, where)), None)
