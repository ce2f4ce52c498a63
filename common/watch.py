"""What the harness watches during training so that no work is lost and no failure is silent:
a stop request (Ctrl-C, SIGTERM), a loss or weight that is no longer a number, and the two
loss patterns of a GAN that has stopped learning.
"""

import math
import signal
import sys

import numpy as np
from tqdm import tqdm

from common.errors import UserError
from common.language import current, say, say_in

WINDOW = 50  # iterations the GAN warnings look back over
CHECK_EVERY = 10  # ... looked at every this many iterations: a warning is no later for it, the loop cheaper
WINNING_D_LOSS = 0.05  # D's loss below this: it tells real from fake almost perfectly
WINNING_G_LOSS = 4.0  # ... while G's loss sits above this (D gives it scores below e^-4)
SATURATED_LOSS = 25.0  # BCE of a sigmoid pinned at 0 or 1: PyTorch floors log at -100


class Diverged(UserError):
    """Training produced NaN or infinity: stop, keep the last good checkpoint. The message is in the
    learner's language; `english`, what metrics.json's "stopped" keeps, in English."""

    def __init__(self, message, english=None):
        super().__init__(message)
        self.english = message if english is None else english


def diverged(key, iteration, lr, default_lr, **values):
    """Diverged with the message `key`, its advice filled in, in the learner's language and in English."""
    def text(language):
        return say_in(language, key, iteration=iteration + 1,
                      advice=divergence_advice(iteration, lr, default_lr, language), **values)
    return Diverged(text(current()), english=text("en"))


class StopRequests:
    """Turn the first Ctrl-C (SIGINT) or SIGTERM into a request the loop answers after the
    current step (it saves and exits); a second one interrupts at once. Every file is written
    atomically, so even the second leaves no half-written file behind."""

    EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number

    def __init__(self):
        self.signal = None
        self._previous = {}

    def __enter__(self):
        for number in self.EXIT_STATUS:
            try:
                self._previous[number] = signal.signal(number, self._request)
            except ValueError:  # not the main thread (a test runner's worker): nothing to catch
                pass
        return self

    def __exit__(self, *exc_info):
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _request(self, number, frame):
        if self.signal is not None:  # the second request: stop now
            raise KeyboardInterrupt
        self.signal = number
        tqdm.write(say("stop_requested", signal=signal.Signals(number).name), file=sys.stderr)

    @property
    def requested(self):
        return self.signal is not None

    @property
    def exit_status(self):
        return self.EXIT_STATUS[self.signal]


def lower_lr(lr, default_lr):
    """What to suggest after a divergence: the default, or a tenth of an lr already at or below it."""
    return default_lr if lr > default_lr else lr / 10


EARLY = 3  # a NaN this early, at a usual learning rate, points to the code rather than to the rate


def divergence_advice(iteration, lr, default_lr, language=None):
    """What to do about a NaN or infinity at `iteration` (0-based): at the very start a bug is likelier
    than a learning rate, and a learner who lowers --lr for it loses an afternoon."""
    language = language or current()
    lower = f"--lr {lower_lr(lr, default_lr):g}"
    if iteration < EARLY and lr <= 10 * default_lr:
        return say_in(language, "advice_early", lower=lower)
    return say_in(language, "advice_lower_lr", lr=f"{lr:g}", lower=lower)


def check_finite_losses(losses, iteration, lr, default_lr):
    """Raise Diverged when a loss of this iteration is NaN or infinite."""
    for name, value in losses.items():
        if not math.isfinite(value):
            raise diverged("loss_not_finite", iteration, lr, default_lr, name=name, value=value)


def check_finite_weights(weights, iteration, lr, default_lr):
    """Raise Diverged when weights hold NaN or infinity (instead of saving them)."""
    for name, value in weights.items():
        if not np.all(np.isfinite(value)):
            raise diverged("weights_not_finite", iteration, lr, default_lr, name=name)


class GANWatch:
    """Warn once, in one line, when a GAN's losses show that it has stopped learning. The learner
    reads the warning in the chosen language; metrics.json keeps it in English (`warned`)."""

    def __init__(self):
        self.warned = []

    def check(self, losses, iteration):
        """`losses`: the whole history {"d_loss": [...], "g_loss": [...]}; returns a new warning or None."""
        d_losses, g_losses = losses.get("d_loss", []), losses.get("g_loss", [])
        if len(d_losses) < WINDOW or len(g_losses) < WINDOW or (iteration + 1) % CHECK_EVERY:
            return None
        d_recent, g_recent = np.array(d_losses[-WINDOW:]), np.array(g_losses[-WINDOW:])
        half = WINDOW // 2
        if max(d_recent.mean(), g_recent.mean()) > SATURATED_LOSS:
            return self._warn("gan_saturated", iteration=iteration + 1, d_loss=d_recent.mean(),
                              g_loss=g_recent.mean())
        if (d_recent.mean() < WINNING_D_LOSS and g_recent.mean() > WINNING_G_LOSS
                and g_recent[half:].mean() > g_recent[:half].mean()):
            return self._warn("gan_d_wins", since=iteration + 1 - WINDOW, d_loss=d_recent.mean(),
                              g_loss=g_recent.mean())
        return None

    def _warn(self, kind, **values):
        """The English warning (kept in metrics.json), once per kind; printed in the learner's language."""
        if kind in (kind for kind, _ in self.warned):
            return None
        message = say_in("en", kind, guide=say_in("en", "reading_guide"), **values)
        self.warned.append((kind, message))
        tqdm.write(say(kind, guide=say("reading_guide"), **values), file=sys.stderr)  # above the progress bar
        return message
