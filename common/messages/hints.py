"""The skeletons' hints (# exercise: lines of the answer scripts, tools/make_exercises.py) and the
names of their missing parts ("part: the layers"), which the not-implemented line shows."""

MESSAGES = {
}
