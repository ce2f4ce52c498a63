"""The mutation list (tools/mutate.py) follows the code: every snippet is still in its file exactly
once, so a change to common/ or a script that moves one shows here, not months later as a
mutation run that refuses to start. Nothing is mutated or run here."""

import shlex
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import mutate  # noqa: E402


def test_every_mutation_still_finds_its_snippet_exactly_once():
    assert mutate.problems() == []


def test_every_mutation_names_tests_that_exist():
    for number, mutation in enumerate(mutate.MUTATIONS, 1):
        files = [argument.split("::")[0] for argument in mutation.tests if argument.startswith("tests/")]
        assert files, f"mutation {number} names no test file: {shlex.join(mutation.tests)}"
        for file in files:
            assert (REPO / file).is_file(), f"mutation {number}: no {file}"
        for argument in mutation.tests:
            if "::" in argument:  # a node id: the test function must still exist under that name
                file, name = argument.split("::")
                assert f"def {name.split('[')[0]}(" in (REPO / file).read_text(), f"mutation {number}: no {argument}"


def test_the_list_covers_what_a_run_passes_through_and_leaves_the_dcgan_alone():
    """At least 25 bugs, in every common/ module a training run imports (common/architectures.py
    and the DCGAN scripts are changed elsewhere: their mutations would rot at once)."""
    files = {mutation.file for mutation in mutate.MUTATIONS}
    assert len(mutate.MUTATIONS) >= 25
    for module in ("harness", "training_run", "cli", "data/__init__", "data/augment", "data/images", "checkpoints",
                   "outputs", "pictures", "records", "metrics", "watch", "digit_score", "weights", "defaults", "files", "paths",
                   "errors", "data/digits", "contract", "data/datasets"):
        assert f"common/{module}.py" in files, module
    assert not [file for file in files if file.endswith("dcgan.py") or file == "common/architectures.py"]


def test_a_snippet_that_is_gone_is_refused_in_one_line(tmp_path, capsys, monkeypatch):
    gone = mutate.Mutation("common/paths.py", "no such text", "other text", ("tests/test_data.py",), "a bug")
    monkeypatch.setattr(mutate, "MUTATIONS", [*mutate.MUTATIONS, gone])
    assert mutate.main(["--list"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith(f"error: mutation {len(mutate.MUTATIONS)} (common/paths.py")
    assert "0 times, not once" in error


def test_the_tool_tells_a_caught_mutant_from_a_survivor():
    """Two mutations run for real, each in its own copy of the repository: a PSNR formula the
    tests see, and a comment they cannot."""
    psnr = mutate.Mutation("common/metrics.py", "values = 10.0 * np.log10(DATA_RANGE**2 / mse)",
                           "values = 10.0 * np.log10(DATA_RANGE / mse)",
                           ("tests/test_metrics.py::test_psnr_of_a_known_mse",), "PSNR without the square")
    comment = mutate.Mutation("common/metrics.py", "PSNR_CAP = 100.0  # dB;", "PSNR_CAP = 100.0  # decibels;",
                              ("tests/test_metrics.py::test_psnr_of_a_known_mse",), "a comment reworded",
                              equivalent="a comment")
    assert mutate.problems([psnr, comment]) == []
    result, note, _ = mutate.run_one(psnr, workers=0, timeout=300)
    assert (result, note) == ("caught", "tests/test_metrics.py::test_psnr_of_a_known_mse")
    assert mutate.run_one(comment, workers=0, timeout=300)[0] == "survived"
    assert "equivalent: a comment" in mutate.table([psnr, comment], {1: (result, note, 1.0), 2: ("survived", "", 1.0)})
    assert (REPO / "common" / "metrics.py").read_text().count("DATA_RANGE**2 / mse") == 1  # the repository untouched
