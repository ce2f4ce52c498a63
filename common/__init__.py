"""Everything the sixteen scripts share that does not depend on a framework.

The scripts in pytorch/, tensorflow/, keras/ and chainer/ import from here:
data loading and augmentation, the command line, result images, metrics and
the canonical weight file. Nothing in this package imports a deep-learning
framework, so it loads fast and behaves the same under all four.
"""
