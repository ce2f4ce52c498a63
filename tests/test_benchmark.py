"""tools/benchmark.py: the step timed inside a real script run is that run's own train_step."""

import json
import subprocess

from conftest import PYTHON, REPO


def test_the_step_timed_inside_the_script_is_part_of_its_loop(digits):
    finished = subprocess.run([PYTHON, str(REPO / "tools" / "benchmark.py"), "--in-script", "pytorch", "ae", "--iters", "5"],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    measured = json.loads(finished.stdout.strip().splitlines()[-1])
    # Both figures leave the first iteration out; each loop iteration holds one step and more.
    assert 0 < measured["step"] <= measured["loop"]
