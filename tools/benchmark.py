"""How much the harness costs: each script's seconds per iteration beside a bare training step.

    python tools/benchmark.py                               # all sixteen scripts at their defaults
    python tools/benchmark.py --frameworks pytorch --models dcgan --iters 50
    python tools/benchmark.py --json benchmark.json --readme   # keep the numbers, update README.md

For every script, at the built-in digits' default size and batch:
- script: the script's own main() (`--train --save-every 0`) in a fresh process this tool
  starts; its metrics.json's seconds_per_iteration (the loop's wall time per iteration: batch,
  noise, step, progress bar; the first iteration, with tracing and warm-up, is left out);
  with --memory, the peak memory of whole runs of the script from its command line;
- the step in the script: in that same run, its train_step timed alone (the script's module
  function wrapped in a timer before the run), so that loop / step compares two figures of one
  process, free of the run-to-run noise between the script's process and the bare one;
- bare: the script's own train_step in a loop of its own in another fresh process, each
  step timed alone on a new batch and noise from the same loader, drawn before its clock
  starts (the step on a new batch, as in training: the PyTorch AE's step took 0.70 ms on
  batches it had seen and 0.78 ms on new ones), the first step left out as in the script's
  figure: the step, nothing else;
- their ratio (the target is 1.10 at most), and the loader's throughput: batches per second
  with every augmentation on, at the same size and batch.
Each model runs enough iterations to last a second or more (a millisecond AE step needs a
thousand), --iters sets one number for all; script and bare step each run --repeats times in
turn and the fastest of each counts, as a single pair of runs moved a ratio by 0.4.
Run it on an otherwise idle machine: these are wall-clock times, and two runs side by side
slow each other down (on two cores, two PyTorch processes ran ten times slower).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common.files import between_markers  # noqa: E402

FRAMEWORKS = ("pytorch", "tensorflow", "keras", "keras-torch", "chainer")
MODELS = ("ae", "convae", "gan", "dcgan")
ITERATIONS = {"ae": 1000, "convae": 300, "gan": 300, "dcgan": 30}  # about 1 s or more each, every framework
README_START, README_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def environment_for(name):
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    if name == "keras-torch":
        environment["KERAS_BACKEND"] = "torch"
    return environment


def run_measured(command, environment):
    """Run a command; return (stdout, peak resident memory in MB of that process alone).

    os.wait4 reports the one child's own peak; getrusage(RUSAGE_CHILDREN) would be the largest
    of every child so far, which only ever grows from one measurement to the next."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        stdout.seek(0), stderr.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{stderr.read()[-2000:]}")
        return stdout.read(), usage.ru_maxrss / 1024  # Linux reports kilobytes


def framework_of(name):
    return "keras" if name == "keras-torch" else name


def training_command(name, model, iters, out):
    """The script's own command line: a training run of `iters` iterations, no checkpoint on the way."""
    return [sys.executable, str(REPO / framework_of(name) / f"{model}.py"), "--train", "--iters", str(iters),
            "--save-every", "0", "--out", str(out)]


def run_this_tool(mode, name, model, iters):
    """This tool in a fresh process, in `mode` (--bare or --in-script): (the JSON it printed last,
    its peak memory in MB)."""
    command = [sys.executable, str(Path(__file__).resolve()), mode, framework_of(name), model, "--iters", str(iters)]
    stdout, peak = run_measured(command, environment_for(name))
    return json.loads(stdout.strip().splitlines()[-1]), peak


def script_seconds(name, model, iters):
    """(the loop's seconds per iteration, its train_step's alone, the wall time of the process)."""
    started = time.perf_counter()
    measured, _ = run_this_tool("--in-script", name, model, iters)
    return measured["loop"], measured["step"], time.perf_counter() - started


def step_in_script(framework, model, iters):
    """Run inside a fresh process: the script's own main(), its train_step timed; prints JSON.

    The harness calls `script.train_step` through the module, so replacing the module's function
    times every step of the real run and changes nothing else (a perf_counter call each side)."""
    import numpy as np

    from common.scripts import load_script

    script = load_script(framework, model)
    train_step, durations = script.train_step, []

    def timed_train_step(*arguments):
        started = time.perf_counter()
        losses = train_step(*arguments)
        durations.append(time.perf_counter() - started)
        return losses

    script.train_step = timed_train_step
    with tempfile.TemporaryDirectory() as out:
        script.main(["--train", "--iters", str(iters + 1), "--save-every", "0", "--out", out])
        metrics = json.loads((Path(out) / f"{model}_{framework}_metrics.json").read_text())
    # The first step is left out, as in the loop's own figure (tracing, warm-up).
    print(json.dumps({"loop": metrics["seconds_per_iteration"], "step": float(np.mean(durations[1:]))}))


def bare_step(framework, model, iters):
    """Run inside a fresh process: the script's train_step alone, timed; prints JSON."""
    import numpy as np

    from common import cli, data
    from common.architectures import GAN_MODELS, initial_weights
    from common.scripts import load_script

    script = load_script(framework, model)
    args = cli.parse_args(model, framework, [])  # the defaults, as the script uses them
    batches = data.Batches(data.load_training_set(args).images, args.batch_size, 0, args.augment)
    device = script.choose_device("auto")
    with script.running_on(device):
        network = script.build_model(args.size, args.channels, device)
        script.set_weights(network, initial_weights(model, args.size, args.channels, seed=0))
        optimizer = script.build_optimizer(network, args.lr)
        durations = []
        for index in range(iters + 1):  # the first, with tracing and warm-up, is left out as in the script
            images = batches.batch(index)  # drawn before the clock starts: the step, not the loader
            extra = [data.noise(0, index, args.batch_size)] if model in GAN_MODELS else []
            started = time.perf_counter()
            script.train_step(network, optimizer, images, *extra)
            durations.append(time.perf_counter() - started)
        seconds = float(np.mean(durations[1:]))
    print(json.dumps({"bare_seconds_per_iteration": seconds}))


