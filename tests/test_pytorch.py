"""The four PyTorch scripts: end to end, checkpoints, step isolation, weights, learning."""

import json

import numpy as np
import pytest
import torch

from common import data
from common.architectures import initial_weights, parameter_shapes
from common.weights import load_weights
from conftest import MODELS, TINY, assert_same_image, load_script, run_script

FRAMEWORK = "pytorch"


def expected_files(model, out, test_stems):
    names = {f"{model}_{FRAMEWORK}_{what}" for what in ("loss.png", "metrics.json", "checkpoint.pt", "checkpoint.json",
                                                        "training_images.png")}
    if model in ("ae", "convae"):
        names |= {f"{model}_{FRAMEWORK}_{stem}.png" for stem in test_stems}
    else:
        names |= {f"{model}_{FRAMEWORK}_samples.png", f"{model}_{FRAMEWORK}_nearest.png"}
    return names


@pytest.mark.parametrize("model", MODELS)
def test_script_end_to_end_then_test_alone(model, digits, tmp_path):
    out = tmp_path / "results"
    # Run from another directory, as a user would, with the project's names as the only outputs.
    finished = run_script(FRAMEWORK, model, *TINY, "--out", out, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    test_stems = [path.stem for path in sorted((digits / "test" / "images").rglob("*.png"))]
    assert {path.name for path in out.iterdir()} == expected_files(model, out, test_stems)

    metrics = json.loads((out / f"{model}_{FRAMEWORK}_metrics.json").read_text())
    assert metrics["framework"] == FRAMEWORK and metrics["model"] == model and metrics["iterations"] == 3
    assert metrics["seconds_per_iteration"] > 0
    loss_names = ["loss"] if model in ("ae", "convae") else ["d_loss", "g_loss"]
    assert sorted(metrics["losses"]) == loss_names
    assert all(len(values) == 3 and all(np.isfinite(values)) for values in metrics["losses"].values())
    quality = ["psnr", "ssim"] if model in ("ae", "convae") else ["swd"]
    assert all(np.isfinite(metrics[name]) for name in quality)

    image = out / (f"{model}_{FRAMEWORK}_{test_stems[0]}.png" if model in ("ae", "convae") else f"{model}_{FRAMEWORK}_samples.png")
    before = image.with_name("after_training.png")
    image.rename(before)
    tested = run_script(FRAMEWORK, model, "--test", *TINY, "--out", out, cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr
    assert_same_image(image, before)  # the checkpoint gives back the same network


# --test's figure and --resume against a straight run: tests/test_checkpoints.py


def snapshot(network):
    return {name: value.detach().clone() for name, value in network.named_parameters()}


def changed(before, network):
    return {name for name, value in network.named_parameters() if not bool((value == before[name]).all())}


def gan_to_train(model):
    """The script, a GAN at 16x16x1 with its canonical weights, its optimizers, and 4 real images."""
    script = load_script(FRAMEWORK, model)
    gan = script.build_model(16, 1)
    script.set_weights(gan, initial_weights(model, 16, 1, seed=0))
    real = np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1)).astype(np.float32)
    return script, gan, script.build_optimizer(gan, 0.0002), real


@pytest.mark.parametrize("model", ("gan", "dcgan"))
def test_each_gan_step_updates_only_its_own_network(model):
    script, gan, optimizers, real = gan_to_train(model)
    real = script.images_to_tensor(real, "cpu") if model == "dcgan" else torch.from_numpy(real)
    gan.train()
    fakes = gan.generator(torch.from_numpy(data.noise(0, 0, 4)))  # as train_step makes them: once, with G's graph

    generator, discriminator = snapshot(gan.generator), snapshot(gan.discriminator)
    script.discriminator_step(gan, optimizers, real, fakes)
    assert changed(generator, gan.generator) == set()
    assert changed(discriminator, gan.discriminator) == set(discriminator)  # every D tensor moved

    generator, discriminator = snapshot(gan.generator), snapshot(gan.discriminator)
    script.generator_step(gan, optimizers, fakes)  # through G's graph from before D's step
    assert changed(discriminator, gan.discriminator) == set()
    assert changed(generator, gan.generator) == set(generator)


