"""The digit score and the verdict on a GAN's samples (common/digit_score.py): real digits
pass, noise, blobs and one repeated sample do not, and each answer gets what its grid shows."""

import json

import cv2
import numpy as np
import pytest

from common import pictures
from common.data import images
from common.digit_score import CONFIDENCE, DigitClassifier, digit_score, labels_of
from conftest import REPO


# --- the digit score -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def judged(digits):
    """The classifier the runs use at --size 16, and the real digits it is judged against."""
    training = images.load_folder(digits / "train" / "images", 16, 1)
    test = images.load_folder(digits / "test" / "images", 16, 1)
    return DigitClassifier(training.images, labels_of(training)), training, test


def blobs(count, size, seed):
    """Smooth random shapes: what an undertrained generator draws."""
    rng = np.random.default_rng(seed)
    shapes = [cv2.GaussianBlur(rng.uniform(-1, 1, (size, size)).astype(np.float32), (0, 0), size / 8) for _ in range(count)]
    shapes = np.stack(shapes)
    shapes /= np.abs(shapes).max(axis=(1, 2), keepdims=True)
    return shapes[..., None]


def test_real_digits_score_high_and_cover_all_ten(judged):
    classifier, training, test = judged
    assert classifier.score(test.images) == {"share": 1.0, "kinds": 10}
    assert classifier.score(training.images[::25])["share"] >= 0.95


def test_noise_blobs_and_smudges_score_low(judged):
    classifier, training, _ = judged
    rng = np.random.default_rng(0)
    uniform = rng.uniform(-1, 1, (64, 16, 16, 1)).astype(np.float32)
    blurred = np.stack([cv2.GaussianBlur(image, (0, 0), 2.0)[..., None] for image in training.images[:64]])
    for name, fakes in (("uniform noise", uniform), ("blobs", blobs(64, 16, 1)), ("blurred digits", blurred),
                        ("black", -np.ones((64, 16, 16, 1), np.float32))):
        assert classifier.score(fakes)["share"] <= 0.1, name


def test_mode_collapse_shows_in_the_kinds(judged):
    classifier, _, test = judged
    collapsed = np.repeat(test.images[:1], 64, axis=0)  # 64 copies of one zero
    assert classifier.score(collapsed) == {"share": 1.0, "kinds": 1}


def test_the_score_depends_on_the_pixels_only(judged):
    """Every framework hands over NumPy images in its own way: float32 or float64, a strided
    view after a transpose, gray or three equal channels. The score must not see the difference."""
    classifier, _, test = judged
    reference = classifier.probabilities(test.images)
    channels_first = np.ascontiguousarray(test.images.transpose(0, 3, 1, 2))
    for variant in (test.images.astype(np.float64), channels_first.transpose(0, 2, 3, 1),
                    np.repeat(test.images, 3, axis=3)):
        np.testing.assert_allclose(classifier.probabilities(variant), reference, atol=1e-6)


def test_the_score_is_the_same_at_every_size(digits):
    """The judge works on 8x8 pixels, so --size changes what it sees only by resampling."""
    for size in (16, 32, 64):
        training = images.load_folder(digits / "train" / "images", size, 1)
        test = images.load_folder(digits / "test" / "images", size, 3)
        scores = digit_score(test.images, training, test)
        assert scores["real_digit_share"] == scores["digit_share"] >= 0.95, size
        assert scores["digit_kinds"] == 10 and scores["digit_confidence"] == CONFIDENCE


def test_the_score_is_the_samples_and_the_yardstick_the_test_digits(digits):
    """Samples that are no digits score none, whatever the real digits beside them score."""
    training = images.load_folder(digits / "train" / "images", 16, 1)
    test = images.load_folder(digits / "test" / "images", 16, 1)
    noise = np.random.default_rng(0).uniform(-1, 1, (32, 16, 16, 1)).astype(np.float32)
    gray = np.zeros((32, 16, 16, 1), np.float32)
    scores = digit_score(np.concatenate([gray, noise]), training, test)
    assert (scores["digit_share"], scores["digit_kinds"]) == (0.0, 0), scores
    assert (scores["real_digit_share"], scores["real_digit_kinds"]) == (1.0, 10), scores


