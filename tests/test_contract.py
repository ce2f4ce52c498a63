"""Every script follows the written contract (common/contract.py), and the harness says in one
line what a module lacks instead of failing somewhere inside the training loop."""

import ast
import inspect
import types

import pytest

from common import harness
from common.contract import PLUMBING, AutoEncoderScript, GANScript, bind, check_script, expected_protocol
from common.errors import UserError
from conftest import FRAMEWORKS, MODELS, REPO, load_script

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
    with pytest.raises(UserError, match="does not provide train_step"):
        harness.main(fake_script("gan", train_step=None), ["--help"])


def test_the_plumbing_comes_from_the_support_module_beside_the_script():
    """A script names only what its lesson uses; the device, the checkpoint and the canonical
    weights come from its framework's support module, and the script's own name wins."""
    bound = bind(fake_script("gan", CHECKPOINT=None, save_checkpoint=None))
    import torch_support
    assert bound.CHECKPOINT == torch_support.CHECKPOINT and bound.save_checkpoint is torch_support.save_checkpoint
    own = bind(fake_script("gan", CHECKPOINT="mine.pt"))
    assert own.CHECKPOINT == "mine.pt"
    with pytest.raises(UserError, match="sets no FRAMEWORK"):
        bind(fake_script("gan", FRAMEWORK="jax"))


# ----- the house: a script names only what its lesson uses ------------------------------------------
def names_from_common(path):
    """The names a file imports from common/ (the repository's shared package)."""
    tree = ast.parse(path.read_text())
    return [alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] == "common" for alias in node.names]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_script_names_at_most_eight_things_from_common_and_no_plumbing(framework):
    """The plumbing (the device, the checkpoint, the canonical weights) comes from the support
    module beside the script through common/contract.bind: a script imports nothing only to
    hand it on, and a DCGAN script, the largest, names at most 8 things from common/."""
    for model in MODELS:
        path = REPO / framework / f"{model}.py"
        names = names_from_common(path)
        assert len(names) <= 8, f"{path.name} in {framework}/ names {len(names)} things from common/: {names}"
        imported = {alias.asname or alias.name for node in ast.walk(ast.parse(path.read_text()))
                    if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        assert not imported & set(PLUMBING), f"{framework}/{model}.py imports plumbing: {imported & set(PLUMBING)}"


def test_the_training_loop_has_no_try_inside():
    """harness.train's loop reads as the loop of any tutorial: what can go wrong in a step is
    named where the loop's `with TrainingRun(...)` block ends, not inside the loop."""
    tree = ast.parse((REPO / "common" / "harness.py").read_text())
    train = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "train")
    loops = [node for node in ast.walk(train) if isinstance(node, ast.For)]
    assert len(loops) == 1
    assert not [node for node in ast.walk(loops[0]) if isinstance(node, ast.Try)]
    assert len(loops[0].body) <= 4, "one line a step: the batch, train_step, and what comes after it"