@pytest.mark.parametrize("model", ("gan", "dcgan"))
def test_an_iteration_runs_g_once_and_both_steps_use_its_fakes(model):
    script, gan, optimizers, real = gan_to_train(model)
    made, judged = [], []
    gan.generator.register_forward_hook(lambda module, inputs, output: made.append(output))
    gan.discriminator.register_forward_hook(lambda module, inputs, output: judged.append(inputs[0]))
    script.train_step(gan, optimizers, real, data.noise(0, 0, 4))
    assert len(made) == 1  # BatchNorm's running statistics move once an iteration
    assert len(judged) == 2 and torch.equal(judged[0][4:], made[0]) and judged[1] is made[0]


@pytest.mark.parametrize("model", MODELS)
def test_weights_round_trip_exactly(model, digits, tmp_path):
    script = load_script(FRAMEWORK, model)
    network = script.build_model(16, 1)
    weights = initial_weights(model, 16, 1, seed=5)
    script.set_weights(network, weights)
    back = script.get_weights(network)
    assert list(back) == list(parameter_shapes(model, 16, 1))
    for name in weights:
        np.testing.assert_array_equal(back[name], weights[name], err_msg=name)

    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    flags = ["--size", "16", "--channels", "1", "--iters", "0", "--train", "--out", str(tmp_path / "out")]
    script.main([*flags, "--seed", "7", "--export-weights", str(first)])
    script.main([*flags, "--init-weights", str(first), "--export-weights", str(second)])
    exported, reimported = load_weights(first, model, 16, 1), load_weights(second, model, 16, 1)
    for name, value in initial_weights(model, 16, 1, seed=7).items():
        np.testing.assert_array_equal(exported[name], value, err_msg=name)
        np.testing.assert_array_equal(reimported[name], value, err_msg=name)


def test_a_briefly_trained_ae_beats_the_untrained_one(digits):
    script = load_script(FRAMEWORK, "ae")
    test_images = data.load_test_set(_args(size=16)).images
    training = data.Batches(data.load_training_set(_args(size=16)).images, 32, seed=0, augment_options={})
    model = script.build_model(16, 1)
    script.set_weights(model, initial_weights("ae", 16, 1, seed=0))

    def test_error():
        return float(np.mean((script.reconstruct(model, test_images) - test_images) ** 2))

    untrained = test_error()
    optimizer = script.build_optimizer(model, 0.001)
    for iteration in range(150):
        script.train_step(model, optimizer, training.batch(iteration))
    assert test_error() < 0.5 * untrained


def _args(size):
    from common.cli import parse_args
    return parse_args("ae", FRAMEWORK, ["--size", str(size), "--channels", "1"])


def test_a_briefly_trained_dcgan_draws_a_different_image_for_every_noise(digits):
    """No single-image collapse: after 30 iterations on the digits, the 64 samples of the fixed
    noise differ from each other (an untrained G draws 64 near-copies, a G that ignores its
    noise draws 64 exact ones)."""
    script = load_script(FRAMEWORK, "dcgan")
    training = data.Batches(data.load_training_set(_args(size=16)).images, 32, seed=0, augment_options={})
    model = script.build_model(16, 1)
    script.set_weights(model, initial_weights("dcgan", 16, 1, seed=0))
    optimizers = script.build_optimizer(model, 0.0002)
    for iteration in range(30):
        script.train_step(model, optimizers, training.batch(iteration), data.noise(0, iteration, 32))
    samples = script.generate(model, data.fixed_noise(64)).reshape(64, -1)
    distances = np.sqrt(((samples[:, None] - samples[None]) ** 2).mean(axis=2))  # RMS, every pair
    closest = distances[np.triu_indices(64, k=1)].min()
    assert closest > 0.02, f"two of the 64 samples are almost the same image (RMS distance {closest:.4f})"
    assert samples.std(axis=0).mean() > 0.05  # and they spread over the pixels, not around one image
