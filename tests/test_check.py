"""The answer checker (common/check/checks.py): it passes the sixteen answers but not the same answers a
hair (1.5e-4) over its tolerance off, and a deliberately broken copy of an answer (one classic
mistake, made by a text substitution) fails at the right check with a sentence that names the
mistake."""

import os
import subprocess

import pytest

from common.check.checks import check_file
from common.check.support import first_line
from conftest import FRAMEWORKS, MODELS, PYTHON, REPO

CHECKS = ["the contract", "parameter shapes", "outputs", "one training step"]


# A hair over the README's 1e-4: what an answer that rounds a little too differently gives.
JUST_OVER = 1.5e-4


def nudged_copy(folder, framework, model, function, nudge):
    """The answer, with `function`'s result passed through `nudge` (Python source of a function
    of `result`), as the last lines of the file: the checker calls the module's names."""
    source = (REPO / framework / f"{model}.py").read_text()
    source += (f"\n\n_answer_{function} = {function}\n\n\ndef {function}(*args, **kwargs):\n"
               f"    result = _answer_{function}(*args, **kwargs)\n    return {nudge}\n")
    path = folder / f"{model}.py"
    path.write_text(source)
    return path


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_answer_passes(framework, model, tmp_path):
    """Each answer passes every check; the same answer with outputs JUST_OVER the tolerance off
    fails at the outputs (a checker that passed anything would pass the answers too)."""
    passed, failure = check_file(REPO / framework / f"{model}.py", model, framework)
    assert failure is None, failure
    assert [name for name, _ in passed] == CHECKS
    output = "reconstruct" if model in ("ae", "convae") else "generate"
    passed, failure = check_file(nudged_copy(tmp_path, framework, model, output, f"result + {JUST_OVER}"),
                                 model, framework)
    assert failure is not None, f"the checker passed {output} {JUST_OVER} away from the answer's"
    assert failure[0] == "outputs", failure


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_loss_a_hair_off_fails(framework, tmp_path):
    """train_step's loss JUST_OVER the tolerance from the answer's (relative, as the checker
    compares losses): the outputs pass, the training step does not."""
    nudge = f"{{name: value + {JUST_OVER} * max(1.0, abs(value)) for name, value in result.items()}}"
    passed, failure = check_file(nudged_copy(tmp_path, framework, "ae", "train_step", nudge), "ae", framework)
    assert failure is not None, f"the checker passed a loss {JUST_OVER} away from the answer's"
    assert failure[0] == "one training step", failure
    assert [name for name, _ in passed] == CHECKS[:3]


