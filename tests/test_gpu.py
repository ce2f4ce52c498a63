"""The GPU paths, where a framework sees a GPU (tests marked `gpu`, skipped elsewhere with the
reason), and tools/gpu_check.py, which runs anywhere: on a machine without a GPU it checks the
CPU runs and says that no framework sees one.

    python -m pytest tests/test_gpu.py            # the checker's tests; the gpu ones where there is one
    python -m pytest -m gpu                       # only the tests that need a GPU
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from common.errors import UserError
from common.out_of_memory import OutOfMemory
from conftest import PYTHON, REPO, load_script, run_script

sys.path.insert(0, str(REPO / "tools"))
import gpu_check  # noqa: E402

# PyTorch's GAN is linear layers only: its matrix products stay float32 on a GPU (PyTorch's default
# float32 matmul precision is "highest", no TF32; cuDNN's TF32 default concerns convolutions, which
# this model has none of). The two devices then differ only in the order of their sums, about 1e-7
# of each product; 1e-4 is the tolerance the four frameworks meet against each other on the CPU
# (tools/parity.py). Later iterations add Adam's steps, +-lr for each weight whatever its gradient's
# last bits, except where a gradient near 0 changes sign: 1e-2 lets those through and still fails a
# step that did nothing (D's loss falls 1.9% from iteration 1 to 2 at the defaults).
FIRST_ITERATION_TOLERANCE = 1e-4
LATER_TOLERANCE = 1e-2


def sees_gpu(framework, model="gan"):
    """Skip the test unless the framework's own choose_device finds a GPU (as --device cuda does)."""
    try:
        script = load_script(framework, model)
    except ImportError as error:
        pytest.skip(f"{framework} is not installed ({error})")
    try:
        script.choose_device("cuda")
    except UserError as error:
        pytest.skip(f"no GPU: {error}")
    return script


def losses(out, model, framework):
    return json.loads((out / f"{model}_{framework}_metrics.json").read_text())["losses"]


# ----- on a GPU -------------------------------------------------------------------------------------
@pytest.mark.gpu
def test_pytorch_gan_on_the_gpu_gives_the_cpus_losses(digits, tmp_path):
    sees_gpu("pytorch")
    found = {}
    for device in ("cpu", "cuda"):
        run = run_script("pytorch", "gan", "--iters", "3", "--device", device, "--out", tmp_path / device)
        assert run.returncode == 0, run.stderr[-3000:]
        found[device] = losses(tmp_path / device, "gan", "pytorch")
        assert (tmp_path / device / "gan_pytorch_samples.png").is_file()
    for name, cpu in found["cpu"].items():
        gpu = np.array(found["cuda"][name])
        assert len(gpu) == 3 and np.all(np.isfinite(gpu)), (name, gpu)
        relative = np.abs(gpu - cpu) / np.abs(cpu)
        assert relative[0] <= FIRST_ITERATION_TOLERANCE, (name, cpu, gpu)
        assert relative.max() <= LATER_TOLERANCE, (name, cpu, gpu)


@pytest.mark.gpu
def test_pytorch_dcgan_trains_and_tests_on_the_gpu(digits, tmp_path):
    """Convolutions on cuDNN (in TF32 by PyTorch's default): finite losses and every file."""
    sees_gpu("pytorch", "dcgan")
    run = run_script("pytorch", "dcgan", "--iters", "3", "--device", "cuda", "--out", tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert all(np.all(np.isfinite(values)) for values in losses(tmp_path, "dcgan", "pytorch").values())
    assert (tmp_path / "dcgan_pytorch_samples.png").is_file()


# A real allocation failure on the GPU: the process may use LIMIT. The DCGAN at --size 64 has 12.6
# million weights (50 MB, which fit); at --batch-size 512 one of G's layers alone outputs 134 MB,
# so the first training step runs out, inside the training loop.
LIMIT = 96 * 2**20


@pytest.mark.gpu
def test_pytorch_running_out_of_gpu_memory_is_one_sentence(digits, tmp_path):
    script = sees_gpu("pytorch", "dcgan")
    import torch
    torch.cuda.set_per_process_memory_fraction(LIMIT / torch.cuda.get_device_properties(0).total_memory)
    try:
        with pytest.raises(OutOfMemory, match=r"^the GPU ran out of memory at iteration 1 \(--batch-size 512, --size 64\): "
                                              r"lower --batch-size or --size\. No checkpoint was saved before it$"):
            script.main(["--size", "64", "--batch-size", "512", "--iters", "2", "--device", "cuda", "--train",
                         "--out", str(tmp_path)])
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)
        torch.cuda.empty_cache()


@pytest.mark.gpu
def test_chainer_running_out_of_gpu_memory_is_one_sentence(digits, tmp_path):
    """CuPy's memory pool limited to LIMIT: CuPy's own OutOfMemoryError."""
    script = sees_gpu("chainer", "dcgan")
    import cupy
    pool = cupy.get_default_memory_pool()
    pool.set_limit(size=LIMIT)
    try:
        with pytest.raises(OutOfMemory, match=r"^the GPU ran out of memory at iteration 1 \(--batch-size 512, --size 64\)"):
            script.main(["--size", "64", "--batch-size", "512", "--iters", "2", "--device", "cuda", "--train",
                         "--out", str(tmp_path)])
    finally:
        pool.set_limit(size=0)  # no limit
        pool.free_all_blocks()


