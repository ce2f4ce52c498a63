"""--test evaluates the trained weights, and --resume continues exactly, in every framework and
model, through main(); a checkpoint never resumes beside the state of another save.

The yardstick for --test is computed here, not by the script: PyTorch's network with the
weights the training run exported right after its last step. A --test that evaluated any
other weights (a fresh model, the initial ones) gives another figure. Keras on the torch
backend runs these checks from tests/test_keras.py's second process.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from common import data, metrics, pictures
from common.cli import parse_args
from common.errors import UserError
from common import checkpoints
from common.weights import load_weights
from conftest import MODELS, assert_same_image, load_script

IN_PROCESS = ("pytorch", "tensorflow", "keras", "chainer")
SIZE, CHANNELS = 16, 1
FLAGS = ["--size", str(SIZE), "--channels", str(CHANNELS), "--batch-size", "4", "--no-augment", "--save-every", "0"]
# The frameworks agree to 1e-4 on outputs (tests/test_parity.py); over the test set that moves
# the mean PSNR by well under 1e-3 dB, while four training steps move it by more than 0.01 dB.
PSNR_TOLERANCE_DB = 1e-3


def expected_figure(model, trained_weights, folder):
    """What --test must report for these weights, computed with PyTorch: (name, value or PNG)."""
    reference = load_script("pytorch", model)
    network = reference.build_model(SIZE, CHANNELS)
    reference.set_weights(network, load_weights(trained_weights, model, SIZE, CHANNELS))
    if model in ("ae", "convae"):
        test_images = data.load_test_set(parse_args(model, "pytorch", FLAGS)).images
        return metrics.reconstruction_quality(test_images, reference.reconstruct(network, test_images))["psnr"]
    grid = Path(folder) / "expected_samples.png"
    pictures.save_grid(grid, reference.generate(network, data.fixed_noise(64), training=False))
    return grid


def losses_of(out, model, framework):
    return json.loads((out / f"{model}_{framework}_metrics.json").read_text())["losses"]


def check_test_and_resume(framework, model, folder):
    script = load_script(framework, model)
    folder = Path(folder) / f"{framework}-{model}"
    straight, interrupted = folder / "straight", folder / "interrupted"

    script.main([*FLAGS, "--train", "--iters", "4", "--out", str(straight), "--export-weights", str(folder / "straight.npz")])
    script.main([*FLAGS, "--test", "--out", str(straight)])
    expected = expected_figure(model, folder / "straight.npz", folder)
    if model in ("ae", "convae"):
        found = json.loads((straight / f"{model}_{framework}_metrics.json").read_text())["psnr"]
        assert abs(found - expected) <= PSNR_TOLERANCE_DB, (framework, model, found, expected)
    else:
        assert_same_image(straight / f"{model}_{framework}_samples.png", expected)

    script.main([*FLAGS, "--train", "--iters", "2", "--out", str(interrupted)])
    script.main([*FLAGS, "--train", "--iters", "4", "--resume", "--out", str(interrupted),
                 "--export-weights", str(folder / "resumed.npz")])
    want, got = losses_of(straight, model, framework), losses_of(interrupted, model, framework)
    assert want.keys() == got.keys()
    for name in want:
        assert len(got[name]) == 4
        # Same process, same framework, same numbers in: only thread scheduling may differ.
        np.testing.assert_allclose(got[name], want[name], rtol=1e-5, atol=1e-6, err_msg=f"{framework} {model} {name}")
    straight_weights = load_weights(folder / "straight.npz", model, SIZE, CHANNELS)
    resumed_weights = load_weights(folder / "resumed.npz", model, SIZE, CHANNELS)
    for name, value in straight_weights.items():
        # An Adam step moves a weight by about lr (>= 2e-4): a lost optimizer state shows.
        np.testing.assert_allclose(resumed_weights[name], value, rtol=0, atol=1e-6, err_msg=f"{framework} {model} {name}")


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", IN_PROCESS)
def test_test_uses_the_trained_weights_and_resume_is_exact(framework, model, digits, tmp_path):
    check_test_and_resume(framework, model, tmp_path)


class Killed(BaseException):
    """Stands for a kill: not an Exception, so no handler in the scripts catches it."""


@pytest.mark.parametrize("framework", IN_PROCESS)
def test_a_kill_between_checkpoint_and_state_is_refused_on_resume(framework, digits, tmp_path, monkeypatch):
    script = load_script(framework, "ae")
    out = tmp_path / "out"
    write_state = checkpoints.write_state

    def killed_before_the_second_state(checkpoint, state):
        if state["iteration"] == 2:  # the checkpoint of iteration 2 is on disk, the state still says 1
            raise Killed
        write_state(checkpoint, state)

    monkeypatch.setattr(checkpoints, "write_state", killed_before_the_second_state)
    with pytest.raises(Killed):
        script.main([*FLAGS, "--train", "--iters", "3", "--save-every", "1", "--out", str(out)])
    monkeypatch.setattr(checkpoints, "write_state", write_state)
    assert json.loads((out / f"ae_{framework}_checkpoint.json").read_text())["iteration"] == 1
    with pytest.raises(UserError, match="a save was interrupted"):
        script.main([*FLAGS, "--train", "--iters", "3", "--resume", "--out", str(out)])