# (framework, model, what the mistake is, [(answer text, broken text)], the check that fails,
#  words its sentence must hold). Each substitution must find its text in the answer.
MISTAKES = [
    ("pytorch", "dcgan", "sigmoid at G's end",
     [("return torch.tanh(self.deconv4(hidden))", "return torch.sigmoid(self.deconv4(hidden))")],
     "outputs", ["your generator ends in sigmoid", "[0, 1]", "[-1, 1]", "use tanh"]),
    ("pytorch", "dcgan", "D flattens NCHW",
     [("hidden = hidden.permute(0, 2, 3, 1).flatten(1)", "hidden = hidden.flatten(1)")],
     "outputs", ["flattens", "channels-first", "(height, width, channels)"]),
    ("pytorch", "gan", "fakes not detached in the D step",
     [("fake_images = fake_images.detach()  # G only", "fake_images = fake_images  # G only")],
     "one training step", ["D's step backpropagated through G's graph", "detach the fakes", "fake_images.detach()"]),
    ("pytorch", "dcgan", "G run again for D's step instead of reusing the fakes",
     [("d_loss = discriminator_step(model, optimizers, real, fake_images)",
       "d_loss = discriminator_step(model, optimizers, real, model.generator(on_device_of(model, noise)))")],
     "one training step", ["running statistics after the G step differ", "once an iteration", "both steps use those fakes"]),
    ("pytorch", "gan", "BatchNorm momentum 0.9 (Keras's meaning) in PyTorch",
     [("momentum=BATCHNORM_RUNNING_RATE", "momentum=0.9")],
     "outputs", ["running statistics", "rate 0.9", "0.1"]),
    ("pytorch", "ae", "a 32-wide code instead of 64",
     [("nn.Linear(pixels, AE_CODE_SIZE)", "nn.Linear(pixels, 32)"), ("nn.Linear(AE_CODE_SIZE, pixels)", "nn.Linear(32, pixels)")],
     "parameter shapes", ["encoder.weight has shape (768, 32)", "(768, 64)", "encoder has 32 outputs where the table has 64"]),
    ("pytorch", "convae", "a learning rate of its own",
     [("torch.optim.Adam(model.parameters(), lr=lr,", "torch.optim.Adam(model.parameters(), lr=0.01,")],
     "one training step", ["learning rate is 0.01, not 0.001"]),
    ("tensorflow", "dcgan", "transposed convolutions cropped 1 before and 2 after",
     [("Conv2DTranspose(inputs, outputs, 5, stride=2, crop=(2, 1))", "Conv2DTranspose(inputs, outputs, 5, stride=2, crop=(1, 2))")],
     "outputs", ["your generator puts a probe's one value at pixel (15, 15)", "pixel (0, 0)", "aligned differently",
                 "2 before and 1 after"]),
    ("tensorflow", "dcgan", "only the last transposed convolution cropped 1 before and 2 after",
     [("self.bn3, self.deconv4 = batchnorm(128), deconv(128, channels)",
       "self.bn3, self.deconv4 = batchnorm(128), Conv2DTranspose(128, channels, 5, stride=2, crop=(1, 2))")],
     "outputs", ["your output is the reference's shifted by one pixel, down and right", "aligned differently"]),
    ("tensorflow", "gan", "D without its sigmoid",
     [("return tf.sigmoid(self.dense3(hidden))", "return self.dense3(hidden)")],
     "outputs", ["returns logits, not probabilities", "sigmoid"]),
    ("tensorflow", "ae", "the squared error summed, not averaged",
     [("loss = tf.reduce_mean(tf.square(model(images) - images))", "loss = tf.reduce_sum(tf.square(model(images) - images))")],
     "one training step", ["summed instead of averaged (6144 times the mean)"]),
    ("tensorflow", "convae", "Adam's epsilon 1e-7",
     [("Adam(model.trainable_variables, lr=lr, eps=ADAM_EPSILON)", "Adam(model.trainable_variables, lr=lr, eps=1e-7)")],
     "one training step", ["Adam's epsilon differs", "1e-8"]),
    ("keras", "gan", "BatchNorm epsilon 1e-3 (Keras's default)",
     [('BatchNorm(name="bn', 'BatchNorm(epsilon=1e-3, name="bn')],
     "outputs", ["BatchNorm's epsilon is 0.001 (Keras's default)", "1e-05", "close to the reference's but not equal"]),
    ("keras", "gan", "the G step updates every trainable variable, D's too",
     [("g_optimizer.build(self.generator.trainable_variables)", "g_optimizer.build(self.trainable_variables)"),
      ("grads = generator_tape.gradient(g_loss, self.generator.trainable_variables)",
       "grads = generator_tape.gradient(g_loss, self.trainable_variables)"),
      ("self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))",
       "self.g_optimizer.apply_gradients(zip(grads, self.trainable_variables))")],
     "one training step", ["the D step", "G's step changed D", "only G's optimizer may step", "trainable = False"]),
    ("keras", "dcgan", "D's convolutions with padding='same'",
     [("layers.Conv2D(filters, 5, strides=2, name=name)(layers.ZeroPadding2D(2)(hidden))",
       'layers.Conv2D(filters, 5, strides=2, padding="same", name=name)(hidden)')],
     "outputs", ["your discriminator reads a probe image at pixel (15, 15)", "pixel (0, 0)", "pad 2 zeros on every side"]),
    ("keras", "dcgan", "G's loss labels the fakes 0",
     [("g_loss = binary_cross_entropy(scores, ops.ones_like(scores))", "g_loss = binary_cross_entropy(scores, ops.zeros_like(scores))")],
     "one training step", ["your G loss labels the fakes 0", "label its fakes 1"]),
    ("keras", "ae", "Keras's own Adam (epsilon 1e-7, before the bias correction)",
     [("optimizer = Adam(lr)", "optimizer = keras.optimizers.Adam(lr)")],
     "one training step", ["Adam's epsilon differs"]),
    ("chainer", "gan", "labels swapped in D's loss",
     [("np.concatenate([np.ones((len(real_images), 1)), np.zeros((len(fake_images), 1))])",
       "np.concatenate([np.zeros((len(real_images), 1)), np.ones((len(fake_images), 1))])")],
     "one training step", ["your D loss has the labels swapped", "real images must be labelled 1 and fakes 0"]),
    ("chainer", "gan", "beta1 0.9 in the GAN's Adam",
     [("Adam(alpha=lr, beta1=0.5,", "Adam(alpha=lr, beta1=0.9,")],
     "one training step", ["the first step agrees", "beta1"]),
    ("pytorch", "dcgan", "the minibatch spread over the whole batch",
     [("group = math.gcd(len(features), SPREAD_GROUP)", "group = len(features)")],
     "outputs", ["minibatch spread is taken over the whole batch", "groups of 4", "never share a group"]),
    ("tensorflow", "dcgan", "the minibatch spread with the unbiased variance",
     [("tf.math.reduce_variance(groups, axis=1)", "tf.math.reduce_variance(groups, axis=1) * group / (group - 1)")],
     "outputs", ["unbiased variance", "biased one"]),
    ("chainer", "dcgan", "no minibatch spread",
     [("self.dense = L.Linear((size // 16) ** 2 * 256 + 1, 1)", "self.dense = L.Linear((size // 16) ** 2 * 256, 1)"),
      ("hidden = F.concat([hidden, minibatch_spread(hidden)], axis=1)", "pass")],
     "parameter shapes", ["discriminator.dense takes 1024 inputs where the table has 1025", "minibatch spread"]),
    ("keras", "dcgan", "G at D's learning rate",
     [("Adam(lr * G_LR_SHARE, beta_1=0.5)", "Adam(lr, beta_1=0.5)")],
     "one training step", ["the G step moved the weights 2 times as far", "0.0002, not 0.0001", "lr * G_LR_SHARE (0.5)"]),
    ("pytorch", "gan", "D's zero_grad left out",
     [("    optimizers.discriminator.zero_grad()\n", "")],
     "one training step", ["the gradients of D add up across steps", "optimizers.discriminator.zero_grad()"]),
    ("pytorch", "ae", "zero_grad left out",
     [("    optimizer.zero_grad()\n", "")],
     "one training step", ["the gradients add up across steps", "optimizer.zero_grad()"]),
    ("chainer", "gan", "D's cleargrads left out",
     [("    model.discriminator.cleargrads()  # backward() adds", "    # backward() adds")],
     "one training step", ["holds NaN after the D step, the first step", "call cleargrads()", "never the learning rate"]),
    ("keras", "gan", "G's step takes and applies the gradients of every variable, its optimizer built for G's",
     [("grads = generator_tape.gradient(g_loss, self.generator.trainable_variables)",
       "grads = generator_tape.gradient(g_loss, self.trainable_variables)"),
      ("self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))",
       "self.g_optimizer.apply_gradients(zip(grads, self.trainable_variables))")],
     "one training step", ["an optimizer was handed variables it was not built with",
                           "self.generator.trainable_variables only", "in generator_step"]),
    ("keras", "gan", "train_step unpacks data as two values",
     [("(real_images, noise), _, _ = keras.utils.unpack_x_y_sample_weight(data)", "real_images, noise = data")],
     "one training step", ["Keras 3 calls train_step(data) with data = ((real_images, noise),)",
                           "keras.utils.unpack_x_y_sample_weight(data)"]),
    ("chainer", "dcgan", "Deconvolution2D without outsize",
     [("L.Deconvolution2D(inputs, outputs, 5, stride=2, pad=2, outsize=(2 * input_side, 2 * input_side))",
       "L.Deconvolution2D(inputs, outputs, 5, stride=2, pad=2)")],
     "outputs", ["returned shape (8, 17, 17, 3)", "yours give 2n - 1", "outsize=(2n, 2n)"]),
    ("pytorch", "gan", "D's step written, G's step not yet",
     [("    model.discriminator.requires_grad_(False)\n", "    raise NotImplementedError(\"G's step\")\n")],
     "one training step", ["D's step agrees with the reference (D's weights after it, to 1e-4); next, not implemented "
                           "yet: generator_step"]),
    ("pytorch", "gan", "D's step with every label 1, G's step not yet written",
     [("    model.discriminator.requires_grad_(False)\n", "    raise NotImplementedError(\"G's step\")\n"),
      ("torch.zeros(len(fake_images), 1)", "torch.ones(len(fake_images), 1)")],
     "one training step", ["D's weights after D's step differ from the reference's", "fakes 0",
                           "(G's step is not written yet: not implemented yet: generator_step"]),
    ("tensorflow", "gan", "D's step written, G's step not yet (the iteration is traced as a whole)",
     [("    with generator_tape:  # recording resumes", "    raise NotImplementedError(\"G's step\")\n    with generator_tape:  # recording resumes")],
     "one training step", ["D's step agrees with the reference (D's weights after it, to 1e-4); next, not implemented "
                           "yet: generator_step"]),
    ("keras", "gan", "D's step with the fakes labelled 1, G's step not yet written",
     [("        with generator_tape:  # recording resumes", "        raise NotImplementedError(\"G's step\")\n        with generator_tape:  # recording resumes"),
      ("ops.zeros((ops.shape(fake_images)[0], 1))])", "ops.ones((ops.shape(fake_images)[0], 1))])")],
     "one training step", ["D's weights after D's step differ from the reference's", "fakes 0",
                           "(G's step is not written yet: not implemented yet: "]),
    ("chainer", "convae", "no ReLU after the first transposed convolution",
     [("hidden = F.relu(self.deconv1(hidden))", "hidden = self.deconv1(hidden)")],
     "outputs", ["no ReLU after deconv1"]),
]


