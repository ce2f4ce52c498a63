"""The four Keras 3 scripts, on the TensorFlow backend (this process) and on the torch backend.

Keras fixes its backend when it is first imported, so the torch-backend checks run in a
second process: this file run as a script with KERAS_BACKEND=torch (see the end).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import MODELS, PYTHON, REPO, TINY, assert_same_image, load_script, run_script  # noqa: E402
from test_like_pytorch import check_adam_matches_pytorch  # noqa: E402
from test_checkpoints import check_test_and_resume  # noqa: E402

from common import cli, data  # noqa: E402
from common.architectures import initial_weights, parameter_shapes  # noqa: E402
from common.defaults import training_defaults  # noqa: E402
from common.errors import UserError, run_main  # noqa: E402

sys.path.insert(0, str(REPO / "tools"))
import parity  # noqa: E402  (the tolerances, written down once in tools/parity.py)

FRAMEWORK = "keras"
GANS = ("gan", "dcgan")
TOLERANCE = parity.TOLERANCE  # 1e-4 on every element of the outputs, scores and losses
PARITY_SIZE, PARITY_CHANNELS, PARITY_BATCH = 32, 3, 8  # 32: the DCGAN's dense layer feeds a 2x2 grid
# The weights after one step: tools/parity.py's rule, WEIGHT_TOLERANCE and BEYOND_SHARE. That is
# TOLERANCE on every element, except the DCGAN's, where up to 0.1% of all its weights may be up to
# 2 * lr + TOLERANCE away (TensorFlow's gradients of order 1e-8 can flip Adam's first step of +-lr).
# Keras's own model.save converts variables with np.array(copy=False) semantics NumPy 2 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
RESULT_CHECKS = ("framework", "model", "iterations", "seconds_per_iteration", "losses")


def loss_names(model):
    return ["loss"] if model in ("ae", "convae") else ["d_loss", "g_loss"]


def expected_files(model, test_stems):
    names = {f"{model}_{FRAMEWORK}_{what}" for what in ("loss.png", "metrics.json", "checkpoint.keras", "checkpoint.json",
                                                        "training_images.png")}
    if model in GANS:
        return names | {f"{model}_{FRAMEWORK}_samples.png", f"{model}_{FRAMEWORK}_nearest.png"}
    return names | {f"{model}_{FRAMEWORK}_{stem}.png" for stem in test_stems}


def digits_test_stems():
    return data.load_test_set(cli.parse_args("ae", FRAMEWORK, TINY)).stems


def check_results(model, out, iterations, stems):
    """The project's file names and metrics after a run that trained and tested."""
    assert {path.name for path in out.iterdir() if not path.name.startswith(".")} == expected_files(model, stems)
    assert not [path for path in out.iterdir() if path.name.startswith(".")]  # no temporary file left behind
    metrics = json.loads((out / f"{model}_{FRAMEWORK}_metrics.json").read_text())
    assert all(key in metrics for key in RESULT_CHECKS)
    assert (metrics["framework"], metrics["model"], metrics["iterations"]) == (FRAMEWORK, model, iterations)
    assert metrics["seconds_per_iteration"] > 0
    assert sorted(metrics["losses"]) == loss_names(model)
    assert all(len(values) == iterations and np.all(np.isfinite(values)) for values in metrics["losses"].values())
    for name in ("swd",) if model in GANS else ("psnr", "ssim"):
        assert np.isfinite(metrics[name])
    return metrics


