"""The numbers a run leaves (common/records.py): the metrics file and the training log."""

import json
import time

import numpy as np
import pytest

from common.files import atomic_path
from common.records import TrainingLog, read_metrics, write_metrics


# --- metrics file -------------------------------------------------------------------------------

def test_write_metrics_merges_and_converts_numpy(tmp_path):
    path = tmp_path / "ae_pytorch_metrics.json"
    write_metrics(path, {"losses": {"loss": np.array([0.5, 0.25], np.float32)}, "seconds_per_iteration": np.float64(0.01)})
    write_metrics(path, {"psnr": np.float32(21.5), "per_image": [np.float32(1.5)], "count": np.int64(3)})
    data = json.loads(path.read_text())
    assert data == {
        "losses": {"loss": [0.5, 0.25]},
        "seconds_per_iteration": 0.01,
        "psnr": 21.5,
        "per_image": [1.5],
        "count": 3,
    }
    assert read_metrics(path) == data
    assert "\n  " in path.read_text()  # indent=2


def test_write_metrics_replaces_an_unreadable_file_and_writes_valid_json(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text("{ not json")
    write_metrics(path, {"loss": float("nan"), "ok": 1.0})
    assert json.loads(path.read_text()) == {"loss": None, "ok": 1.0}  # NaN is not JSON


def test_read_metrics_of_a_missing_file(tmp_path):
    assert read_metrics(tmp_path / "absent.json") == {}


def test_failed_atomic_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "metrics.json"
    write_metrics(path, {"psnr": 20.0})
    with pytest.raises(RuntimeError):
        with atomic_path(path) as temporary:
            temporary.write_text("half a fi")
            raise RuntimeError("crash while writing")
    assert read_metrics(path) == {"psnr": 20.0}
    assert [file.name for file in tmp_path.iterdir()] == ["metrics.json"]  # no temporary left


# --- progress bar -------------------------------------------------------------------------------

def test_training_log_records_losses_and_time(capsys):
    log = TrainingLog(5, description="test")
    for iteration in log.iterations():
        time.sleep(0.002)
        log.record(d_loss=np.float32(0.5 + iteration), g_loss=1.0)
    log.close()
    assert log.losses == {"d_loss": [0.5, 1.5, 2.5, 3.5, 4.5], "g_loss": [1.0] * 5}
    assert 0.002 <= log.seconds_per_iteration < 0.5
    assert "5/5" in capsys.readouterr().err  # the bar goes to stderr


def test_training_log_times_the_whole_loop_not_only_the_step(capsys):
    """What the loop does after a step (checks, a checkpoint, a sample grid) is part of what an
    iteration costs: the benchmark compares this figure with a bare step."""
    log = TrainingLog(4)
    for _ in log.iterations():
        log.record(loss=1.0)
        time.sleep(0.005)  # e.g. writing a checkpoint after the step
    log.close()
    assert log.seconds_per_iteration >= 0.005


def test_training_log_continues_a_resumed_run(capsys):
    log = TrainingLog(4, start_iteration=2, losses={"loss": [3.0, 2.0]})
    assert log.seconds_per_iteration == 0.0
    assert list(log.iterations()) == [2, 3]
    log.record(loss=1.0)
    log.close()
    assert log.losses == {"loss": [3.0, 2.0, 1.0]}


def test_training_log_with_nothing_to_do(capsys):
    log = TrainingLog(0)
    assert list(log.iterations()) == []
    log.close()
    assert log.seconds_per_iteration == 0.0
