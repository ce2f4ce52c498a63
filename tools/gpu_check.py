"""Run every script briefly on the CPU and, where its framework sees one, on the GPU: check what each
run leaves, compare the two devices' first losses, time both, and write the table into docs/gpu.md.

    python tools/gpu_check.py                  # the sixteen scripts, Keras on both of its backends
    bash tools/gpu_check.sh                    # the same, with the repository's .venv if there is one
    python tools/gpu_check.py --only pytorch/gan keras-torch   # one script, or a framework's four
    python tools/gpu_check.py --no-doc         # print the table, leave docs/gpu.md as it is

Each run is the script's own command (`--iters 5 --device cpu` or `--device cuda`, a progress grid
at the last iteration, then its test) in a fresh process with a time limit, so a framework that
fails or hangs stops nothing else. A run passes when it exits 0 and leaves a metrics.json whose
losses are all finite and the pictures of its kind (the progress grid; a GAN's samples, an AE's
reconstructions). Both devices start from the same weights and see the same batches and noise,
so their losses differ only by the devices' arithmetic (docs/gpu.md, "Numerics"): the table gives
the largest relative difference at the first iteration, where only the forward pass differs, and
over all of them, where the steps' differences add up.

Whether a framework sees a GPU is asked of the script's own support module (its choose_device
with --device cuda), in a process of its own: PyTorch through torch.cuda.is_available(),
TensorFlow through tf.config.list_physical_devices("GPU"), Keras through its backend's, Chainer
through CuPy. A framework that is not installed, or sees no GPU, is listed as such, not failed.
"""

import argparse
import datetime
import importlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common.contract import SUPPORT_MODULES as SUPPORT  # noqa: E402
from common.errors import UserError, run_main  # noqa: E402
from common.files import between_markers  # noqa: E402
from common.paths import output_name  # noqa: E402

VARIANTS = ("pytorch", "tensorflow", "keras", "keras-torch", "chainer")  # keras: on TensorFlow
MODELS = ("ae", "convae", "gan", "dcgan")
GANS = ("gan", "dcgan")
PACKAGES = {"pytorch": ("torch",), "tensorflow": ("tensorflow",), "keras": ("keras", "tensorflow"),
            "keras-torch": ("keras", "torch"), "chainer": ("chainer",)}
DOC = REPO / "docs" / "gpu.md"
DOC_START, DOC_END = "<!-- gpu-check:start -->", "<!-- gpu-check:end -->"
ITERATIONS = 5  # enough for the steps' differences to show, a few seconds a run even on two cores
RUN_TIMEOUT = 240  # s a run may take: a first CuPy run compiles its kernels
PROBE_TIMEOUT = 120  # s to import a framework and ask it for a GPU
BUDGET = 450  # s for the whole check: runs that would start later are listed as skipped
SHORTEST_RUN = 15  # s: a run is not started with less than this left of the budget
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def framework_of(variant):
    return "keras" if variant.startswith("keras") else variant


def environment_for(variant):
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    if variant.startswith("keras"):  # set either way: an exported KERAS_BACKEND must not make both rows torch
        environment["KERAS_BACKEND"] = "torch" if variant == "keras-torch" else "tensorflow"
    return environment