def broken_copy(folder, framework, model, substitutions):
    source = (REPO / framework / f"{model}.py").read_text()
    for old, new in substitutions:
        assert old in source, f"{framework}/{model}.py no longer holds {old!r}: update this test's mistake"
        source = source.replace(old, new)
    path = folder / f"{model}.py"
    path.write_text(source)
    return path


@pytest.mark.parametrize("framework, model, mistake, substitutions, check, words", MISTAKES,
                         ids=[f"{f}-{m}-{what}" for f, m, what, *_ in MISTAKES])
def test_a_classic_mistake_is_named(tmp_path, framework, model, mistake, substitutions, check, words):
    passed, failure = check_file(broken_copy(tmp_path, framework, model, substitutions), model, framework)
    assert failure is not None, f"the checker passed {mistake}"
    assert failure[0] == check, failure
    for word in words:
        assert word in failure[1], failure
    assert [name for name, _ in passed] == CHECKS[:CHECKS.index(check)]


def test_the_mistakes_cover_every_framework_and_model():
    assert {framework for framework, *_ in MISTAKES} == set(FRAMEWORKS)
    assert {model for _, model, *_ in MISTAKES} == set(MODELS)
    assert len(MISTAKES) >= 10


def test_an_unfinished_file_gets_one_sentence(tmp_path):
    """A missing name of the contract, an exercise left unfilled, a syntax error, the wrong MODEL."""
    cases = [
        ([("def reconstruct(", "def reconstructed(")], "does not provide reconstruct (see common/contract.py)"),
        ([("        codes = self.encoder(images.flatten(1))",
           "        raise NotImplementedError(\"the encoder\")\n        codes = self.encoder(images.flatten(1))")],
         "not implemented yet: forward"),
        ([("def build_optimizer(model, lr):", "def build_optimizer(model, lr)")], "syntax error at line"),
        ([('MODEL, FRAMEWORK = "ae", "pytorch"', 'MODEL, FRAMEWORK = "convae", "pytorch"')], "sets MODEL = 'convae'"),
    ]
    for substitutions, words in cases:
        passed, failure = check_file(broken_copy(tmp_path, "pytorch", "ae", substitutions), "ae", "pytorch")
        assert failure is not None and words in failure[1], failure
        assert "\n" not in failure[1]
    assert "reached from reconstruct" in check_file(broken_copy(tmp_path, "pytorch", "ae", cases[1][0]), "ae", "pytorch")[1][1]


