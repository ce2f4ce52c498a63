"""Measure start-up time and seconds per training iteration of each framework's scripts.

    python tools/benchmark.py                          # DCGAN, 64x64x3, batch 32, all frameworks
    python tools/benchmark.py --model gan --iters 50   # another model
    python tools/benchmark.py --frameworks pytorch chainer

Each measurement runs the real script in a fresh process (`--train --no-augment`) and reads
`seconds_per_iteration` from its metrics.json (the first iteration, which includes tracing and
warm-up, is left out). Run it on an otherwise idle machine: the numbers are wall-clock times.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPORTS = {"pytorch": "import torch", "tensorflow": "import tensorflow",
           "keras": "import keras", "chainer": "import common.chainer_compat, chainer"}


def import_seconds(framework, environment):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", IMPORTS[framework]], cwd=REPO, env=environment, check=True)
    return time.perf_counter() - started


def iteration_seconds(framework, model, iters, size, environment):
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, str(REPO / framework / f"{model}.py"), "--train", "--no-augment",
                   "--iters", str(iters), "--size", str(size), "--save-every", "0", "--out", out]
        subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads((Path(out) / f"{model}_{framework}_metrics.json").read_text())["seconds_per_iteration"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frameworks", nargs="+", default=["pytorch", "tensorflow", "keras", "keras-torch", "chainer"])
    parser.add_argument("--model", default="dcgan", choices=("ae", "convae", "gan", "dcgan"))
    parser.add_argument("--iters", type=int, default=10)
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args(argv)
    print(f"| framework | import (s) | {args.model} s/iteration ({args.size}x{args.size}x3, batch 32) |")
    print("|---|---|---|")
    for name in args.frameworks:
        framework = "keras" if name == "keras-torch" else name
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(REPO)}
        if name == "keras-torch":
            environment["KERAS_BACKEND"] = "torch"
        startup = import_seconds(framework, environment)
        per_iteration = iteration_seconds(framework, args.model, args.iters, args.size, environment)
        print(f"| {name} | {startup:.1f} | {per_iteration:.2f} |", flush=True)


if __name__ == "__main__":
    main()
