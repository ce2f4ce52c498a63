"""Every script follows the written contract (common/contract.py), and the harness says in one
line what a module lacks instead of failing somewhere inside the training loop."""

import inspect
import types

import pytest

from common import harness
from common.contract import AutoEncoderScript, GANScript, check_script, expected_protocol
from common.errors import UserError
from conftest import REPO, load_script

FRAMEWORKS = ("pytorch", "tensorflow", "keras", "chainer")
MODELS = ("ae", "convae", "gan", "dcgan")
# A script is its lesson: the issue's ~150 lines, plus one "# exercise:" marker line per part a
# learner writes (tools/make_exercises.py; a DCGAN marks 7 to 9 parts).
LESSON_LINES = 180


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_script_provides_the_contract(framework, model):
    script = load_script(framework, model)
    assert (script.MODEL, script.FRAMEWORK) == (model, framework)
    assert check_script(script) is script
    assert isinstance(script, expected_protocol(model))
    # The harness passes the device as the third argument of build_model.
    assert "device" in inspect.signature(script.build_model).parameters


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_script_ends_in_the_harness_and_stays_short(framework, model):
    source = (REPO / framework / f"{model}.py").read_text()
    assert "harness.main(sys.modules[__name__], argv)" in source
    for leftover in ("def train(", "def test(", "data.Batches(", "log.iterations()"):
        assert leftover not in source, f"{framework}/{model}.py still runs its own loop ({leftover})"
    assert len(source.splitlines()) <= LESSON_LINES


def fake_script(model, **missing_or_extra):
    """A module with every name of the contract, as a script would be, minus/plus some."""
    module = types.ModuleType("attempt")
    module.MODEL, module.FRAMEWORK, module.CHECKPOINT = model, "pytorch", "checkpoint.pt"
    protocol = GANScript if model in ("gan", "dcgan") else AutoEncoderScript
    for name in dir(protocol):
        if not name.startswith("_") and callable(getattr(protocol, name)):
            setattr(module, name, lambda *args, **kwargs: None)
    for name, value in missing_or_extra.items():
        if value is None:
            delattr(module, name)
        else:
            setattr(module, name, value)
    return module


def test_a_complete_module_passes_and_a_missing_function_is_named():
    check_script(fake_script("dcgan"))
    with pytest.raises(UserError, match="does not provide discriminate, generate"):
        check_script(fake_script("dcgan", generate=None, discriminate=None))
    with pytest.raises(UserError, match="does not provide reconstruct"):
        check_script(fake_script("ae", reconstruct=None))
    with pytest.raises(UserError, match="MODEL"):
        check_script(fake_script("ae", MODEL="vae"))


def test_the_harness_refuses_an_incomplete_script_before_reading_flags():
    with pytest.raises(UserError, match="does not provide save_checkpoint"):
        harness.main(fake_script("gan", save_checkpoint=None), ["--help"])
