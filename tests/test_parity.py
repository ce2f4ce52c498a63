"""The four frameworks compute the same networks (issue: prove it, to the number).

One set of canonical weights, one batch and one noise batch go into PyTorch, TensorFlow,
Keras (TensorFlow and torch backends) and Chainer; everything is compared with PyTorch.
"""

import json
import sys

import numpy as np
import pytest

from common.architectures import parameter_shapes
from conftest import REPO, load_script, run_script

sys.path.insert(0, str(REPO / "tools"))
import parity  # noqa: E402

MODELS = ("ae", "convae", "gan", "dcgan")
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
                np.testing.assert_allclose(measurements[model][column][key], reference[key], rtol=0, atol=parity.TOLERANCE,
                                           err_msg=f"{model} {column} {key}")


@pytest.mark.parametrize("model", MODELS)
def test_same_losses_and_weights_after_one_iteration(measurements, model):
    reference = measurements[model]["pytorch"]
    for column in other_columns(measurements, model):
        result = measurements[model][column]
        for name, value in reference["losses"].items():
            assert abs(result["losses"][name] - value) <= parity.TOLERANCE, (model, column, name)
        report = parity.differences(reference, result)
        assert report["weights_agree"], (model, column, report)
        assert report["weights_after"] <= parity.TOLERANCE, (model, column, report)


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
            np.testing.assert_allclose(values, losses["pytorch"][name], rtol=1e-3, err_msg=f"{model} {column} {name}")
