"""The digit score: how many GAN samples a digit classifier recognises, and how many kinds.

A GAN has no target image, so "is this sample good?" needs a judge that knows digits. The
judge here is a support-vector classifier trained on the run's own training digits, shrunk
to the 8x8 pixels that scikit-learn's digits have (so it is the same judge at any --size and
for any framework). A sample counts as a digit when the classifier gives one class a
probability of at least CONFIDENCE; the score is the share of such samples and the number of
different digits among them. Real test digits, scored the same way, are the yardstick:

    share 0.98, kinds 10   what real digits get
    share 0.90, kinds 3    mode collapse: digits, but only a few kinds
    share 0.05, kinds 1    noise, blobs or smudges: the GAN has not learnt digits yet

On MNIST (60,000 training images) the judge is the same classifier, trained once on the first
JUDGE_PER_CLASS training images of each digit and cached under Dataset/digit_judges/: an SVC on
all 60,000 would take longer than most runs. On 2,000 held-out MNIST test digits it is right on
94.6% and confident on 88%; it calls none of 64 noise images, blobs or black images a digit and
8% of 64 strongly blurred ones (measured on the real MNIST at --size 32). Real MNIST test digits
therefore score a little below the built-in digits' 1.0.

The share alone is fooled by one good sample drawn 64 times (100%, 1 kind) and says nothing of
how much of the digits' variety the samples cover. So the same run also measures the improved
precision and recall of Kynkäänniemi et al. (2019) in the classifier's 8x8 pixel space: around
each real training digit a ball reaching its NEIGHBOURS-th nearest real neighbour; precision is
the share of samples inside some real ball (they look like real digits), recall the share of
real digits inside some sample's ball, drawn the same way among the samples (the samples cover
them). A repeated sample has balls of radius 0 and covers nothing. Measured on the built-in
digits (README, "How to read the results"):

    precision 0.85, recall 0.99   the 20 real test digits
    precision 0.00, recall 0.00   uniform noise, blurred blobs, black images
    precision 1.00, recall 0.00   one digit (or one stripe) repeated 64 times
    precision 0.80, recall 0.85   the MLP GAN's answer (PyTorch)

The verdict (sample_verdict) reads these figures in order: not digits, mode collapse, few kinds
dominating, digits. Every figure is taken from the samples as the PNG grid holds them (8 bits a
pixel), so that a grid read back from answers/ gets the very verdict its run printed.

Why this classifier: with scikit-learn's pairwise-coupled Platt probabilities (SVC with
probability=True) noise, blobs and blurred strokes get low confidence (measured: 0 of 64
uniform-noise images and 0 of 64 blurred blobs pass 0.8) while held-out real digits all
pass. The replacement scikit-learn suggests, CalibratedClassifierCV, called 60-80 % of the
same noise a confident digit, so it would make a broken GAN look good.
"""

import hashlib
import json
import pickle
import re
import string
import sys
import warnings

import cv2
import numpy as np

from common.files import write_bytes_atomic
from common.language import current, say, say_in
from common.paths import DATASET_ROOT

CONFIDENCE = 0.8  # a sample is "a digit" when one class has at least this probability
CLASSIFIER_SIDE = 8  # the classifier sees 8x8 gray images, the resolution of the original digits
JUDGE_TRAINING_LIMIT = 5000  # a training set larger than this (MNIST) is judged by a cached judge ...
JUDGE_PER_CLASS = 1000  # ... trained on the first this many images of each digit (10,000 images, 3 s)
JUDGE_CACHE = DATASET_ROOT / "digit_judges"
NEIGHBOURS = 3  # k of the precision and recall balls, as Kynkäänniemi et al. recommend
REFERENCE_LIMIT = 2000  # real digits the balls are drawn around (all 1,777 built-in training digits)
NOT_DIGITS_BELOW = 0.2  # a share of confident digits and a precision both under this: not digits
COLLAPSE_RECALL = 0.02  # samples covering fewer real digits than this (or of 2 kinds or fewer): mode collapse
NARROW_RECALL = 0.5  # ... fewer than this: digits, but a few shapes dominate


def to_classifier_input(images):
    """NHWC images in [-1, 1] at any size -> (N, 64) gray 8x8 rows, the classifier's input."""
    images = np.asarray(images, dtype=np.float32)
    gray = images.mean(axis=3)  # a gray image read as RGB has three equal channels
    side = CLASSIFIER_SIDE
    rows = [cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA) for image in gray]
    return np.stack(rows).reshape(len(images), side * side)


