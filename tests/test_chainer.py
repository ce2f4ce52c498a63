"""The Chainer scripts: end to end, checkpoints, weights, step isolation, parity with PyTorch."""

import json
import sys

import numpy as np
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "chainer"))  # as the Chainer scripts do: chainer_compat.py is there
import chainer_compat  # noqa: E402,F401  (before chainer: restores np.sctypes for NumPy 2)

import chainer  # noqa: E402
import torch  # noqa: E402

from common import checkpoints  # noqa: E402
from common.architectures import initial_weights, parameter_shapes  # noqa: E402
from common.defaults import training_defaults  # noqa: E402
from common.errors import UserError  # noqa: E402
from common.data.images import load_folder  # noqa: E402
from conftest import MODELS, TINY, load_script, run_script  # noqa: E402

FRAMEWORK = "chainer"
GANS = ("gan", "dcgan")


def support():
    load_script(FRAMEWORK, "ae")  # the scripts put chainer/ on sys.path and import the support module
    import chainer_support
    return chainer_support


def equivalents():
    load_script(FRAMEWORK, "ae")
    import chainer_like_pytorch
    return chainer_like_pytorch


def random_weights(model, size, channels, seed):
    """Every tensor random (BN variances positive): a round trip cannot pass by luck."""
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape in parameter_shapes(model, size, channels).items():
        value = rng.normal(0.0, 0.1, shape)
        weights[name] = (np.abs(value) + 0.5 if name.endswith(".var") else value).astype(np.float32)
    return weights


def read_metrics(out, model):
    return json.loads((out / f"{model}_{FRAMEWORK}_metrics.json").read_text())


def assert_clean(result):
    """Exit 0, and no warning or traceback in the output (Chainer's import warnings are filtered)."""
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "Warning" not in output and "Traceback" not in output, output[-3000:]