def run_checker(*arguments, temporary=None):
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["OMP_NUM_THREADS"] = "1"
    if temporary:
        environment["TMPDIR"] = str(temporary)
    return subprocess.run([PYTHON, "-m", "common.check", *map(str, arguments)], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=600)


def test_the_command_line(tmp_path, digits):
    """Exit status 1 and one FAIL line (no traceback, nothing written beside the file); exit status 0 and
    a training run's figures for the answer."""
    narrow = next(substitutions for _, _, mistake, substitutions, *_ in MISTAKES if mistake == "a 32-wide code instead of 64")
    broken = broken_copy(tmp_path, "pytorch", "ae", narrow)
    finished = run_checker("ae", "--framework", "pytorch", broken)
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "Traceback" not in finished.stdout + finished.stderr
    fails = [line for line in finished.stdout.splitlines() if "FAIL" in line]
    assert len(fails) == 1 and "encoder has 32 outputs" in fails[0], finished.stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ae.py"]  # no __pycache__ beside it

    temporary = tmp_path / "temporary"
    temporary.mkdir()
    finished = run_checker("ae", "pytorch/ae.py", "--train", "3", temporary=temporary)  # the framework: the folder's name
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "passed: pytorch/ae.py computes what the answer computes" in finished.stdout
    assert "a training run: 3 iterations: test PSNR" in finished.stdout
    run = [folder.name for folder in temporary.iterdir()]
    assert len(run) == 1 and f"its files are in {temporary / run[0]}" in finished.stdout
    assert (temporary / run[0] / "ae_pytorch_metrics.json").is_file()

    finished = run_checker("ae", tmp_path / "nothing.py", "--framework", "pytorch")
    assert finished.returncode == 2 and "no such file" in finished.stderr


def test_a_long_framework_error_is_cut_at_a_word_and_says_so():
    """Keras's errors run to many lines and hundreds of characters; the old cut at 240 characters
    left "...recreate a new optimize"."""
    line = first_line("an optimizer message " * 30 + "\nthe traceback's next line")
    assert line.endswith(" ...") and len(line) <= 304
    assert set(line[:-4].split()) == {"an", "optimizer", "message"}
    assert first_line("short message\nmore") == "short message"