def fit_svc(rows, labels):
    from sklearn.svm import SVC  # imported here: only runs on the digits need it

    classifier = SVC(C=10, gamma="scale", probability=True, random_state=0)
    with warnings.catch_warnings():
        # scikit-learn 1.9 deprecates probability=True; its suggested replacement is far
        # worse at rejecting noise (see the module docstring), and the version is pinned.
        warnings.simplefilter("ignore", FutureWarning)
        classifier.fit(rows, np.asarray(labels))
    return classifier


class DigitClassifier:
    """An SVC trained on labelled digits; deterministic for the same training images."""

    def __init__(self, images, labels, classifier=None):
        self.classifier = classifier if classifier is not None else fit_svc(to_classifier_input(images), labels)

    @classmethod
    def cached(cls, images, labels, folder=None):
        """The classifier for these images and labels from `folder` (Dataset/digit_judges), trained
        and stored there the first time. The cache file is named by a hash of what the classifier
        learns from and is only unpickled when its own SHA-256, recorded beside it, matches."""
        import sklearn

        folder = JUDGE_CACHE if folder is None else folder
        rows, labels = to_classifier_input(images), np.asarray(labels, dtype=np.int64)
        key = hashlib.sha256(rows.tobytes() + labels.tobytes() + repr(
            (rows.shape, CLASSIFIER_SIDE, sklearn.__version__)).encode()).hexdigest()
        model, record = folder / f"{key[:32]}.pkl", folder / f"{key[:32]}.json"
        try:
            saved = json.loads(record.read_text(encoding="utf-8"))
            data = model.read_bytes()
            if saved.get("key") == key and saved.get("sha256") == hashlib.sha256(data).hexdigest():
                return cls(None, None, classifier=pickle.loads(data))
        except (OSError, ValueError, pickle.UnpicklingError, AttributeError, EOFError, ImportError, TypeError):
            pass  # not there yet, or damaged: train it (again)
        classifier = fit_svc(rows, labels)
        data = pickle.dumps(classifier)
        try:
            write_bytes_atomic(model, data)
            write_bytes_atomic(record, json.dumps({"key": key, "sha256": hashlib.sha256(data).hexdigest(),
                                                   "images": len(rows)}).encode())
        except OSError as error:
            print(say("digit_judge_not_cached", folder=folder, error=error), file=sys.stderr)
        return cls(None, None, classifier=classifier)

    def probabilities(self, images):
        """(N, 10) class probabilities of NHWC images in [-1, 1]."""
        return self.classifier.predict_proba(to_classifier_input(images))

    def score(self, images):
        """{"share": confident share, "kinds": how many different digits among the confident}."""
        probabilities = self.probabilities(images)
        confident = probabilities.max(axis=1) >= CONFIDENCE
        predicted = self.classifier.classes_[probabilities.argmax(axis=1)]
        return {"share": float(confident.mean()), "kinds": int(len(set(predicted[confident].tolist())))}


def labels_of(image_set):
    """The digit of each image, from its class folder (Dataset/digits/.../images/<digit>/..., MNIST's too)."""
    return [int(path.parent.name) for path in image_set.paths]


def judge_for(training_set):
    """The classifier for a run's training digits: trained on them all (the built-in digits), or,
    for a training set as large as MNIST's, the cached one trained on its first JUDGE_PER_CLASS
    images of each digit (in the set's order)."""
    labels = np.asarray(labels_of(training_set))
    if len(labels) <= JUDGE_TRAINING_LIMIT:
        return DigitClassifier(training_set.images, labels)
    chosen = np.sort(np.concatenate([np.flatnonzero(labels == digit)[:JUDGE_PER_CLASS] for digit in np.unique(labels)]))
    return DigitClassifier.cached(training_set.images[chosen], labels[chosen])


def as_written(images):
    """The images as the PNG grid stores them: rounded to 256 levels (common/pictures.to_uint8)."""
    return np.rint((np.clip(np.asarray(images, np.float32), -1, 1) + 1) * 127.5) / 127.5 - 1


def _squared_distances(rows, others):
    return np.maximum(np.sum(rows**2, 1)[:, None] - 2 * rows @ others.T + np.sum(others**2, 1)[None, :], 0)