# ----- checks shared by both backends (plain functions: the torch process calls them too) --
def check_parity_with_pytorch(model):
    """Same canonical weights and inputs into PyTorch and Keras: same outputs, losses and update."""
    keras_script, torch_script = load_script(FRAMEWORK, model), load_script("pytorch", model)
    weights = initial_weights(model, PARITY_SIZE, PARITY_CHANNELS, seed=1)
    rng = np.random.default_rng(5)
    images = rng.uniform(-1, 1, (PARITY_BATCH, PARITY_SIZE, PARITY_SIZE, PARITY_CHANNELS)).astype(np.float32)
    noise = data.noise(seed=1, iteration=0, batch_size=PARITY_BATCH)
    lr = training_defaults(model)["lr"]
    results, largest = {}, 0.0
    for name, script in (("keras", keras_script), ("pytorch", torch_script)):
        network = script.build_model(PARITY_SIZE, PARITY_CHANNELS)
        optimizer = script.build_optimizer(network, lr)
        script.set_weights(network, weights)
        found = {}
        if model in GANS:
            found["inference"] = script.generate(network, noise)
            found["training"] = script.generate(network, noise, training=True)
            found["scores"] = script.discriminate(network, images)
            script.set_weights(network, weights)  # training mode moved BatchNorm's statistics
            found["losses"] = script.train_step(network, optimizer, images, noise)
        else:
            found["inference"] = script.reconstruct(network, images)
            found["losses"] = script.train_step(network, optimizer, images)
        found["weights"] = script.get_weights(network)
        results[name] = found
    keras_found, torch_found = results["keras"], results["pytorch"]
    for key in ("inference", "training", "scores"):
        if key in torch_found:
            np.testing.assert_allclose(keras_found[key], torch_found[key], rtol=0, atol=TOLERANCE, err_msg=f"{model} {key}")
            largest = max(largest, float(np.max(np.abs(keras_found[key] - torch_found[key]))))
    assert sorted(keras_found["losses"]) == loss_names(model)
    for name, value in torch_found["losses"].items():
        assert abs(keras_found["losses"][name] - value) <= TOLERANCE, (model, name)
        largest = max(largest, abs(keras_found["losses"][name] - value))
    assert keras_found["weights"].keys() == torch_found["weights"].keys()
    beyond, total = 0, 0
    for name, value in torch_found["weights"].items():
        assert keras_found["weights"][name].shape == value.shape, (model, name)
        difference = np.abs(keras_found["weights"][name].astype(np.float64) - value)
        assert difference.max() <= parity.WEIGHT_TOLERANCE[model], (model, name, difference.max())  # NaN fails too
        beyond += int(np.sum(~(difference <= TOLERANCE)))
        total += value.size
        largest = max(largest, float(difference.max()))
    assert beyond <= parity.BEYOND_SHARE[model] * total, (model, beyond, total)
    return largest, beyond


def check_set_get_weights(model):
    """Random values (not the symmetric-looking initial ones) go in and come out exactly."""
    script = load_script(FRAMEWORK, model)
    network = script.build_model(16, 3)
    rng = np.random.default_rng(2)
    weights = {name: rng.standard_normal(shape).astype(np.float32) for name, shape in parameter_shapes(model, 16, 3).items()}
    script.set_weights(network, weights)
    found = script.get_weights(network)
    assert list(found) == list(weights)
    for name, value in weights.items():
        assert found[name].dtype == np.float32 and np.array_equal(found[name], value), name


def check_step_isolation(model):
    """D's step moves every D weight and no G weight; G's step the other way round."""
    script = load_script(FRAMEWORK, model)
    network = script.build_model(16, 1)
    optimizers = script.build_optimizer(network, 0.0002)
    script.set_weights(network, initial_weights(model, 16, 1, seed=0))
    real = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype(np.float32)
    noise = data.noise(0, 0, 8)

    def statistics(name):  # BatchNorm's running statistics are not weights
        return name.endswith((".mean", ".var"))

    from keras_support import GradientTape
    from keras import ops
    real, noise = ops.convert_to_tensor(real), ops.convert_to_tensor(noise)
    generator_tape = GradientTape()
    with generator_tape:  # as GAN.train_step: G runs once, on the tape G's step resumes
        fakes = network.generator(noise, training=True)

    before = script.get_weights(network)
    d_loss = float(network.discriminator_step(real, fakes))
    after = script.get_weights(network)
    changed = {name for name in before if not np.array_equal(before[name], after[name]) and not statistics(name)}
    assert np.isfinite(d_loss)
    assert changed == {name for name in before if name.startswith("discriminator.")}

    before = after
    g_loss = float(network.generator_step(generator_tape, fakes))
    after = script.get_weights(network)
    changed = {name for name in before if not np.array_equal(before[name], after[name]) and not statistics(name)}
    assert np.isfinite(g_loss)
    assert changed == {name for name in before if name.startswith("generator.") and not statistics(name)}