# ----- the checker, without a GPU ---------------------------------------------------------------------
DOC = f"""# Some title

Prose before.

{gpu_check.DOC_START}
the old table
{gpu_check.DOC_END}

Prose after.
"""


def test_the_checker_without_a_gpu_says_so_and_writes_the_cpu_table(digits, tmp_path):
    doc = tmp_path / "gpu.md"
    doc.write_text(DOC)
    finished = subprocess.run([PYTHON, str(REPO / "tools" / "gpu_check.py"), "--only", "pytorch/gan", "--iters", "2",
                               "--doc", str(doc)], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})  # no GPU, whatever the machine has
    assert finished.returncode == 0, finished.stdout + finished.stderr[-3000:]
    assert "no framework here sees a GPU: CPU runs only" in finished.stdout.splitlines()
    written = doc.read_text()
    assert written.startswith("# Some title\n\nProse before.\n\n") and written.endswith("\n\nProse after.\n")
    assert "the old table" not in written
    rows = [line for line in written.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| script | CPU | GPU | CPU s/it | GPU s/it |")
    cells = [cell.strip() for cell in rows[1].strip("|").split("|")]
    assert len(rows) == 2 and cells[:3] == ["pytorch/gan", "ok", "no GPU visible"]
    assert float(cells[3]) > 0 and cells[4] == "-" and cells[7:] == ["-", "-"]
    assert "no GPU visible to any framework" in written and "`python tools/gpu_check.py --only pytorch/gan`" in written


def fake_probes(found):
    return lambda variant, timeout: found[variant]


def test_a_failing_framework_stops_nothing_and_absent_ones_are_listed_not_failed(tmp_path, monkeypatch, capsys):
    """No process started: the probes and runs are stand-ins, the bookkeeping around them is real."""
    probes = {"pytorch": {"missing": [], "versions": {"torch": "2.13.0"}, "gpu": True, "device": "NVIDIA H200"},
              "tensorflow": {"missing": ["tensorflow"], "versions": {}, "gpu": False},
              "chainer": {"missing": [], "versions": {"chainer": "7.8.1"}, "gpu": False, "device": None,
                          "detail": "--device cuda: Chainer sees no GPU"}}
    monkeypatch.setattr(gpu_check, "ask", fake_probes(probes))
    monkeypatch.setattr(gpu_check, "make_digits", lambda: None)
    ran = []

    def run_one(variant, model, device, out, iterations, timeout):
        ran.append((variant, model, device))
        if (variant, model, device) == ("pytorch", "ae", "cuda"):
            return {"status": "FAILED (exit 1): RuntimeError: CUDA error", "seconds": 1.0}
        losses = {"d_loss": [1.0, 2.0]} if device == "cpu" else {"d_loss": [1.00001, 2.002]}
        return {"status": "ok", "seconds": 2.0, "per_iteration": 0.5 if device == "cpu" else 0.05, "losses": losses}

    monkeypatch.setattr(gpu_check, "run_one", run_one)
    doc = tmp_path / "gpu.md"
    doc.write_text(DOC)
    status = gpu_check.main(["--only", "pytorch/ae", "pytorch/gan", "tensorflow/gan", "chainer/gan", "--iters", "2",
                             "--doc", str(doc)])
    assert status == 1  # the failed GPU run
    assert ran == [("pytorch", "ae", "cpu"), ("pytorch", "ae", "cuda"), ("pytorch", "gan", "cpu"),
                   ("pytorch", "gan", "cuda"), ("chainer", "gan", "cpu")]
    rows = {line.split(" | ")[0][2:]: [cell.strip() for cell in line.strip("|").split("|")]
            for line in doc.read_text().splitlines() if line.startswith("| ") and not line.startswith("| script")}
    assert rows["pytorch/ae"][1:3] == ["ok", "FAILED (exit 1): RuntimeError: CUDA error"]
    assert rows["pytorch/gan"][1:] == ["ok", "ok", "0.5000", "0.0500", "2.0", "2.0", "1.0e-05", "1.0e-03"]
    assert rows["tensorflow/gan"][1:3] == ["not installed (tensorflow)", "not installed"]
    assert rows["chainer/gan"][1:3] == ["ok", "no GPU visible"]
    output = capsys.readouterr().out
    assert "no framework here sees a GPU" not in output and "tensorflow: not installed (tensorflow)" in output
    assert "GPU: NVIDIA H200" in doc.read_text()
    # Without the failing run: a framework not installed and one without a GPU are no failure.
    assert gpu_check.main(["--only", "tensorflow", "chainer/gan", "--iters", "2", "--no-doc"]) == 0


def test_a_bad_name_for_only_is_one_line(tmp_path):
    finished = subprocess.run([PYTHON, str(REPO / "tools" / "gpu_check.py"), "--only", "pytorch/vae", "--no-doc"],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2 and finished.stderr.count("\n") == 1 and "Traceback" not in finished.stderr
    assert finished.stderr.startswith("error: --only pytorch/vae: name a script as <framework>/<model>")
