"""The answer checker's plumbing (common/check/checks.py runs the checks): loading a file as a
script, calling it so that any error becomes one sentence, the fixed inputs, what the
reference computes, and the reference under a mistake (weights transformed so that the
reference computes what a classic mistake computes) or on a probe (weights that make a
layer's alignment visible).
"""

import itertools
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from common import data
from common.architectures import BATCHNORM_EPSILON, GAN_MODELS, SPREAD_GROUP, initial_weights, parameter_shapes
from common.check.diagnosis import error_mistake, said
from common.defaults import training_defaults
from common.errors import QUOTED_FRAME, WHAT, part_name
from common.language import say
from common.paths import REPO_ROOT as REPO
from common.scripts import import_file

# The sizes checked: small enough for seconds, large enough to see every mistake: three
# channels (their order), and for the DCGAN 32x32, so that its dense layers see a 2x2 grid
# (the flatten order); the MLPs' 16x16x3 is 768 pixels, not the batch's 8 (a summed loss).
SETTINGS = {"ae": (16, 3), "convae": (16, 3), "gan": (16, 3), "dcgan": (32, 3)}
BATCH, SEED = 8, 1
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class Failed(Exception):
    """A check failed; the message is the one sentence the learner reads, in the learner's language.
    `key` is the sentence's key in common/messages/check.py (when it was made by `said`), for code
    that must know what was said whatever the language."""

    def __init__(self, sentence):
        super().__init__(sentence)
        self.key = getattr(sentence, "key", None)

    @property
    def not_implemented(self):
        """True for a part of the file not written yet (a NotImplementedError): the learner's next step."""
        return self.key in NOT_IMPLEMENTED


NOT_IMPLEMENTED = ("check_not_implemented", "check_d_step_not_implemented")


# ----- loading and calling ---------------------------------------------------------------------
_loaded = itertools.count()


def shown(path):
    """A path as the learner typed it: relative to the current folder where possible."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_file(path, framework, name=None):
    """Import `path` as a module with the repository and its framework folder (torch_support.py,
    keras_support.py, ...) importable, wherever the file lies; an error becomes Failed."""
    for folder in (REPO, REPO / framework):  # the framework's folder ends up first
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    name = name or f"checked_{Path(path).stem}_{next(_loaded)}"
    try:
        module = import_file(path, name)
    except SyntaxError as error:
        raise Failed(said("check_syntax_error", path=shown(path), line=error.lineno, message=error.msg)) from None
    except SystemExit:
        raise Failed(said("check_import_runs_main", path=shown(path))) from None
    except Exception as error:
        raise Failed(error_sentence(error, "import", path)) from None
    if "tensorflow" in sys.modules:  # its retracing warnings: the checker calls each step with new objects
        sys.modules["tensorflow"].get_logger().setLevel("ERROR")
    return module


def first_line(message, limit=300):
    """The message's first line, cut (if it must be) at a word, never inside one."""
    line = message.splitlines()[0] if message else ""
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + " ..."


def traced(error, path):
    """An error raised while tf.function traced the learner's code carries the real place in its
    message ("in user code: File ..., line N, in generator_step ... NotImplementedError: text"),
    while its traceback ends in TensorFlow: (the learner's frames from the message, the original
    message's last line), or None for any other error."""
    message = str(error).strip()
    if not message.startswith("in user code:"):
        return None
    frames = [traceback.FrameSummary(match["file"], int(match["line"]), match["name"])
              for match in QUOTED_FRAME.finditer(message)  # common/errors.py reads the same quoted frames
              if match["name"] and Path(match["file"]).resolve() == Path(path).resolve()]
    last = message.splitlines()[-1].strip()
    prefix = f"{type(error).__name__}:"
    return frames, (last[len(prefix):].strip() if last.startswith(prefix) else last)