# --- the verdict: what the share alone cannot tell ---------------------------------------------------

def verdict_of(samples, judged):
    _, training, test = judged
    return digit_score(samples, training, test)


def test_noise_and_blobs_are_not_digits(judged):
    rng = np.random.default_rng(0)
    for name, fakes in (("uniform noise", rng.uniform(-1, 1, (64, 16, 16, 1)).astype(np.float32)),
                        ("blobs", blobs(64, 16, 1)), ("black", -np.ones((64, 16, 16, 1), np.float32))):
        figures = verdict_of(fakes, judged)
        assert figures["sample_verdict"] == "not digits yet: noise, blobs or smudges", (name, figures)
        assert figures["digit_precision"] < 0.1 and figures["digit_recall"] < 0.1, (name, figures)


def test_one_sample_drawn_64_times_is_mode_collapse_even_when_it_is_a_perfect_digit(judged):
    """The share calls 64 copies of one real digit 100% digits; the recall sees they cover nothing."""
    _, _, test = judged
    stripe = -np.ones((64, 16, 16, 1), np.float32)
    stripe[:, :, 7:9] = 1  # read as a "1" by the classifier
    for name, fakes in (("one digit", np.repeat(test.images[3:4], 64, axis=0)), ("one stripe", stripe)):
        figures = verdict_of(fakes, judged)
        assert figures["digit_share"] == 1.0 and figures["digit_recall"] == 0.0, (name, figures)
        assert figures["sample_verdict"].startswith("mode collapse: 1 kind,"), (name, figures)


def test_two_kinds_of_real_digits_are_mode_collapse_and_all_ten_are_digits(judged):
    _, training, test = judged
    labels = np.asarray(labels_of(training))
    ones_and_sevens = np.concatenate([training.images[labels == 1][:32], training.images[labels == 7][:32]])
    assert verdict_of(ones_and_sevens, judged)["sample_verdict"].startswith("mode collapse: 2 kinds,")
    figures = verdict_of(test.images, judged)
    assert figures["sample_verdict"] == "digits of 10 kinds", figures
    assert figures["digit_precision"] == figures["real_digit_precision"] >= 0.8
    assert figures["digit_recall"] == figures["real_digit_recall"] >= 0.9


# What each answer's grid shows, looked at by eye: the MLP GANs draw every kind of digit; the
# DCGANs draw wobbly digits in which a few shapes (3, 5, 9) dominate, and Keras's almost one shape.
ANSWER_VERDICTS = {
    "gan": {framework: "digits of" for framework in ("pytorch", "tensorflow", "keras", "chainer")},
    "dcgan": {"pytorch": "partial collapse", "tensorflow": "partial collapse", "keras": "mode collapse",
              "chainer": "partial collapse"},
}


@pytest.mark.parametrize("model, framework", [(model, framework) for model, verdicts in ANSWER_VERDICTS.items()
                                              for framework in verdicts])
def test_each_answer_gets_the_verdict_its_grid_shows(judged, model, framework):
    answers = REPO / "answers"
    samples = pictures.read_grid(answers / f"{model}_{framework}_samples.png", 16, 64)
    figures = verdict_of(samples, judged)
    assert figures["sample_verdict"].startswith(ANSWER_VERDICTS[model][framework]), figures
    recorded = json.loads((answers / f"{model}_{framework}_metrics.json").read_text())
    assert recorded["sample_verdict"] == figures["sample_verdict"]  # the answer's file says what its grid says
    assert recorded["digit_share"] == figures["digit_share"] and recorded["digit_kinds"] == figures["digit_kinds"]


def test_a_grid_read_back_is_the_samples_as_written(tmp_path):
    samples = np.random.default_rng(0).uniform(-1.2, 1.2, (64, 16, 16, 1)).astype(np.float32)
    pictures.save_grid(tmp_path / "grid.png", samples)
    expected = (np.rint((np.clip(samples, -1, 1) + 1) * 127.5) / 127.5 - 1).astype(np.float32)
    np.testing.assert_array_equal(pictures.read_grid(tmp_path / "grid.png", 16, 64), expected)