def loader_batches_per_second(model, seconds=2.0):
    """Batches per second from common.data.Batches with every augmentation on (defaults' size, batch)."""
    from common import cli, data
    from common.defaults import ALL_AUGMENTATIONS

    args = cli.parse_args(model, "pytorch", [])
    images = data.load_training_set(args).images
    batches = data.Batches(images, args.batch_size, 0, ALL_AUGMENTATIONS)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        batches.batch(count)
        count += 1
    return count / (time.perf_counter() - started), images.nbytes / 2**20


def measure(name, model, iters, repeats):
    """The fastest of `repeats` script runs beside the fastest of `repeats` bare runs, taken in turn:
    on a shared machine the same process measured 0.94x to 1.37x of its bare step from one run to
    the next; the fastest run is the one least disturbed."""
    scripts, steps, walls, bares, bare_peak = [], [], [], [], 0.0
    for _ in range(repeats):
        per_iteration, step, wall = script_seconds(name, model, iters)
        scripts.append(per_iteration), steps.append(step), walls.append(wall)
        bare, peak = run_this_tool("--bare", name, model, iters)
        bares.append(bare["bare_seconds_per_iteration"])
        bare_peak = max(bare_peak, peak)
    fastest = scripts.index(min(scripts))  # the loop and the step of that same run
    return {"script": f"{name}/{model}", "script_seconds_per_iteration": scripts[fastest],
            "bare_seconds_per_iteration": min(bares), "ratio": scripts[fastest] / min(bares),
            "step_in_script_seconds_per_iteration": steps[fastest],
            "loop_to_step_in_script": scripts[fastest] / steps[fastest],
            "script_wall_seconds": min(walls), "bare_peak_memory_mb": bare_peak,
            "all_script_seconds_per_iteration": scripts, "all_steps_in_script_seconds_per_iteration": steps,
            "all_bare_seconds_per_iteration": bares}


def peak_memory_mb(name, model, iters):
    """Peak resident memory of a whole script run of `iters` iterations."""
    with tempfile.TemporaryDirectory() as out:
        _, peak = run_measured(training_command(name, model, iters, out), environment_for(name))
    return peak


def table(rows, loader, machine):
    lines = [f"Measured on {machine}, built-in digits at their defaults (`python tools/benchmark.py`):", "",
             "| script | script s/it | bare step s/it | ratio | its step alone, s/it | loop / its step "
             "| peak memory (MB), N / 4N iterations |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        memory = f"{row['peak_memory_mb'][0]:.0f} / {row['peak_memory_mb'][1]:.0f}" if "peak_memory_mb" in row else "-"
        lines.append(f"| {row['script']} | {row['script_seconds_per_iteration']:.4f} | "
                     f"{row['bare_seconds_per_iteration']:.4f} | {row['ratio']:.2f} | "
                     f"{row['step_in_script_seconds_per_iteration']:.4f} | {row['loop_to_step_in_script']:.2f} | {memory} |")
    lines += ["", "Loader, every augmentation on: " + ", ".join(
        f"{model} {value['batches_per_second']:.0f} batches/s" for model, value in loader.items())
        + f"; the decoded training set is {next(iter(loader.values()))['dataset_mb']:.1f} MB."]
    return "\n".join(lines)


def write_readme(text):
    readme = REPO / "README.md"
    written = between_markers(readme.read_text(encoding="utf-8"), README_START, README_END, text)
    if written is None:
        raise SystemExit(f"README.md has no {README_START} ... {README_END} block")
    readme.write_text(written, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS), choices=FRAMEWORKS)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--iters", type=int, help="timed iterations per measurement, for every model "
                        f"(default: {', '.join(f'{model} {count}' for model, count in ITERATIONS.items())})")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, the fastest kept (default 3)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory of whole runs of N and 4N iterations")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--bare", nargs=2, metavar=("FRAMEWORK", "MODEL"), help=argparse.SUPPRESS)
    parser.add_argument("--in-script", nargs=2, metavar=("FRAMEWORK", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        return bare_step(*args.bare, args.iters or ITERATIONS[args.bare[1]])
    if args.in_script:
        return step_in_script(*args.in_script, args.iters or ITERATIONS[args.in_script[1]])

    machine = f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    rows = []
    for name in args.frameworks:
        for model in args.models:
            iters = args.iters or ITERATIONS[model]
            row = measure(name, model, iters, args.repeats)
            if args.memory:
                row["peak_memory_mb"] = [peak_memory_mb(name, model, iters), peak_memory_mb(name, model, 4 * iters)]
            rows.append(row)
            print(f"{row['script']:22s} script {row['script_seconds_per_iteration']:.4f} s/it  "
                  f"bare {row['bare_seconds_per_iteration']:.4f} s/it  ratio {row['ratio']:.2f}  "
                  f"loop / its step {row['loop_to_step_in_script']:.2f}", flush=True)
    loader = {}
    for model in args.models:
        per_second, dataset_mb = loader_batches_per_second(model)
        loader[model] = {"batches_per_second": per_second, "dataset_mb": dataset_mb}
    text = table(rows, loader, machine)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "rows": rows, "loader": loader}, indent=2) + "\n")
    if args.readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
