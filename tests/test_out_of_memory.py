"""A GPU (or the machine) that runs out of memory ends the run with one line that names the flags
to lower, and the last checkpoint is kept, in every framework (common/out_of_memory.py).

No test here runs out of memory for real: the script's train_step (or its test) is replaced by one
that raises the framework's own out-of-memory error, with the message the framework writes. Where
a framework is not installed (CuPy, here) a stand-in class with the real class's name and module
takes its place: the harness tells them apart by name and message, never by importing them."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from common import checkpoints, language
from common.errors import run_main
from common.out_of_memory import OutOfMemory, out_of_memory_error, stop_if_out_of_memory, where
from conftest import load_script

SMALL = ["--size", "16", "--channels", "1", "--batch-size", "4", "--no-augment"]
TORCH_GPU = "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 139.72 GiB of which 1.06 GiB is free."
TF_GPU = ("OOM when allocating tensor with shape[512,512,64,64] and type float on "
          "/job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc")
CUPY_GPU = "Out of memory allocating 2,147,483,648 bytes (allocated so far: 1,024 bytes)."
NUMPY_CPU = "Unable to allocate 8.00 GiB for an array with shape (512, 4194304) and data type float32"
TORCH_CPU = "DefaultCPUAllocator: can't allocate memory: you tried to allocate 8589934592 bytes. Error code 12"


def stand_in(module, name, base):
    """A class named as the framework's, for a machine without that framework."""
    return type(name, (base,), {"__module__": module})


def torch_out_of_memory():
    try:
        import torch
        return torch.OutOfMemoryError(TORCH_GPU)  # torch.cuda.OutOfMemoryError is this class
    except ImportError:
        return stand_in("torch", "OutOfMemoryError", RuntimeError)(TORCH_GPU)


def tensorflow_out_of_memory():
    try:
        from common import quiet_tensorflow  # noqa: F401  (a tensorflow/ folder is not TensorFlow)
        import tensorflow as tf
        return tf.errors.ResourceExhaustedError(None, None, TF_GPU)
    except ImportError:
        return stand_in("tensorflow.python.framework.errors_impl", "ResourceExhaustedError", Exception)(TF_GPU)


def cupy_out_of_memory():
    try:
        import cupy
        return cupy.cuda.memory.OutOfMemoryError(2147483648, 1024)
    except ImportError:
        return stand_in("cupy.cuda.memory", "OutOfMemoryError", MemoryError)(CUPY_GPU)


def keras_out_of_memory():
    import keras
    return tensorflow_out_of_memory() if keras.backend.backend() == "tensorflow" else torch_out_of_memory()


ERRORS = {"pytorch": torch_out_of_memory, "tensorflow": tensorflow_out_of_memory, "keras": keras_out_of_memory,
          "chainer": cupy_out_of_memory}


# ----- told by name and message -----------------------------------------------------------------
@pytest.mark.parametrize("make, expected_where", [
    (lambda: stand_in("torch", "OutOfMemoryError", RuntimeError)(TORCH_GPU), "the GPU"),
    (lambda: stand_in("torch.cuda", "OutOfMemoryError", RuntimeError)(TORCH_GPU), "the GPU"),
    (lambda: stand_in("tensorflow.python.framework.errors_impl", "ResourceExhaustedError", Exception)(TF_GPU), "the GPU"),
    (lambda: stand_in("cupy.cuda.memory", "OutOfMemoryError", MemoryError)(CUPY_GPU), "the GPU"),
    (lambda: stand_in("numpy._core._exceptions", "_ArrayMemoryError", MemoryError)(NUMPY_CPU), "the machine"),
    (lambda: MemoryError(), "the machine"),
    (lambda: RuntimeError(TORCH_CPU), "the machine"),
    (lambda: RuntimeError("cuDNN error: CUDNN_STATUS_NOT_ENOUGH_MEMORY"), "the GPU"),
    (lambda: RuntimeError("CUDA error: out of memory"), "the GPU"),
])
def test_each_frameworks_out_of_memory_error_is_recognised_without_importing_it(make, expected_where):
    error = make()
    assert out_of_memory_error(error) is error
    assert where(error) == expected_where


def test_an_out_of_memory_error_behind_another_is_found_and_other_errors_are_not_taken_for_one():
    try:
        try:
            raise stand_in("torch", "OutOfMemoryError", RuntimeError)(TORCH_GPU)
        except RuntimeError as inner:
            raise ValueError("a step failed") from inner
    except ValueError as outer:
        assert type(out_of_memory_error(outer)).__name__ == "OutOfMemoryError"
    for error in (RuntimeError("mat1 and mat2 shapes cannot be multiplied (4x256 and 512x1)"),
                  RuntimeError("CUDA error: device-side assert triggered"), ValueError("negative dimensions"),
                  stand_in("tensorflow.python.framework.errors_impl", "InvalidArgumentError", Exception)("bad shape")):
        assert out_of_memory_error(error) is None, error