def error_sentence(error, function, path):
    """One sentence for an exception raised while running `function` of the file at `path`. The
    framework's own message is relayed as it is (its first line); a mistake it is known to mean
    (check_diagnosis.ERROR_MISTAKES), and a skeleton's "not implemented yet: <part>", come in the
    learner's language."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if Path(frame.filename).resolve() == Path(path).resolve()]
    message = str(error).strip()
    if traced(error, path):
        traced_frames, message = traced(error, path)
        own = traced_frames or own
    text = error_mistake(message, own[-1].name if own else None) or relayed(first_line(message))
    if isinstance(error, NotImplementedError):
        text = say("check_not_implemented_text", text=text) if text else ""
        part = own[-1].name if own else function
        place = say("check_place_line", path=shown(path), line=own[-1].lineno) if own else ""
        reached = "" if part == function else say("check_reached_from", function=function)
        return said("check_not_implemented", part=part, place=place, text=text, reached=reached)
    text = say("check_error_text", text=text) if text else ""
    place = say("check_place_in", path=shown(path), line=own[-1].lineno, function=own[-1].name) if own else ""
    if function == "import":  # not a function's name: importing the file
        return said("check_import_raised", error=type(error).__name__, text=text, place=place)
    if function == "training":  # nor this: the harness's run of --train
        return said("check_training_raised", error=type(error).__name__, text=text, place=place)
    return said("check_function_raised", function=function, error=type(error).__name__, text=text, place=place)


def relayed(line):
    """A framework's message as it is, but a skeleton's "not implemented yet: <part>" (its
    NotImplementedError's message) in the learner's language, as the scripts show it."""
    found = WHAT.fullmatch(line)
    return say("not_implemented", what=part_name(line[len("not implemented yet: "):])) if found else line


class CheckedScript:
    """A loaded script (bound to its plumbing); every call's exception, and every answer of the wrong kind, is a Failed."""

    def __init__(self, module, path):
        self.module, self.path = module, Path(path)

    def call(self, function, *args, **kwargs):
        try:
            return getattr(self.module, function)(*args, **kwargs)
        except Failed:
            raise
        except Exception as error:
            raise Failed(error_sentence(error, function, self.path)) from None

    def array(self, function, *args, **kwargs):
        result = self.call(function, *args, **kwargs)
        try:
            array = np.asarray(result, dtype=np.float32)
        except Exception:
            array = None
        if result is None or array is None or array.ndim == 0:
            raise Failed(said("check_not_an_array", function=function, kind=type(result).__name__))
        return array

    def weights(self, network):
        result = self.call("get_weights", network)
        if not isinstance(result, dict):
            raise Failed(said("check_weights_not_a_dict", kind=type(result).__name__))
        try:
            return {name: np.array(value, dtype=np.float32) for name, value in result.items()}
        except Exception:
            raise Failed(said("check_weights_not_arrays")) from None

    def losses(self, names, *args):
        result = self.call("train_step", *args)
        if not isinstance(result, dict) or set(names) - set(result):
            keys = sorted(result) if isinstance(result, dict) else type(result).__name__
            raise Failed(said("check_losses_not_a_dict", names=", ".join(repr(n) for n in names), found=keys))
        return {name: self.number(result[name], "train_step") for name in names}

    @staticmethod
    def number(value, function):
        try:
            return float(value)
        except Exception:
            raise Failed(said("check_loss_not_a_number", function=function, kind=type(value).__name__)) from None


# ----- the fixed inputs ----------------------------------------------------------------------
@dataclass
class Case:
    """What both scripts get: canonical weights, two batches of images and noise, the lr."""

    model: str
    framework: str
    size: int = field(init=False)
    channels: int = field(init=False)

    def __post_init__(self):
        self.size, self.channels = SETTINGS[self.model]
        self.is_gan = self.model in GAN_MODELS
        self.lr = training_defaults(self.model)["lr"]
        self.shapes = parameter_shapes(self.model, self.size, self.channels)
        self.weights = initial_weights(self.model, self.size, self.channels, SEED)
        rng = np.random.default_rng(11)
        shape = (BATCH, self.size, self.size, self.channels)
        self.images = [rng.uniform(-1, 1, shape).astype(np.float32) for _ in range(2)]
        self.noise = [data.noise(SEED, iteration, BATCH) for iteration in range(2)]
        self.names = list(self.shapes)
        self.statistics = [name for name in self.names if name.endswith((".mean", ".var"))]

    def network_names(self, prefix):
        return [name for name in self.names if name.startswith(prefix)]


def measure_reference(reference, case, device):
    """Everything the answer script computes from the fixed inputs, in the checker's order."""
    call, run = reference.call, {}
    network = call("build_model", case.size, case.channels, device)
    call("set_weights", network, case.weights)
    if not case.is_gan:
        run["reconstruct"] = reference.array("reconstruct", network, case.images[0])
    else:
        noise, images = case.noise[0], case.images[0]
        run["generate"] = reference.array("generate", network, noise, training=False)
        run["discriminate"] = reference.array("discriminate", network, images, training=False)
        run["generate_training"] = reference.array("generate", network, noise, training=True)
        run["after_training_pass"] = reference.weights(network)
        run["settled"] = settled_statistics(case.weights, run["after_training_pass"])
        run["generate_settled"] = with_weights(reference, network, run["settled"], "generate", noise)
        run["scores_fake"] = reference.array("discriminate", network, run["generate_training"])
        run["scores_fake_inference"] = reference.array("discriminate", network, run["generate"])
        call("set_weights", network, case.weights)
        optimizers = call("build_optimizer", network, case.lr)
        losses = reference.losses(("d_loss", "g_loss"), network, optimizers, images, noise)
        run["d_step"], run["g_step"] = losses["d_loss"], losses["g_loss"]
        run["after_step"] = reference.weights(network)  # D's weights: its step's; G's: G's step's
        run["scores_after_d_step"] = reference.array("discriminate", network, run["generate_training"])
        run["scores_after_d_step_inference"] = reference.array("discriminate", network, run["generate"])
    names = ("d_loss", "g_loss") if case.is_gan else ("loss",)
    call("set_weights", network, case.weights)
    optimizer = call("build_optimizer", network, case.lr)
    for step in range(2):
        run[f"losses{step}"] = reference.losses(names, network, optimizer, *step_inputs(case, step))
        run[f"after{step}"] = reference.weights(network)
    return network, run


def settled_statistics(weights, after_training_pass, rate=0.1):
    """The canonical weights with running statistics equal to the batch's own (read back from one
    pass at rate 0.1 from mean 0 and variance 1): inference then normalises as training does, and
    the small variances make BatchNorm's epsilon count, as it does in a trained network."""
    settled = dict(weights)
    for name, value in after_training_pass.items():
        if name.endswith(".mean"):
            settled[name] = (value / rate).astype(np.float32)
        elif name.endswith(".var"):
            settled[name] = ((value - (1 - rate)) / rate).astype(np.float32)
    return settled


def step_inputs(case, step):
    return (case.images[step], case.noise[step]) if case.is_gan else (case.images[step],)


# ----- the reference under a mistake: uncleared gradients ------------------------------------------
def clear_gradients(case, network):
    """PyTorch: no gradient left over from an earlier check, as in a fresh run (a step that never
    clears them adds to these)."""
    if case.framework == "pytorch":
        for parameter in network.parameters():
            parameter.grad = None


def accumulating_candidates(reference, network, case):
    """PyTorch: the reference's two train_steps with one optimizer's zero_grad left out, so that the
    second step's gradients are the sum of both steps'. [(sentence, (losses of step 2, weights after))]"""
    if case.framework != "pytorch":
        return []
    names = ("d_loss", "g_loss") if case.is_gan else ("loss",)

    def run(which):
        clear_gradients(case, network)
        reference.call("set_weights", network, case.weights)
        optimizer = reference.call("build_optimizer", network, case.lr)
        for name in which:
            target = getattr(optimizer, name) if name else optimizer
            target.zero_grad = lambda *args, **kwargs: None  # the learner's missing line
        reference.losses(names, network, optimizer, *step_inputs(case, 0))
        losses = reference.losses(names, network, optimizer, *step_inputs(case, 1))
        return losses, reference.weights(network)

    if not case.is_gan:
        return [(said("check_gradients_add_up"), lambda: run([None]))]
    return [(said("check_gradients_of_add_up", networks="D", call="optimizers.discriminator.zero_grad()"),
             lambda: run(["discriminator"])),
            (said("check_gradients_of_add_up", networks="G", call="optimizers.generator.zero_grad()"),
             lambda: run(["generator"])),
            (said("check_gradients_of_add_up", networks=say("check_d_and_g"), call=say("check_each_zero_grad")),
             lambda: run(["discriminator", "generator"]))]


# ----- the reference under a mistake: transformed weights ------------------------------------------
def with_weights(script, network, weights, function, *args, **kwargs):
    script.call("set_weights", network, weights)
    return script.array(function, network, *args, **kwargs)


def epsilon_candidates(reference, network, case, start):
    """In inference mode BatchNorm divides by sqrt(var + eps): another eps is the reference with
    every running variance moved by the difference."""
    for epsilon, whose in ((1e-3, "check_epsilon_keras"), (2e-5, "check_epsilon_chainer"), (1e-4, None),
                           (0.0, "check_epsilon_none")):
        weights = {name: value + np.float32(epsilon - BATCHNORM_EPSILON) if name.endswith(".var") else value
                   for name, value in start.items()}
        sentence = said("check_batchnorm_epsilon", epsilon=f"{epsilon:g}",
                        whose=say("check_epsilon_whose", whose=say(whose)) if whose else "",
                        reference=f"{BATCHNORM_EPSILON:g}")
        yield sentence, lambda weights=weights: with_weights(reference, network, weights, "generate", case.noise[0])


def spread_probe(reference, network, case, images):
    """Weights under which D's verdict is the minibatch spread alone: every other input of D's
    dense layer weighted 0, the spread weighted so that its logit is about 1 (at the canonical
    weights the spread moves D's output by less than the checker's tolerance)."""
    weights = dict(case.weights)
    dense = np.zeros_like(weights["discriminator.dense.weight"])
    dense[-1] = 1.0
    weights.update({"discriminator.dense.weight": dense,
                    "discriminator.dense.bias": np.zeros_like(weights["discriminator.dense.bias"])})
    spread = -np.log(1.0 / with_weights(reference, network, weights, "discriminate", images) - 1.0)  # the logit
    dense[-1] = np.float32(1.0 / max(float(np.mean(spread)), 1e-6))
    return weights


def spread_candidates(reference, network, case, weights, images):
    """The minibatch spread as two likely slips compute it, under the probe's weights: over the
    whole batch instead of groups of SPREAD_GROUP, and with the unbiased variance (n - 1), which
    scales every spread by sqrt(n / (n - 1)), as the spread's weight so scaled does."""
    module = reference.module

    def whole_batch():
        group = module.SPREAD_GROUP
        module.SPREAD_GROUP = len(images)  # every script reads its SPREAD_GROUP when D runs
        try:
            return with_weights(reference, network, weights, "discriminate", images)
        finally:
            module.SPREAD_GROUP = group

    unbiased = dict(weights)
    unbiased["discriminator.dense.weight"] = weights["discriminator.dense.weight"] * np.float32(
        np.sqrt(SPREAD_GROUP / (SPREAD_GROUP - 1)))
    return [(said("check_spread_whole_batch", group=SPREAD_GROUP), whole_batch),
            (said("check_spread_unbiased", group=SPREAD_GROUP),
             lambda: with_weights(reference, network, unbiased, "discriminate", images))]


def channels_first_order(height, width, channels):
    """Index map: an (H, W, C)-ordered vector's element k is a (C, H, W)-ordered one's element [k]."""
    return np.arange(channels * height * width).reshape(channels, height, width).transpose(1, 2, 0).ravel()


# Which dense layer reads a flattened (or writes a to-be-reshaped) map, and that map's shape.
def flatten_layers(case):
    side, size, channels = case.size // 16, case.size, case.channels
    return {"dcgan": {"discriminator.dense": ("rows", (side, side, 256)),
                      "generator.dense": ("columns", (side, side, 512))},
            "gan": {"discriminator.dense1": ("rows", (size, size, channels)),
                    "generator.dense4": ("columns", (size, size, channels))},
            "ae": {"encoder": ("rows", (size, size, channels)), "decoder": ("columns", (size, size, channels))},
            }.get(case.model, {})


def flatten_candidate(reference, network, case, prefix, function, *args):
    """The reference as a network that flattens (or reshapes) channels-first computes it."""
    layers = {layer: how for layer, how in flatten_layers(case).items() if layer.startswith(prefix)}
    if not layers:
        return []
    weights = dict(case.weights)
    for layer, (how, shape) in layers.items():
        order = channels_first_order(*shape)
        rows = len(weights[f"{layer}.weight"])
        if how == "rows" and rows > len(order):  # the DCGAN's D reads the minibatch spread after the map
            order = np.concatenate([order, np.arange(len(order), rows)])
        if how == "rows":
            weights[f"{layer}.weight"] = weights[f"{layer}.weight"][order]
        else:
            weights[f"{layer}.weight"] = weights[f"{layer}.weight"][:, order]
            weights[f"{layer}.bias"] = weights[f"{layer}.bias"][order]
    return [(said("check_flatten_channels_first"), lambda: with_weights(reference, network, weights, function, *args))]


# ----- probes: weights that make one property visible ------------------------------------------------
def _zeroed(case):
    return {name: np.ones_like(value) if name.endswith((".gamma", ".var")) else np.zeros_like(value)
            for name, value in case.weights.items()}


def _brightest(images):
    """(row, column) of the largest value of the first image's first channel; None if all are 0."""
    plane = np.abs(images[0, :, :, 0])
    return None if plane.max() < 1e-3 else tuple(int(i) for i in np.unravel_index(int(np.argmax(plane)), plane.shape))


def generator_probe(script, network, case):
    """Where one input value lands: every layer copies channel 0 by its kernel's centre tap only."""
    weights = _zeroed(case)
    weights["generator.dense.weight"][0, 0] = 1.0
    for layer in ("deconv1", "deconv2", "deconv3", "deconv4"):
        weights[f"generator.{layer}.weight"][0, 0, 2, 2] = 1.0
    noise = np.zeros_like(case.noise[0])
    noise[:, 0] = 1.0
    return _brightest(with_weights(script, network, weights, "generate", noise))


def discriminator_probe(script, network, case):
    """Which pixel D reads: the same centre-tap copies, each pixel of the probe image its own value."""
    weights = _zeroed(case)
    for layer in ("conv1", "conv2", "conv3", "conv4"):
        weights[f"discriminator.{layer}.weight"][0, 0, 2, 2] = 1.0
    weights["discriminator.dense.weight"][0, 0] = 1.0
    pixels = case.size * case.size
    images = np.zeros_like(case.images[0])
    images[:, :, :, 0] = 0.5 + (np.arange(pixels).reshape(case.size, case.size) + 1) / pixels
    score = float(with_weights(script, network, weights, "discriminate", images)[0, 0])
    value = np.log(score / (1 - score)) if 0 < score < 1 else 0.0
    index = int(round((value - 0.5) * pixels)) - 1
    return divmod(index, case.size) if 0 <= index < pixels else None


RELU_LAYERS = {"convae": ["conv1", "conv2", "deconv1"],
               "dcgan": ["generator.dense", "generator.deconv1", "generator.deconv2", "generator.deconv3"]}


def missing_relu(attempt, attempt_network, reference, reference_network, case):
    """The first layer followed by a ReLU that the attempt seems to lack: with that layer's
    weights and bias negative and positive inputs, a ReLU after it makes the output the same for
    every input; without one, it varies."""
    if case.model == "convae":
        function, inputs = "reconstruct", np.abs(case.images[0])
    else:
        function, inputs = "generate", np.abs(case.noise[0])
    for layer in RELU_LAYERS.get(case.model, []):
        weights = dict(case.weights)
        weights[f"{layer}.weight"] = -np.abs(weights[f"{layer}.weight"])
        weights[f"{layer}.bias"] = np.full_like(weights[f"{layer}.bias"], -0.1)
        expected = with_weights(reference, reference_network, weights, function, inputs)
        found = with_weights(attempt, attempt_network, weights, function, inputs)
        if np.ptp(expected, axis=0).max() < 1e-6 and np.ptp(found, axis=0).max() > 1e-4:
            return said("check_missing_relu", layer=layer)
    return None
