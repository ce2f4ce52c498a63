"""Where things live, so that every script runs from any working directory."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASET_ROOT = REPO_ROOT / "Dataset"
ANSWERS = REPO_ROOT / "answers"
DEFAULT_OUT = Path("results")
FIXED_NOISE = Path(__file__).resolve().parent / "fixed_noise.npy"


def output_name(model, framework, what):
    """The project's file name: <model>_<framework>_<what>, e.g. dcgan_keras_samples.png."""
    return f"{model}_{framework}_{what}"
