"""The four frameworks compute the same networks (issue: prove it, to the number).

One set of canonical weights, one batch and one noise batch go into PyTorch, TensorFlow,
Keras (TensorFlow and torch backends) and Chainer; everything is compared with PyTorch.
"""

import json
import sys

import numpy as np
import pytest

from common.architectures import parameter_shapes
from conftest import MODELS, REPO, load_script, run_script

sys.path.insert(0, str(REPO / "tools"))
import parity  # noqa: E402

IN_PROCESS = ("pytorch", "tensorflow", "keras", "chainer")


@pytest.fixture(scope="module")
def measurements(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    found = parity.run_in_process(IN_PROCESS, MODELS, folder)
    for model, columns in parity.run_keras_on_torch(MODELS, folder).items():
        found[model].update(columns)
    return found


def other_columns(measurements, model):
    columns = [column for column in measurements[model] if column != "pytorch"]
    assert len(columns) == 4, columns  # tensorflow, keras on both backends, chainer
    return columns


@pytest.mark.parametrize("model", MODELS)
def test_same_parameters_tensor_by_tensor(measurements, model):
    expected = {name: list(shape) for name, shape in parameter_shapes(model, parity.SIZE, parity.CHANNELS).items()}
    for column, result in measurements[model].items():
        assert result["shapes"] == expected, column


@pytest.mark.parametrize("model", MODELS)
def test_same_outputs_in_training_and_inference_mode(measurements, model):
    reference = measurements[model]["pytorch"]
    for column in other_columns(measurements, model):
        for key in ("output", "output_training_mode", "scores"):
            if key in reference:
                assert parity.largest_gap(reference[key], measurements[model][column][key]) <= parity.TOLERANCE, \
                    (model, column, key)


@pytest.mark.parametrize("model", MODELS)
def test_same_losses_and_weights_after_one_iteration(measurements, model):
    reference = measurements[model]["pytorch"]
    for column in other_columns(measurements, model):
        report = parity.differences(reference, measurements[model][column], model)
        assert report["losses"] <= parity.TOLERANCE, (model, column, report)
        assert report["weights_after"] <= parity.WEIGHT_TOLERANCE[model], (model, column, report)
        assert report["weights_beyond"] <= parity.BEYOND_SHARE[model] * report["weights_total"], (model, column, report)


def test_the_comparison_sees_every_element_and_nan():
    """The measure itself: one element off, or one NaN, anywhere in a tensor, is what it reports."""
    weights = {"a": np.zeros((1000,), np.float32), "b": np.zeros((1,), np.float32)}
    reference = {"shapes": {}, "output": np.zeros(3, np.float32), "losses": {"loss": 0.5}, "weights_after": weights}
    for name, index, value in (("a", 7, 3e-4), ("b", 0, 2e-4), ("a", 999, np.nan)):
        changed = {key: tensor.copy() for key, tensor in weights.items()}
        changed[name][index] = value
        report = parity.differences(reference, {**reference, "weights_after": changed}, "ae")
        assert report["weights_after"] == (np.inf if np.isnan(value) else np.float32(value)), (name, value)
        assert report["weights_beyond"] == 1 and not parity.passes(report, "ae")
    report = parity.differences(reference, {**reference, "output": np.array([0, np.nan, 0], np.float32)}, "ae")
    assert report["output"] == np.inf and not parity.passes(report, "ae")


@pytest.mark.parametrize("model", MODELS)
def test_whole_scripts_agree_over_three_iterations(model, digits, tmp_path):
    """Same --init-weights, --seed, no augmentation: the same losses, iteration by iteration."""
    weights = tmp_path / "start.npz"
    shape = ["--size", "32", "--channels", "3", "--batch-size", "4", "--train"]
    load_script("pytorch", model).main([*shape, "--iters", "0", "--out", str(tmp_path / "export"),
                                        "--export-weights", str(weights)])
    flags = [*shape, "--iters", "3", "--seed", "0", "--no-augment", "--init-weights", str(weights)]
    losses = {}
    for framework in IN_PROCESS:
        out = tmp_path / framework
        load_script(framework, model).main([*flags, "--out", str(out)])
        losses[framework] = json.loads((out / f"{model}_{framework}_metrics.json").read_text())["losses"]
    finished = run_script("keras", model, *flags, "--out", tmp_path / "keras-torch", env={"KERAS_BACKEND": "torch"})
    assert finished.returncode == 0, finished.stderr
    losses["keras (torch)"] = json.loads((tmp_path / "keras-torch" / f"{model}_keras_metrics.json").read_text())["losses"]

    for column, found in losses.items():
        assert found.keys() == losses["pytorch"].keys(), column
        for name, values in found.items():
            assert len(values) == 3
            # The README's figure: every loss within 1e-4 of PyTorch's (they are of order 0.1 to 1).
            assert parity.largest_gap(losses["pytorch"][name], values) <= parity.TOLERANCE, (model, column, name, values)