def _ball_radii(rows, k=NEIGHBOURS):
    """The squared distance from each row to its k-th nearest other row (the row itself excluded)."""
    squared = _squared_distances(rows, rows)
    return np.partition(squared, min(k, len(rows) - 1), axis=1)[:, min(k, len(rows) - 1)]


def precision_recall(samples, real):
    """(precision, recall) of NHWC samples against NHWC real digits, in the classifier's 8x8 space."""
    fake, real = to_classifier_input(samples).astype(np.float64), to_classifier_input(real).astype(np.float64)
    squared = _squared_distances(fake, real)  # (samples, real)
    precision = np.any(squared <= _ball_radii(real)[None, :], axis=1).mean()
    recall = np.any(squared <= _ball_radii(fake)[:, None], axis=0).mean()
    return float(precision), float(recall)


def sample_verdict(share, kinds, precision, recall, language="en"):
    """One line a learner can act on, from the digit score and the precision and recall; in English
    unless `language` says otherwise (metrics.json keeps the English one, which tests and tools read)."""
    if share < NOT_DIGITS_BELOW and precision < NOT_DIGITS_BELOW:
        return say_in(language, "sample_not_digits")
    if kinds <= 2 or recall < COLLAPSE_RECALL:
        key = "sample_mode_collapse_one" if kinds == 1 else "sample_mode_collapse_many"
        return say_in(language, key, kinds=kinds, recall=recall)
    if recall < NARROW_RECALL:
        return say_in(language, "sample_partial_collapse", kinds=kinds, recall=recall)
    return say_in(language, "sample_digits", kinds=kinds)


VERDICT_KEYS = ("sample_not_digits", "sample_mode_collapse_one", "sample_mode_collapse_many",
                "sample_partial_collapse", "sample_digits")


def verdict_in_language(verdict, language=None):
    """A stored (English) sample verdict in `language` (the learner's by default): read back against
    the English templates, written with the same figures into the other language's; a text that
    matches none (a file of an older version) stays as it is."""
    from common.messages import MESSAGES  # read only when a verdict is shown

    language = language or current()
    if language == "en":
        return verdict
    for key in VERDICT_KEYS:
        found = template_pattern(MESSAGES[key]["en"]).fullmatch(verdict)
        if found:
            return fill_as_written(MESSAGES[key][language], found.groupdict())
    return verdict


def template_pattern(template):
    """A regular expression that matches what `template` formats to, a named group per blank."""
    pattern = ""
    for literal, name, _, _ in string.Formatter().parse(template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P<{name}>.+?)"
    return re.compile(pattern)


def fill_as_written(template, texts):
    """`template` with each blank replaced by the text already formatted for it (its format spec unused)."""
    return "".join(literal + (texts[name] if name else "") for literal, name, _, _ in string.Formatter().parse(template))


def reference_digits(training_set, limit=REFERENCE_LIMIT):
    """The real digits the precision and recall balls are drawn around: all, or `limit` chosen at random."""
    images = training_set.images
    if len(images) <= limit:
        return images
    return images[np.sort(np.random.default_rng(0).choice(len(images), limit, replace=False))]


def digit_score(samples, training_set, test_set):
    """The samples' score beside that of real test digits (as many as there are samples), both by
    the same classifier and against the same real digits, and the verdict."""
    classifier = judge_for(training_set)
    samples = as_written(samples)
    test_images = test_set.images
    if len(test_images) > len(samples):
        test_images = test_images[np.sort(np.random.default_rng(0).choice(len(test_images), len(samples), replace=False))]
    reference = reference_digits(training_set)
    samples_score, real_score = classifier.score(samples), classifier.score(test_set.images)
    precision, recall = precision_recall(samples, reference)
    real_precision, real_recall = precision_recall(test_images, reference)
    return {
        "digit_share": samples_score["share"],
        "digit_kinds": samples_score["kinds"],
        "real_digit_share": real_score["share"],
        "real_digit_kinds": real_score["kinds"],
        "digit_confidence": CONFIDENCE,
        "digit_precision": precision,
        "digit_recall": recall,
        "real_digit_precision": real_precision,
        "real_digit_recall": real_recall,
        "sample_verdict": sample_verdict(samples_score["share"], samples_score["kinds"], precision, recall),
    }
