"""The four TensorFlow scripts: end to end, checkpoints, weights, GAN steps, parity with PyTorch."""

import json
import re

import numpy as np
import pytest

from common.architectures import initial_weights, parameter_shapes
from conftest import MODELS, TINY, load_script, run_script

FRAMEWORK = "tensorflow"
TOLERANCE = 1e-4  # the README's "same network to the number"

# TensorFlow's C++ start-up lines (before absl logging is initialised, so TF_CPP_MIN_LOG_LEVEL
# cannot silence them); common/quiet_tensorflow.py keeps them from the learner.
TF_LOG_LINE = re.compile(r"^([IWEF]\d{4} |WARNING: All log messages before absl)")


def user_lines(stderr):
    return [line for line in stderr.splitlines() if line.strip()]


def tensorflow_log_lines(stderr):
    return [line for line in stderr.splitlines() if TF_LOG_LINE.match(line)]


def metrics(out, model):
    return json.loads((out / f"{model}_{FRAMEWORK}_metrics.json").read_text())


def perturbed_weights(model, size, channels, seed=1):
    """Initial weights moved off their special values (zero biases, unit BN) so every path counts."""
    rng = np.random.default_rng(seed)
    weights = {}
    for name, value in initial_weights(model, size, channels, seed).items():
        if name.endswith(".var"):
            value = rng.uniform(0.5, 1.5, value.shape)
        elif name.endswith(".gamma"):
            value = rng.uniform(0.8, 1.2, value.shape)
        elif value.ndim == 1:  # biases, BN beta and mean
            value = rng.normal(0.0, 0.05, value.shape)
        weights[name] = value.astype(np.float32)
    return weights


def images(count, size, channels, seed=2):
    return np.random.default_rng(seed).uniform(-1, 1, (count, size, size, channels)).astype(np.float32)


def noise(count, seed=3):
    return np.random.default_rng(seed).standard_normal((count, 100)).astype(np.float32)


def largest_difference(first, second):
    assert first.keys() == second.keys()
    return max(float(np.max(np.abs(first[name] - second[name]))) for name in first)


