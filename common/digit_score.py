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

Why this classifier: with scikit-learn's pairwise-coupled Platt probabilities (SVC with
probability=True) noise, blobs and blurred strokes get low confidence (measured: 0 of 64
uniform-noise images and 0 of 64 blurred blobs pass 0.8) while held-out real digits all
pass. The replacement scikit-learn suggests, CalibratedClassifierCV, called 60-80 % of the
same noise a confident digit, so it would make a broken GAN look good.
"""

import warnings

import cv2
import numpy as np

CONFIDENCE = 0.8  # a sample is "a digit" when one class has at least this probability
CLASSIFIER_SIDE = 8  # the classifier sees 8x8 gray images, the resolution of the original digits


def to_classifier_input(images):
    """NHWC images in [-1, 1] at any size -> (N, 64) gray 8x8 rows, the classifier's input."""
    images = np.asarray(images, dtype=np.float32)
    gray = images.mean(axis=3)  # a gray image read as RGB has three equal channels
    side = CLASSIFIER_SIDE
    rows = [cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA) for image in gray]
    return np.stack(rows).reshape(len(images), side * side)


class DigitClassifier:
    """An SVC trained on labelled digits; deterministic for the same training images."""

    def __init__(self, images, labels):
        from sklearn.svm import SVC  # imported here: only runs on the digits need it

        self.classifier = SVC(C=10, gamma="scale", probability=True, random_state=0)
        with warnings.catch_warnings():
            # scikit-learn 1.9 deprecates probability=True; its suggested replacement is far
            # worse at rejecting noise (see the module docstring), and the version is pinned.
            warnings.simplefilter("ignore", FutureWarning)
            self.classifier.fit(to_classifier_input(images), np.asarray(labels))

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
    """The digit of each image, from its class folder (Dataset/digits/.../images/<digit>/...)."""
    return [int(path.parent.name) for path in image_set.paths]


def digit_score(samples, training_set, test_set):
    """The samples' score beside that of the real test digits, both by the same classifier."""
    classifier = DigitClassifier(training_set.images, labels_of(training_set))
    samples_score, real_score = classifier.score(samples), classifier.score(test_set.images)
    return {
        "digit_share": samples_score["share"],
        "digit_kinds": samples_score["kinds"],
        "real_digit_share": real_score["share"],
        "real_digit_kinds": real_score["kinds"],
        "digit_confidence": CONFIDENCE,
    }