# ----- end to end, in a fresh process, from another working directory ---------------------------
@pytest.mark.parametrize("model", MODELS)
def test_script_end_to_end(model, tmp_path, digits):
    out, prefix = tmp_path / "out", f"{model}_{FRAMEWORK}"
    exported, reexported = tmp_path / "W.npz", tmp_path / "W2.npz"

    # 1. train (3 iterations, checkpoint at 2 and 3), then test, and export the weights
    assert_clean(run_script(FRAMEWORK, model, *TINY, "--out", out, "--export-weights", exported, cwd=tmp_path))
    assert (out / f"{prefix}_loss.png").is_file() and (out / f"{prefix}_checkpoint.npz").is_file()
    training = json.loads((out / f"{prefix}_checkpoint.json").read_text())
    loss_names = ("d_loss", "g_loss") if model in GANS else ("loss",)
    assert sorted(training["losses"]) == sorted(loss_names)
    assert all(len(training["losses"][name]) == 3 for name in loss_names)

    def check_test_outputs():
        metrics = read_metrics(out, model)
        assert metrics["framework"] == FRAMEWORK and metrics["model"] == model
        if model in GANS:
            assert (out / f"{prefix}_samples.png").is_file() and np.isfinite(metrics["swd"])
        else:
            stems = load_folder(digits / "test" / "images", 16, 1).stems
            assert stems and all((out / f"{prefix}_{stem}.png").is_file() for stem in stems)
            assert np.isfinite(metrics["psnr"]) and np.isfinite(metrics["ssim"])
    check_test_outputs()

    # 2. --test alone reads the checkpoint back
    for name in (f"{prefix}_metrics.json", f"{prefix}_samples.png"):
        (out / name).unlink(missing_ok=True)
    assert_clean(run_script(FRAMEWORK, model, *TINY, "--out", out, "--test", cwd=tmp_path))
    check_test_outputs()

    # --test and --resume against a straight run: tests/test_checkpoints.py

    # 4. the exported weights go in with --init-weights and come out unchanged (--iters 0)
    assert_clean(run_script(FRAMEWORK, model, *TINY[:4], "--iters", "0", "--train", "--init-weights", exported,
                            "--export-weights", reexported, "--out", tmp_path / "again", cwd=tmp_path))
    with np.load(exported) as first, np.load(reexported) as second:
        assert sorted(first.files) == sorted(second.files)
        for name in first.files:
            np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_test_without_checkpoint_is_one_line_error(tmp_path, digits):
    result = run_script(FRAMEWORK, "dcgan", *TINY, "--test", "--out", tmp_path / "empty", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in result.stderr


def test_device_cuda_without_gpu_is_a_user_error():
    if support()._gpu_available():
        pytest.skip("CuPy sees a GPU here")
    with pytest.raises(UserError, match="--device cuda"):
        support().choose_device("cuda")
    assert support().choose_device("auto").xp is np


# ----- the checkpoint continues exactly --------------------------------------------------------
@pytest.mark.parametrize("model", ["ae", "dcgan"])
def test_checkpoint_resumes_exactly(model, tmp_path):
    """Two steps, save, load into fresh objects, one step == three steps in a row:
    the checkpoint holds the weights, BN statistics, Adam's m and v and its step count."""
    script = load_script(FRAMEWORK, model)
    checkpoint = tmp_path / f"{model}_{FRAMEWORK}_{script.CHECKPOINT}"
    rng = np.random.default_rng(0)
    images = [rng.uniform(-1, 1, (4, 16, 16, 1)).astype(np.float32) for _ in range(3)]
    noise = [rng.standard_normal((4, 100)).astype(np.float32) for _ in range(3)]

    def fresh():
        network = script.build_model(16, 1)
        script.set_weights(network, initial_weights(model, 16, 1, 0))
        return network, script.build_optimizer(network, 0.001)

    def step(network, optimizer, index):
        if model in GANS:
            return script.train_step(network, optimizer, images[index], noise[index])
        return script.train_step(network, optimizer, images[index])

    straight, straight_optimizer = fresh()
    expected = [step(straight, straight_optimizer, index) for index in range(3)]

    first, first_optimizer = fresh()
    for index in range(2):
        step(first, first_optimizer, index)
    checkpoints.save(script, checkpoint, first, first_optimizer, 2, {}, 16, 1)
    resumed = script.build_model(16, 1)
    resumed_optimizer = script.build_optimizer(resumed, 0.001)
    assert checkpoints.load(script, checkpoint, resumed, resumed_optimizer, 16, 1)[0] == 2
    assert step(resumed, resumed_optimizer, 2) == expected[2]
    got, want = script.get_weights(resumed), script.get_weights(straight)
    for name in want:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


def test_checkpoint_before_the_first_step_resumes(tmp_path):
    """--iters 0 saves optimizers that have no state yet; --resume must still load it."""
    script = load_script(FRAMEWORK, "dcgan")
    checkpoint = tmp_path / f"dcgan_{FRAMEWORK}_{script.CHECKPOINT}"
    network = script.build_model(16, 1)
    script.set_weights(network, initial_weights("dcgan", 16, 1, 0))
    checkpoints.save(script, checkpoint, network, script.build_optimizer(network, 0.0002), 0, {}, 16, 1)
    resumed = script.build_model(16, 1)
    optimizers = script.build_optimizer(resumed, 0.0002)
    assert checkpoints.load(script, checkpoint, resumed, optimizers, 16, 1) == (0, {})
    real = np.zeros((2, 16, 16, 1), np.float32)
    assert np.isfinite(script.train_step(resumed, optimizers, real, np.ones((2, 100), np.float32))["g_loss"])



def test_checkpoint_is_one_file_and_another_models_is_a_user_error(tmp_path):
    """save_checkpoint writes only the checkpoint (the harness writes the JSON state beside it);
    loading it into another model is a one-line UserError, not a traceback."""
    ae, dcgan = load_script(FRAMEWORK, "ae"), load_script(FRAMEWORK, "dcgan")
    path = tmp_path / f"ae_{FRAMEWORK}_{ae.CHECKPOINT}"
    network = ae.build_model(16, 1)
    ae.save_checkpoint(path, network, ae.build_optimizer(network, 0.001))
    assert [item.name for item in tmp_path.iterdir()] == [path.name]
    with pytest.raises(UserError, match="is not a checkpoint of this model"):
        dcgan.load_checkpoint(path, dcgan.build_model(16, 1))

# ----- weights ---------------------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_set_then_get_weights_is_exact(model):
    size, channels = (32, 3) if model == "dcgan" else (16, 3)
    script = load_script(FRAMEWORK, model)
    network = script.build_model(size, channels)
    weights = random_weights(model, size, channels, seed=1)
    script.set_weights(network, weights)
    got = script.get_weights(network)
    assert sorted(got) == sorted(parameter_shapes(model, size, channels))  # every tensor, no other
    for name, value in weights.items():
        assert got[name].dtype == np.float32
        np.testing.assert_array_equal(got[name], value, err_msg=name)


# ----- GAN steps touch only their own network -------------------------------------------------
def trainable(weights):
    """BN running statistics (.mean, .var) are not weights: G's forward in training mode moves them."""
    return {name: value for name, value in weights.items() if not name.endswith((".mean", ".var"))}


@pytest.mark.parametrize("model", GANS)
def test_gan_steps_update_only_their_network(model):
    script = load_script(FRAMEWORK, model)
    network, rng = script.build_model(16, 1), np.random.default_rng(2)
    script.set_weights(network, initial_weights(model, 16, 1, 0))
    optimizers = script.build_optimizer(network, 0.0002)
    real = rng.uniform(-1, 1, (4, 16, 16, 1)).astype(np.float32)
    noise = rng.standard_normal((4, 100)).astype(np.float32)

    def changes(step):
        before = trainable(script.get_weights(network))
        loss = step()
        assert np.isfinite(loss)
        after = trainable(script.get_weights(network))
        return {name: not np.array_equal(before[name], after[name]) for name in before}

    fakes = network.generator(noise)  # as train_step makes them: once, with G's graph
    real = script.images_to_tensor(real, network.device) if model == "dcgan" else real
    changed = changes(lambda: script.discriminator_step(network, optimizers, real, fakes))
    assert all(moved for name, moved in changed.items() if name.startswith("discriminator."))
    assert not any(moved for name, moved in changed.items() if name.startswith("generator."))

    changed = changes(lambda: script.generator_step(network, optimizers, fakes))
    assert all(moved for name, moved in changed.items() if name.startswith("generator."))
    assert not any(moved for name, moved in changed.items() if name.startswith("discriminator."))


# ----- parity with PyTorch ----------------------------------------------------------------------
TOLERANCE = 1e-4
# Small but not trivial: the DCGAN at 32 x 32 starts from 2 x 2 x 512, so the (height, width,
# channels) flatten order and the 5x5 stride-2 alignment both show; 3 channels everywhere.
PARITY_SETTINGS = {"ae": (16, 3), "convae": (16, 3), "gan": (16, 3), "dcgan": (32, 3)}


def assert_close(got, want, what):
    difference = float(np.max(np.abs(np.asarray(got) - np.asarray(want))))
    assert difference <= TOLERANCE, f"{what}: max difference {difference:.2e}"


def assert_weights_close(got, want):
    assert got.keys() == want.keys()
    for name in want:
        assert_close(got[name], want[name], name)


@pytest.mark.parametrize("model", MODELS)
def test_parity_with_pytorch(model):
    size, channels = PARITY_SETTINGS[model]
    ours, theirs = load_script(FRAMEWORK, model), load_script("pytorch", model)
    weights = initial_weights(model, size, channels, seed=0)
    rng = np.random.default_rng(3)
    images = rng.uniform(-1, 1, (8, size, size, channels)).astype(np.float32)
    noise = rng.standard_normal((8, 100)).astype(np.float32)
    lr = training_defaults(model)["lr"]

    def pair():
        chainer_network, torch_network = ours.build_model(size, channels), theirs.build_model(size, channels)
        ours.set_weights(chainer_network, weights)
        theirs.set_weights(torch_network, weights)
        return chainer_network, torch_network

    chainer_network, torch_network = pair()
    if model in GANS:
        for training in (False, True):
            assert_close(ours.generate(chainer_network, noise, training),
                         theirs.generate(torch_network, noise, training), f"generate(training={training})")
            assert_close(ours.discriminate(chainer_network, images, training),
                         theirs.discriminate(torch_network, images, training), f"discriminate(training={training})")
        chainer_network, torch_network = pair()  # training-mode G moved the BN statistics
        ours_losses = ours.train_step(chainer_network, ours.build_optimizer(chainer_network, lr), images, noise)
        theirs_losses = theirs.train_step(torch_network, theirs.build_optimizer(torch_network, lr), images, noise)
    else:
        assert_close(ours.reconstruct(chainer_network, images), theirs.reconstruct(torch_network, images),
                     "reconstruct")
        ours_losses = ours.train_step(chainer_network, ours.build_optimizer(chainer_network, lr), images)
        theirs_losses = theirs.train_step(torch_network, theirs.build_optimizer(torch_network, lr), images)
    assert ours_losses.keys() == theirs_losses.keys()
    for name in theirs_losses:
        assert_close(ours_losses[name], theirs_losses[name], name)
    assert_weights_close(ours.get_weights(chainer_network), theirs.get_weights(torch_network))


def test_adam_matches_pytorch_formula():
    """Chainer's Adam adds eps to sqrt(v), PyTorch's to sqrt(v / (1 - b2^t)); chainer_like_pytorch.Adam
    moves eps so that they agree. Gradients near 1e-7 show the difference most."""
    gradients = np.array([[1e-7, -3e-7, 1e-6, -2e-5, 1e-3, 0.5]] * 3, dtype=np.float32)
    gradients[1] *= -2
    start = np.linspace(-1, 1, 6).astype(np.float32)

    def run_chainer(optimizer_class):
        link = chainer.Link()
        with link.init_scope():
            link.w = chainer.Parameter(start.copy())
        optimizer = optimizer_class(alpha=0.001, beta1=0.5, beta2=0.999, eps=1e-8)
        optimizer.setup(link)
        for gradient in gradients:
            link.w.grad = gradient.copy()
            optimizer.update()
        return link.w.array

    weight = torch.nn.Parameter(torch.from_numpy(start.copy()))
    optimizer = torch.optim.Adam([weight], lr=0.001, betas=(0.5, 0.999), eps=1e-8)
    for gradient in gradients:
        weight.grad = torch.from_numpy(gradient.copy())
        optimizer.step()
    expected = weight.detach().numpy()
    np.testing.assert_allclose(run_chainer(equivalents().Adam), expected, rtol=0, atol=1e-7)
    # Chainer's own Adam is measurably off for the small gradients (why chainer_like_pytorch.Adam exists)
    assert np.abs(run_chainer(chainer.optimizers.Adam) - expected).max() > 1e-4


def test_binary_cross_entropy_matches_pytorch():
    rng = np.random.default_rng(4)
    probabilities = rng.uniform(0.001, 0.999, (16, 1)).astype(np.float32)
    probabilities[:2] = [[1.0], [0.0]]  # a saturated sigmoid, scored right: finite loss and gradient
    labels = np.concatenate([np.ones((1, 1)), np.zeros((1, 1)), rng.integers(0, 2, (14, 1))]).astype(np.float32)
    variable = chainer.Variable(probabilities.copy())
    loss = equivalents().binary_cross_entropy(variable, labels)
    loss.backward()
    tensor = torch.tensor(probabilities, requires_grad=True)
    expected = torch.nn.functional.binary_cross_entropy(tensor, torch.from_numpy(labels))
    expected.backward()
    assert abs(float(loss.array) - expected.item()) < 1e-6
    np.testing.assert_allclose(variable.grad[2:], tensor.grad.numpy()[2:], rtol=1e-5)
    assert np.all(np.isfinite(variable.grad))


def test_float64_input_is_cast_at_the_boundary():
    script = load_script(FRAMEWORK, "convae")
    network = script.build_model(16, 1)
    script.set_weights(network, initial_weights("convae", 16, 1, 0))
    images = np.random.default_rng(5).uniform(-1, 1, (2, 16, 16, 1))  # float64
    assert script.reconstruct(network, images).dtype == np.float32
    script.train_step(network, script.build_optimizer(network, 0.001), images)
    assert all(parameter.array.dtype == np.float32 for parameter in network.params())