# ----- end to end, in a fresh process, from another working directory -------------------------
@pytest.mark.parametrize("model", MODELS)
def test_script_end_to_end(model, tmp_path, digits):
    out = tmp_path / "out"
    trained = run_script(FRAMEWORK, model, *TINY, "--out", out, cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert tensorflow_log_lines(trained.stderr) == []  # no line the learner did not ask for
    names = {path.name for path in out.iterdir()}
    assert {f"{model}_{FRAMEWORK}_loss.png", f"{model}_{FRAMEWORK}_metrics.json",
            f"{model}_{FRAMEWORK}_checkpoint.tf", f"{model}_{FRAMEWORK}_checkpoint.json"} <= names
    assert not [name for name in names if name.startswith(".")]  # no temporary folder left behind
    result = metrics(out, model)
    assert (result["framework"], result["model"], result["iterations"]) == (FRAMEWORK, model, 3)
    assert result["seconds_per_iteration"] > 0
    loss_names = ["loss"] if model in ("ae", "convae") else ["d_loss", "g_loss"]
    assert sorted(result["losses"]) == loss_names
    assert all(len(values) == 3 and np.all(np.isfinite(values)) for values in result["losses"].values())
    if model in ("ae", "convae"):
        pngs = [name for name in names if name.endswith(".png")
                and name not in (f"{model}_{FRAMEWORK}_loss.png", f"{model}_{FRAMEWORK}_training_images.png")]
        assert len(pngs) == result["test_images"] > 0
        assert result["psnr"] > 0 and -1 <= result["ssim"] <= 1
    else:
        assert f"{model}_{FRAMEWORK}_samples.png" in names and result["swd"] > 0

    # --test alone reads the checkpoint back (in a fresh process again)
    (out / f"{model}_{FRAMEWORK}_loss.png").unlink()
    tested = run_script(FRAMEWORK, model, *TINY, "--test", "--out", out, cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr[-3000:]
    assert not (out / f"{model}_{FRAMEWORK}_loss.png").exists()  # it did not train

    # --test's figure and --resume against a straight run: tests/test_checkpoints.py


def test_test_without_checkpoint_is_one_line_error(tmp_path, digits):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_script(FRAMEWORK, "ae", *TINY, "--test", "--out", empty, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = user_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and "checkpoint" in lines[0], result.stderr


# ----- weights -------------------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_weights_round_trip(model, tmp_path, digits):
    script = load_script(FRAMEWORK, model)
    size, channels = 16, 3
    network = script.build_model(size, channels)
    weights = perturbed_weights(model, size, channels)
    script.set_weights(network, weights)
    back = script.get_weights(network)
    assert {name: value.shape for name, value in back.items()} == parameter_shapes(model, size, channels)
    assert all(back[name].dtype == np.float32 and np.array_equal(back[name], weights[name]) for name in weights)

    first, second = tmp_path / "W.npz", tmp_path / "W2.npz"
    flags = [*TINY, "--train", "--iters", "0"]
    script.main([*flags, "--out", str(tmp_path / "a"), "--export-weights", str(first)])
    script.main([*flags, "--out", str(tmp_path / "b"), "--init-weights", str(first), "--export-weights", str(second)])
    with np.load(first) as a, np.load(second) as b:
        assert a.files == b.files
        assert all(np.array_equal(a[key], b[key]) for key in a.files)
        initial = initial_weights(model, 16, 1, 0)
        assert all(np.array_equal(a[name], value) for name, value in initial.items())


# ----- GAN steps update only their own network ----------------------------------------------------
def is_running_statistic(name):
    return name.endswith((".mean", ".var"))  # BatchNorm state, not weights


@pytest.mark.parametrize("model", ["gan", "dcgan"])
def test_gan_steps_update_only_their_network(model):
    script = load_script(FRAMEWORK, model)
    size, channels, batch = 16, 3, 4
    network = script.build_model(size, channels)
    optimizers = script.build_optimizer(network, 0.0002)
    script.set_weights(network, initial_weights(model, size, channels, 0))

    def changed():
        after = script.get_weights(network)
        return {name: not np.array_equal(before[name], after[name]) for name in after
                if not is_running_statistic(name)}

    import tensorflow as tf  # after load_script, which quiets its start-up
    generator_tape = tf.GradientTape(watch_accessed_variables=False)  # as compiled_train_step makes them
    with generator_tape:
        generator_tape.watch(optimizers.generator.parameters)
        fakes = network.generator(tf.constant(noise(batch)), training=True)

    before = script.get_weights(network)
    loss = float(script.discriminator_step(network, optimizers, tf.constant(images(batch, size, channels)), fakes))
    assert loss > 0
    moved = changed()
    assert all(moved[name] for name in moved if name.startswith("discriminator."))
    assert not any(moved[name] for name in moved if name.startswith("generator."))

    before = script.get_weights(network)
    loss = float(script.generator_step(network, optimizers, generator_tape, fakes))
    assert loss > 0
    moved = changed()
    assert all(moved[name] for name in moved if name.startswith("generator."))
    assert not any(moved[name] for name in moved if name.startswith("discriminator."))


# ----- parity with PyTorch ---------------------------------------------------------------------
# (size, channels, batch). Size 32 gives the DCGAN a 2x2x512 start, so the (height, width,
# channels) order of its reshape and flatten is really tested. One Adam step moves a weight by
# about lr * sign(gradient) whatever the gradient's size, so a gradient that is zero up to
# rounding can move the two frameworks' weights in opposite directions (up to 2 * lr apart):
# the MLP GAN's first biases (LeakyReLU then BatchNorm: with few samples a unit is often
# linear for the whole batch, and BatchNorm then cancels its bias exactly) and units that
# sit right on a ReLU kink. These batch sizes keep clear of both for these seeds.
PARITY_SETTINGS = {"ae": (16, 3, 4), "convae": (16, 3, 4), "gan": (16, 3, 32), "dcgan": (32, 3, 8)}


def pair(model, lr):
    """The same canonical weights in a PyTorch and a TensorFlow model, with their optimizers."""
    size, channels, _ = PARITY_SETTINGS[model]
    weights = perturbed_weights(model, size, channels)
    scripts = load_script("pytorch", model), load_script(FRAMEWORK, model)
    built = []
    for script in scripts:
        network = script.build_model(size, channels)
        script.set_weights(network, weights)
        built.append((script, network, script.build_optimizer(network, lr)))
    return built, size, channels


@pytest.mark.parametrize("model", ["ae", "convae"])
def test_autoencoder_parity_with_pytorch(model):
    (torch_side, tf_side), size, channels = pair(model, 0.001)
    batch = images(PARITY_SETTINGS[model][2], size, channels)
    outputs = [script.reconstruct(network, batch) for script, network, _ in (torch_side, tf_side)]
    assert outputs[1].shape == batch.shape
    assert np.max(np.abs(outputs[0] - outputs[1])) < TOLERANCE
    losses = [script.train_step(network, optimizer, batch) for script, network, optimizer in (torch_side, tf_side)]
    assert abs(losses[0]["loss"] - losses[1]["loss"]) < TOLERANCE
    after = [script.get_weights(network) for script, network, _ in (torch_side, tf_side)]
    assert largest_difference(*after) < TOLERANCE


@pytest.mark.parametrize("model", ["gan", "dcgan"])
def test_gan_parity_with_pytorch(model):
    (torch_side, tf_side), size, channels = pair(model, 0.0002)
    count = PARITY_SETTINGS[model][2]
    real, z = images(count, size, channels), noise(count)
    for training in (False, True):
        generated = [script.generate(network, z, training=training) for script, network, _ in (torch_side, tf_side)]
        assert generated[1].shape == (count, size, size, channels)
        assert np.max(np.abs(generated[0] - generated[1])) < TOLERANCE
        scores = [script.discriminate(network, real, training=training) for script, network, _ in (torch_side, tf_side)]
        assert scores[1].shape == (count, 1)
        assert np.max(np.abs(scores[0] - scores[1])) < TOLERANCE
    # generate(training=True) updated the running statistics: both the same way
    assert largest_difference(*[script.get_weights(network) for script, network, _ in (torch_side, tf_side)]) < TOLERANCE

    losses = [script.train_step(network, optimizers, real, z) for script, network, optimizers in (torch_side, tf_side)]
    for name in ("d_loss", "g_loss"):
        assert abs(losses[0][name] - losses[1][name]) < TOLERANCE
    after = [script.get_weights(network) for script, network, _ in (torch_side, tf_side)]
    assert largest_difference(*after) < TOLERANCE


# ----- TensorFlow specifics -------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_training_step_is_traced_once(model):
    """tf.function must not retrace at every iteration (same model, optimizer and batch shape)."""
    script = load_script(FRAMEWORK, model)
    network = script.build_model(16, 1)
    optimizer = script.build_optimizer(network, 0.001)
    script.set_weights(network, initial_weights(model, 16, 1, 0))
    compiled = [value for name, value in vars(script).items() if name.startswith("compiled_")]
    before = [function.experimental_get_tracing_count() for function in compiled]
    for seed in range(3):
        if model in ("ae", "convae"):
            script.train_step(network, optimizer, images(4, 16, 1, seed))
        else:
            script.train_step(network, optimizer, images(4, 16, 1, seed), noise(4, seed))
    assert compiled and [function.experimental_get_tracing_count() for function in compiled] == [
        count + 1 for count in before]


def test_checkpoint_round_trip_by_path(tmp_path):
    """save_checkpoint/load_checkpoint take the path the harness gives them: model and Adam state
    come back exactly, nothing is left beside the folder, another model's checkpoint is refused."""
    from common.errors import UserError

    script = load_script(FRAMEWORK, "gan")
    network, path = script.build_model(16, 1), tmp_path / "gan_tensorflow_checkpoint.tf"
    optimizers = script.build_optimizer(network, 0.0002)
    script.set_weights(network, initial_weights("gan", 16, 1, 0))
    script.train_step(network, optimizers, images(4, 16, 1), noise(4))
    script.save_checkpoint(path, network, optimizers)
    script.save_checkpoint(path, network, optimizers)  # over an existing one
    assert path.is_dir() and [item.name for item in tmp_path.iterdir()] == [path.name]

    restored = script.build_model(16, 1)
    restored_optimizers = script.build_optimizer(restored, 0.0002)
    script.load_checkpoint(path, restored, restored_optimizers)
    assert largest_difference(script.get_weights(network), script.get_weights(restored)) == 0
    for saved, loaded in zip(optimizers, restored_optimizers):
        assert int(loaded.step) == int(saved.step) == 1
        assert all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(saved.m + saved.v, loaded.m + loaded.v))
    script.load_checkpoint(path, script.build_model(16, 1))  # --test: no optimizer

    other = load_script(FRAMEWORK, "dcgan")
    with pytest.raises(UserError, match=f"{path.name} is not a checkpoint of this model"):
        other.load_checkpoint(path, other.build_model(16, 1))


def test_checkpoint_survives_an_interrupted_swap(tmp_path, digits):
    """Stopped between moving the old checkpoint folder aside and renaming the new one in."""
    script = load_script(FRAMEWORK, "ae")
    out = tmp_path / "out"
    script.main([*TINY, "--train", "--out", str(out)])
    folder = out / "ae_tensorflow_checkpoint.tf"
    folder.rename(out / ".ae_tensorflow_checkpoint.tf.old")
    script.main([*TINY, "--test", "--out", str(out)])
    assert folder.is_dir() and metrics(out, "ae")["test_images"] > 0


def test_device_cuda_without_gpu_is_a_user_error(tmp_path):
    import tensorflow as tf
    from common.errors import UserError

    if tf.config.list_physical_devices("GPU"):
        pytest.skip("TensorFlow sees a GPU here")
    with pytest.raises(UserError, match="--device cuda"):
        load_script(FRAMEWORK, "ae").main([*TINY, "--device", "cuda", "--out", str(tmp_path)])