def last_line(text, limit=160):
    """The line that says what went wrong: the last `error:` line, else the last line (progress bars
    rewrite theirs with carriage returns)."""
    lines = [line.strip() for line in re.split(r"[\r\n]", text or "") if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    line = (errors or lines or ["(nothing on stderr)"])[-1]
    return line if len(line) <= limit else line[:limit - 3] + "..."


# ----- does the framework see a GPU? (in a process of its own) -----------------------------------
def installed(package):
    """A real package, not a folder of that name on sys.path (the repository has tensorflow/)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.origin not in (None, "namespace")


def gpu_name(variant):
    """The GPU's name as the framework reports it, or 'a GPU'."""
    try:
        if variant in ("pytorch", "keras-torch"):
            import torch
            return torch.cuda.get_device_name(0)
        if variant in ("tensorflow", "keras"):
            import tensorflow as tf
            return tf.config.experimental.get_device_details(tf.config.list_physical_devices("GPU")[0])["device_name"]
        import cupy
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
        return name.decode() if isinstance(name, bytes) else name
    except Exception:
        return "a GPU"


def probe(variant):
    """What this process finds: {"missing": [packages], "versions", "gpu": bool, "device", "detail"}."""
    found = {"missing": [package for package in PACKAGES[variant] if not installed(package)], "versions": {},
             "gpu": False, "device": None, "detail": ""}
    if found["missing"]:
        return found
    for package in (*PACKAGES[variant], *(("cupy",) if variant == "chainer" and installed("cupy") else ())):
        try:
            found["versions"][package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:  # CuPy's distribution is cupy-cuda12x and such
            found["versions"][package] = getattr(importlib.import_module(package), "__version__", "?")
    sys.path.insert(0, str(REPO / framework_of(variant)))
    support = importlib.import_module(SUPPORT[framework_of(variant)])
    try:
        support.choose_device("cuda")  # what the script does with --device cuda
        found["gpu"], found["device"] = True, gpu_name(variant)
    except UserError as error:
        found["detail"] = str(error)
    except Exception as error:  # a driver that does not answer: no usable GPU, and why
        found["detail"] = f"{type(error).__name__}: {last_line(str(error))}"
    return found


def ask(variant, timeout):
    """probe(variant) in a child process; a probe that fails says so in "failed"."""
    command = [sys.executable, __file__, "--probe", variant]
    try:
        finished = subprocess.run(command, cwd=REPO, env=environment_for(variant), capture_output=True, text=True,
                                  timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"failed": f"asking it for a GPU took over {timeout:.0f} s"}
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        return {"failed": f"importing it failed: {last_line(finished.stderr)}"}
    return json.loads(lines[-1])


# ----- one run ------------------------------------------------------------------------------------
def is_png(path):
    try:
        with open(path, "rb") as file:
            return file.read(8) == PNG_SIGNATURE and path.stat().st_size > 100
    except OSError:
        return False


def check_outputs(framework, model, out, iterations):
    """(metrics, problems): what a passing run leaves, or the sentences saying what is missing."""
    def path(what):
        return out / output_name(model, framework, what)

    try:
        metrics = json.loads(path("metrics.json").read_text())
    except (OSError, ValueError) as error:
        return {}, [f"no readable metrics.json ({type(error).__name__})"]
    problems = []
    losses = metrics.get("losses") or {}
    if not losses or any(len(values) != iterations for values in losses.values()):
        problems.append(f"metrics.json holds {({name: len(values) for name, values in losses.items()})} losses, "
                        f"not {iterations} of each")
    bad = [name for name, values in losses.items() if not all(math.isfinite(value) for value in values)]
    if bad:
        problems.append(f"{', '.join(bad)} not finite")
    if metrics.get("stopped"):
        problems.append(f"stopped: {metrics['stopped']}")
    pictures = [path(f"samples_{iterations:06d}.png")]  # the progress grid (--sample-every)
    if model in GANS:
        pictures.append(path("samples.png"))
        figures = ("swd",)
    else:
        reconstructions = [each for each in out.glob(output_name(model, framework, "*.png"))
                           if not re.search(r"_(samples_\d+|training_images|loss)\.png$", each.name)]
        if len(reconstructions) < max(1, metrics.get("test_images", 0)):
            problems.append(f"{len(reconstructions)} reconstruction PNGs for {metrics.get('test_images')} test images")
        pictures += reconstructions
        figures = ("psnr", "ssim")
    problems += [f"{each.name} missing or not a PNG" for each in pictures if not is_png(each)]
    problems += [f"{figure} missing or not finite" for figure in figures
                 if not isinstance(metrics.get(figure), (int, float)) or not math.isfinite(metrics[figure])]
    return metrics, problems


def run_one(variant, model, device, out, iterations, timeout):
    """{"status": "ok" or what went wrong, "seconds", "per_iteration", "losses"} of one run."""
    command = [sys.executable, str(REPO / framework_of(variant) / f"{model}.py"), "--iters", str(iterations),
               "--sample-every", str(iterations), "--device", device, "--out", str(out)]
    started = time.perf_counter()
    try:
        finished = subprocess.run(command, cwd=REPO, env=environment_for(variant), capture_output=True, text=True,
                                  timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"FAILED: timed out after {timeout:.0f} s", "seconds": time.perf_counter() - started}
    result = {"seconds": time.perf_counter() - started}
    if finished.returncode != 0:
        return {**result, "status": f"FAILED (exit {finished.returncode}): {last_line(finished.stderr)}"}
    metrics, problems = check_outputs(framework_of(variant), model, out, iterations)
    return {**result, "status": "ok" if not problems else "FAILED: " + "; ".join(problems),
            "per_iteration": metrics.get("seconds_per_iteration"), "losses": metrics.get("losses") or {}}


def relative_differences(cpu, gpu):
    """(at the first iteration, over all): the largest |gpu - cpu| / |cpu| over every loss."""
    first = largest = 0.0
    for name, values in cpu.items():
        for iteration, (expected, found) in enumerate(zip(values, gpu.get(name, []))):
            difference = abs(found - expected) / max(abs(expected), 1e-12)
            largest = max(largest, difference)
            if iteration == 0:
                first = max(first, difference)
    return first, largest


# ----- the table ----------------------------------------------------------------------------------
def number(value, digits=4):
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows, iterations):
    lines = [f"| script | CPU | GPU | CPU s/it | GPU s/it | CPU run, s | GPU run, s | largest relative loss "
             f"difference, iteration 1 | ... iterations 1-{iterations} |", "|---" * 9 + "|"]
    for row in rows:
        cpu, gpu = row["cpu"], row["gpu"]
        differences = ("-", "-")
        if cpu.get("status") == "ok" and gpu.get("status") == "ok":
            differences = tuple(f"{value:.1e}" for value in relative_differences(cpu["losses"], gpu["losses"]))
        cells = [row["name"], cpu["status"], gpu["status"], number(cpu.get("per_iteration")),
                 number(gpu.get("per_iteration")), number(cpu.get("seconds"), 1), number(gpu.get("seconds"), 1),
                 *differences]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def versions_line(probes):
    named = {"torch": "PyTorch", "tensorflow": "TensorFlow", "keras": "Keras", "chainer": "Chainer", "cupy": "CuPy"}
    versions = {}
    for found in probes.values():
        versions.update(found.get("versions", {}))
    missing = sorted({package for found in probes.values() for package in found.get("missing", [])})
    text = ", ".join(f"{named[package]} {version}" for package, version in versions.items())
    if missing:
        text += f"; not installed: {', '.join(named[package] for package in missing)}"
    return text


def heading(probes, iterations, only):
    gpus = sorted({found["device"] for found in probes.values() if found.get("gpu")})
    seen = [variant for variant, found in probes.items() if found.get("gpu")]
    machine = (f"{platform.machine()}, {os.cpu_count()} CPU cores, "
               f"{'GPU: ' + ', '.join(gpus) if gpus else 'no GPU visible to any framework'}")
    command = "python tools/gpu_check.py" + (f" --only {' '.join(only)}" if only else "")
    text = (f"{datetime.date.today().isoformat()}, {machine}; Python {platform.python_version()}; "
            f"{versions_line(probes)}. `{command}`: {iterations} iterations of each script at the built-in digits' "
            f"defaults, then its test.")
    if gpus:
        text += f" A GPU is seen by: {', '.join(seen)}."
    return text


def write_doc(doc, text):
    try:
        written = between_markers(doc.read_text(), DOC_START, DOC_END, text)
    except OSError:
        written = None
    if written is None:
        raise UserError(f"{doc}: no {DOC_START} ... {DOC_END} markers to write the table between "
                        "(or pass --no-doc)")
    doc.write_text(written)


# ----- the command --------------------------------------------------------------------------------
def make_digits():
    """The built-in digits, made once before the first run would make (and time) them."""
    try:
        from common.data.digits import ensure_digits
    except ImportError as error:  # python3 without the project's packages (no .venv)
        raise UserError(f"{sys.executable} lacks the project's packages ({error}): make the environment with "
                        "`bash tools/setup.sh`, or run this with the Python that has them") from None
    ensure_digits()


def chosen_rows(only):
    """[(variant, model)] for --only: <framework>/<model> (pytorch/gan) or a framework's four."""
    if not only:
        return [(variant, model) for variant in VARIANTS for model in MODELS]
    rows = []
    for name in only:
        variant, _, model = name.removesuffix(".py").partition("/")
        if variant not in VARIANTS or (model and model not in MODELS):
            raise UserError(f"--only {name}: name a script as <framework>/<model> (pytorch/gan, keras-torch/dcgan) "
                            f"or a framework ({', '.join(VARIANTS)}; keras-torch is Keras on PyTorch)")
        rows += [(variant, each) for each in ([model] if model else MODELS) if (variant, each) not in rows]
    return rows


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python tools/gpu_check.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="these scripts (pytorch/gan) or frameworks (pytorch, keras-torch, ...) only")
    parser.add_argument("--iters", type=int, default=ITERATIONS, help=f"iterations per run (default {ITERATIONS})")
    parser.add_argument("--timeout", type=float, default=RUN_TIMEOUT, help=f"seconds per run (default {RUN_TIMEOUT})")
    parser.add_argument("--budget", type=float, default=BUDGET,
                        help=f"seconds for the whole check; later runs are skipped (default {BUDGET})")
    parser.add_argument("--doc", type=Path, default=DOC, help="the Markdown file to write the table into "
                        "(between its gpu-check markers; default docs/gpu.md)")
    parser.add_argument("--no-doc", action="store_true", help="only print the table")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="leave the runs' outputs in DIR (default: deleted)")
    parser.add_argument("--probe", choices=VARIANTS, help=argparse.SUPPRESS)  # the child process that asks
    args = parser.parse_args(argv)
    if args.iters < 1:
        raise UserError(f"--iters must be at least 1, got {args.iters}")
    if not args.timeout > 0 or not args.budget > 0:
        raise UserError("--timeout and --budget must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return 0
    rows = chosen_rows(args.only)
    deadline = time.monotonic() + args.budget
    make_digits()
    probes = {}
    for variant in dict.fromkeys(variant for variant, _ in rows):
        probes[variant] = ask(variant, min(PROBE_TIMEOUT, max(1.0, deadline - time.monotonic())))
        found = probes[variant]
        if found.get("failed"):
            print(f"{variant}: {found['failed']}", flush=True)
        elif found["missing"]:
            print(f"{variant}: not installed ({', '.join(found['missing'])})", flush=True)
    if not any(found.get("gpu") for found in probes.values()):
        print("no framework here sees a GPU: CPU runs only", flush=True)
    results, failed = [], False
    with tempfile.TemporaryDirectory(prefix="gpu_check_") as temporary:
        folder = args.keep or Path(temporary)
        for variant, model in rows:
            found, name = probes[variant], f"{variant}/{model}"
            row = {"name": name, "cpu": {}, "gpu": {}}
            results.append(row)
            if found.get("failed"):
                row["cpu"] = row["gpu"] = {"status": f"FAILED: {found['failed']}"}
                failed = True
                continue
            if found["missing"]:
                row["cpu"] = {"status": f"not installed ({', '.join(found['missing'])})"}
                row["gpu"] = {"status": "not installed"}
                continue
            devices = ["cpu", "cuda"] if found["gpu"] else ["cpu"]
            row["gpu"] = {"status": "no GPU visible"}
            for device in devices:
                key = "gpu" if device == "cuda" else "cpu"
                left = deadline - time.monotonic()
                if left < SHORTEST_RUN:
                    row[key] = {"status": f"skipped: over the --budget of {args.budget:.0f} s"}
                    continue
                row[key] = run_one(variant, model, device, folder / variant / model / device, args.iters,
                                   min(args.timeout, left))
                if row[key]["status"].startswith("FAILED: timed out") and left < args.timeout:
                    row[key]["status"] = f"stopped: over the --budget of {args.budget:.0f} s"  # not the script's fault
                failed |= not row[key]["status"].startswith(("ok", "stopped"))
                print(f"{name:22} {device:4}  {row[key]['status']}  ({row[key]['seconds']:.1f} s)", flush=True)
    text = f"{heading(probes, args.iters, args.only)}\n\n{table(results, args.iters)}"
    print(f"\n{text}")
    if not args.no_doc:
        write_doc(args.doc, text)
        print(f"\nwrote the table into {args.doc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_main(main))