def check_checkpoint_of_another_model_is_a_user_error(folder):
    """load_checkpoint names a file that is not a checkpoint of this model, in one line."""
    ae, convae = load_script(FRAMEWORK, "ae"), load_script(FRAMEWORK, "convae")
    other = Path(folder) / "convae.keras"
    network = convae.build_model(16, 1)
    convae.save_checkpoint(other, network, convae.build_optimizer(network, 0.001))
    damaged = Path(folder) / "damaged.keras"
    damaged.write_bytes(b"not a zip")
    for path in (other, damaged):
        with pytest.raises(UserError, match="is not a checkpoint of this model"):
            ae.load_checkpoint(path, ae.build_model(16, 1))


def check_main_in_process(model, folder):
    """train + test, then --test's figure and --resume against a straight run, all through main()."""
    script = load_script(FRAMEWORK, model)
    out = Path(folder) / model
    script.main([*TINY, "--out", str(out)])
    stems = digits_test_stems()
    check_results(model, out, 3, stems)
    check_test_and_resume(FRAMEWORK, model, folder)


# ----- TensorFlow backend, this process ----------------------------------------------------
def test_backend_is_tensorflow_here():
    import keras
    assert keras.backend.backend() == "tensorflow"


@pytest.mark.parametrize("model", MODELS)
def test_script_end_to_end_then_test_alone(model, digits, tmp_path):
    out = tmp_path / "results"
    # Run from another directory, as a user would, with the project's names as the only outputs.
    finished = run_script(FRAMEWORK, model, *TINY, "--out", out, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert not [line for line in finished.stderr.splitlines()  # TensorFlow's C++ start-up lines: quiet_tensorflow.py
                if line.startswith(("I0000", "W0000", "E0000", "WARNING: All log messages before absl"))]
    stems = digits_test_stems()
    check_results(model, out, 3, stems)

    image = out / (f"{model}_{FRAMEWORK}_samples.png" if model in GANS else f"{model}_{FRAMEWORK}_{stems[0]}.png")
    before = image.with_name("after_training.png")
    image.rename(before)
    tested = run_script(FRAMEWORK, model, "--test", *TINY, "--out", out, cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr
    assert_same_image(image, before)  # the checkpoint gives back the same network


# --test's figure and --resume against a straight run: tests/test_checkpoints.py (this
# backend) and test_torch_backend below (the torch backend).


@pytest.mark.parametrize("model", MODELS)
def test_weight_file_round_trip(model, digits, tmp_path):
    script = load_script(FRAMEWORK, model)
    flags = ["--size", "16", "--channels", "1", "--iters", "0", "--train"]
    first, second = tmp_path / "W.npz", tmp_path / "W2.npz"
    script.main([*flags, "--out", str(tmp_path / "a"), "--export-weights", str(first)])
    script.main([*flags, "--out", str(tmp_path / "b"), "--init-weights", str(first), "--export-weights", str(second)])
    with np.load(first) as a, np.load(second) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    with np.load(first) as a:  # --iters 0 exports the seeded initial weights
        for name, value in initial_weights(model, 16, 1, seed=0).items():
            assert np.array_equal(a[name], value), name


@pytest.mark.parametrize("model", MODELS)
def test_set_weights_then_get_weights_is_exact(model):
    check_set_get_weights(model)


@pytest.mark.parametrize("model", GANS)
def test_each_gan_step_updates_only_its_own_network(model):
    check_step_isolation(model)


@pytest.mark.parametrize("model", MODELS)
def test_same_numbers_as_pytorch(model):
    largest, beyond = check_parity_with_pytorch(model)
    print(f"{model}: largest difference from PyTorch {largest:.1e} ({beyond} weights beyond {TOLERANCE})")


def test_train_on_batch_loss_is_the_batch_mse_before_the_update():
    """Keras 3's train_on_batch resets its metrics first: no running mean over calls."""
    script = load_script(FRAMEWORK, "ae")
    network = script.build_model(8, 1)
    optimizer = script.build_optimizer(network, 0.01)
    images = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype(np.float32)
    for _ in range(3):
        expected = float(np.mean((script.reconstruct(network, images) - images) ** 2))
        assert abs(script.train_step(network, optimizer, images)["loss"] - expected) < 1e-6


def test_checkpoint_of_another_model_is_a_user_error(tmp_path):
    check_checkpoint_of_another_model_is_a_user_error(tmp_path)


def test_bce_matches_pytorch_also_where_keras_would_clip():
    import torch
    script = load_script(FRAMEWORK, "gan")  # its binary_cross_entropy, from keras/keras_like_pytorch.py
    probabilities = np.array([[1e-12], [1e-6], [0.3], [0.999999], [1.0], [0.0]], np.float32)
    for label in (0.0, 1.0):
        labels = np.full_like(probabilities, label)
        ours = float(script.binary_cross_entropy(probabilities, labels))
        theirs = float(torch.nn.functional.binary_cross_entropy(torch.from_numpy(probabilities), torch.from_numpy(labels)))
        assert abs(ours - theirs) <= 1e-4 * max(1.0, abs(theirs)), (label, ours, theirs)


@pytest.mark.parametrize("model", MODELS)
def test_test_without_a_checkpoint_is_one_line_and_exit_2(model, tmp_path, capsys):
    script = load_script(FRAMEWORK, model)
    with pytest.raises(SystemExit) as stopped:
        run_main(script.main, ["--test", *TINY, "--out", str(tmp_path / "empty")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_device_cuda_without_a_gpu_is_a_user_error(tmp_path, capsys):
    script = load_script(FRAMEWORK, "ae")
    import keras_support  # on the path once a script is loaded
    if keras_support._visible_gpus():
        pytest.skip("this machine has a GPU")
    with pytest.raises(SystemExit) as stopped:
        run_main(script.main, [*TINY, "--device", "cuda", "--out", str(tmp_path)])
    assert stopped.value.code == 2 and "--device cuda" in capsys.readouterr().err


# ----- torch backend, a second process -------------------------------------------------------
def test_torch_backend(digits):
    """Everything above that depends on the backend, again with KERAS_BACKEND=torch."""
    environment = {**os.environ, "KERAS_BACKEND": "torch"}
    finished = subprocess.run([PYTHON, __file__], env=environment, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stdout + finished.stderr[-5000:]
    assert "all torch-backend checks passed" in finished.stdout


def torch_backend_checks():
    import keras
    assert keras.backend.backend() == "torch", keras.backend.backend()
    with tempfile.TemporaryDirectory() as folder:
        check_checkpoint_of_another_model_is_a_user_error(folder)
        for model in MODELS:
            check_set_get_weights(model)
            check_adam_matches_pytorch(FRAMEWORK, model)  # its own update, in place on torch tensors
            largest, beyond = check_parity_with_pytorch(model)
            if model in GANS:
                check_step_isolation(model)
            check_main_in_process(model, folder)
            print(f"{model}: ok, largest difference from PyTorch {largest:.1e} ({beyond} weights beyond {TOLERANCE})",
                  flush=True)
    print("all torch-backend checks passed")


if __name__ == "__main__":
    torch_backend_checks()