# ----- in the training loop: one line, the last checkpoint kept ------------------------------------
def raise_at(script, iteration, error, monkeypatch):
    """Make the script's train_step raise `error` at `iteration` (from 1); return the weights it was
    handed then: those of the iteration before, which the last checkpoint must hold."""
    step, calls, handed = script.train_step, [], {}

    def failing(model, optimizer, *batch):
        calls.append(1)
        if len(calls) == iteration:
            handed.update(script.get_weights(model))
            raise error
        return step(model, optimizer, *batch)

    monkeypatch.setattr(script, "train_step", failing)
    return handed


@pytest.mark.parametrize("framework", ERRORS)
def test_running_out_of_memory_stops_with_one_sentence_and_keeps_the_last_checkpoint(framework, digits, tmp_path,
                                                                                    monkeypatch):
    script, out = load_script(framework, "ae"), tmp_path / "out"
    handed = raise_at(script, 5, ERRORS[framework](), monkeypatch)
    flags = [*SMALL, "--iters", "10", "--save-every", "2", "--train", "--out", str(out)]
    with pytest.raises(OutOfMemory) as raised:
        script.main(flags)
    assert str(raised.value) == ("the GPU ran out of memory at iteration 5 (--batch-size 4, --size 16): lower "
                                 "--batch-size or --size. The checkpoint of iteration 4 is kept")
    metrics = json.loads((out / f"ae_{framework}_metrics.json").read_text())
    assert metrics["stopped"].startswith("the GPU ran out of memory at iteration 5")
    assert len(metrics["losses"]["loss"]) == 4
    network = script.build_model(16, 1)
    iteration, _ = checkpoints.load(script, out / f"ae_{framework}_{script.CHECKPOINT}", network, None, 16, 1)
    assert iteration == 4
    for name, value in script.get_weights(network).items():
        np.testing.assert_array_equal(value, handed[name], err_msg=name)
    monkeypatch.undo()
    script.main([*flags, "--resume"])  # and the run goes on from it
    assert len(json.loads((out / f"ae_{framework}_metrics.json").read_text())["losses"]["loss"]) == 10


def test_out_of_memory_on_the_cpu_names_the_machine_and_before_any_save_says_so(digits, tmp_path, monkeypatch):
    script = load_script("pytorch", "ae")
    raise_at(script, 3, MemoryError(NUMPY_CPU), monkeypatch)
    with pytest.raises(OutOfMemory, match=r"^the machine ran out of memory at iteration 3 \(--batch-size 4, --size 16\): "
                                          r"lower --batch-size or --size\. No checkpoint was saved before it$"):
        script.main([*SMALL, "--iters", "10", "--save-every", "0", "--train", "--out", str(tmp_path)])


# ----- on the command line: one line, never a traceback ---------------------------------------------
def error_lines(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_the_command_line_shows_one_line_in_training_and_in_the_test(digits, tmp_path, monkeypatch, capsys):
    script, out = load_script("pytorch", "ae"), tmp_path / "out"
    raise_at(script, 2, torch_out_of_memory(), monkeypatch)
    with pytest.raises(SystemExit) as exited:
        run_main(script.main, [*SMALL, "--iters", "5", "--out", str(out)])
    assert exited.value.code == 2
    assert error_lines(capsys) == ["error: the GPU ran out of memory at iteration 2 (--batch-size 4, --size 16): lower "
                                   "--batch-size or --size. No checkpoint was saved before it"]
    monkeypatch.undo()
    script.main([*SMALL, "--iters", "1", "--train", "--out", str(out)])
    capsys.readouterr()

    def reconstruct(model, images):  # the test reconstructs in batches of --batch-size
        raise torch_out_of_memory()

    monkeypatch.setattr(script, "reconstruct", reconstruct)
    with pytest.raises(SystemExit) as exited:
        run_main(script.main, [*SMALL, "--test", "--out", str(out)])
    assert exited.value.code == 2
    assert error_lines(capsys) == ["error: the GPU ran out of memory: lower --batch-size or --size"]


def test_the_sentence_comes_in_japanese_and_metrics_keep_english():
    """Under --lang ja the learner reads the Japanese sentence; what metrics.json keeps stays English."""
    error = type("OutOfMemoryError", (RuntimeError,), {"__module__": "torch.cuda"})("CUDA out of memory")
    language.choose(["--lang", "ja"])
    try:
        with pytest.raises(OutOfMemory) as raised:
            stop_if_out_of_memory(error, 4, SimpleNamespace(batch_size=512, size=64))
    finally:
        language.choose([])
    assert str(raised.value) == ("5 回目の反復で GPU のメモリが足りなくなりました（--batch-size 512、--size 64）。"
                                 "--batch-size か --size を小さくしてください")
    assert raised.value.english == ("the GPU ran out of memory at iteration 5 (--batch-size 512, --size 64): lower "
                                    "--batch-size or --size")
