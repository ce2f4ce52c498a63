"""Everything that happens around each training step, in one object, so that the harness's loop
reads as the loop of any tutorial:

    with TrainingRun(...) as run:
        for iteration in log.iterations():
            images, noise = run.inputs(iteration)
            losses = script.train_step(model, optimizer, images, *noise)
            run.after_step(iteration, losses)

`inputs` hands out the batch (and a GAN's noise); `after_step` checks the losses, records them,
watches a GAN's balance, and saves, samples or stops when it is time. Leaving the `with` block
is where failures are named: a step not written yet (an exercise), a network that overflowed
(Diverged, with the checkpoint that survives), a stop request already answered by a save.
"""

import shlex
import sys
import time
from pathlib import Path

import numpy as np

from common import checkpoints, data, defaults
from common.architectures import GAN_MODELS
from common.language import current, say, say_in
from common.out_of_memory import OutOfMemory, stop_if_out_of_memory
from common.outputs import GIF_FRAMES, SAMPLES_IN_GRID
from common.watch import Diverged, GANWatch, StopRequests, check_finite_losses, check_finite_weights, diverged

PROGRESS_RECONSTRUCTIONS = 8  # an AE's progress grid: this many inputs above their reconstructions


class TrainingRun:
    def __init__(self, script, args, model, optimizer, outputs, log, resume_hint):
        self.script, self.args, self.model, self.optimizer = script, args, model, optimizer
        self.outputs, self.log, self.resume_hint = outputs, log, resume_hint
        self.checkpoint = outputs.path(script.CHECKPOINT)
        self.batches = None  # set by the harness once the training images are loaded
        self.is_gan = script.MODEL in GAN_MODELS
        self.gan_watch, self.stop = GANWatch(), StopRequests()
        self.default_lr = defaults.training_defaults(args.model, args.dataset, args.data)["lr"]
        self.current = None  # (iteration, images, noise) of the step under way
        self.started = time.time()

    # ----- around each step --------------------------------------------------------------------
    def inputs(self, iteration):
        """The batch of this iteration and, for a GAN, its noise: (images, (noise,)) or (images, ())."""
        images = self.batches.batch(iteration)
        noise = data.noise(self.args.seed, iteration, self.args.batch_size) if self.is_gan else None
        self.current = (iteration, images, noise)
        return images, (() if noise is None else (noise,))

    def after_step(self, iteration, losses):
        args, log = self.args, self.log
        check_finite_losses(losses, iteration, args.lr, self.default_lr)
        log.record(**losses)
        if self.is_gan:
            self.gan_watch.check(log.losses, iteration)
        last = iteration + 1 == args.iters
        if self.stop.requested and not last:
            log.close()
            self.save(iteration + 1)
            print(say("stopped", done=iteration + 1, total=args.iters, command=self.resume_hint), file=sys.stderr)
            raise SystemExit(self.stop.exit_status)
        if is_due(iteration, args.save_every) and not last:
            self.save(iteration + 1)
        if is_due(iteration, sample_every(args)):
            self.outputs.save_progress_samples(iteration, self.progress_images())

    def save(self, iterations_done):
        """The checkpoint after `iterations_done` iterations; never one of NaN weights."""
        args = self.args
        check_finite_weights(self.script.get_weights(self.model), iterations_done - 1, args.lr, self.default_lr)
        checkpoints.save(self.script, self.checkpoint, self.model, self.optimizer, iterations_done, self.log.losses,
                         args.size, args.channels)

    def progress_images(self):
        """A GAN's samples from the fixed noise; an AE's first inputs above their reconstructions."""
        script, model = self.script, self.model
        if self.is_gan:
            return script.generate(model, data.fixed_noise(SAMPLES_IN_GRID))
        inputs = self.current[1][:PROGRESS_RECONSTRUCTIONS]
        return np.concatenate([inputs, script.reconstruct(model, inputs)])

    @property
    def warnings(self):
        return [text for _, text in self.gan_watch.warned]

    # ----- where failures are named ------------------------------------------------------------
    def __enter__(self):
        self.stop.__enter__()
        return self

    def __exit__(self, kind, error, traceback):
        self.stop.__exit__(kind, error, traceback)
        if kind is None or issubclass(kind, (SystemExit, KeyboardInterrupt)):
            return False
        self.log.close()  # the progress bar ends its line before the message's
        if issubclass(kind, NotImplementedError):  # an exercise's part not written yet: nothing diverged
            return False
        if not issubclass(kind, (Diverged, OutOfMemory)) and self.current is not None:
            # A failed allocation names the flags to lower; a network that overflowed can make a
            # framework raise (PyTorch's BCE refuses NaN probabilities) before any loss shows it:
            # name the cause, not the symptom.
            try:
                stop_if_out_of_memory(error, self.current[0], self.args)
                self.check_network_computes()
            except (Diverged, OutOfMemory) as named:
                error = named
        if not isinstance(error, (Diverged, OutOfMemory)):
            return False
        # metrics.json keeps the reason in English, as it keeps the GAN warnings; the learner reads it in the chosen language
        english = getattr(error, "english", str(error))
        self.outputs.finish_training(self.log, self.started, stopped=english, warnings=self.warnings)
        note, english_note = last_checkpoint_note(self.checkpoint), last_checkpoint_note(self.checkpoint, "en")
        message = say("diverged_and_kept", message=error, note=note)
        english = say_in("en", "diverged_and_kept", message=english, note=english_note)
        raise type(error)(message, english=english) from None  # Diverged or OutOfMemory

    def check_network_computes(self):
        """Raise Diverged if the weights, or what the network computes from them, are NaN or infinite."""
        script, model, args = self.script, self.model, self.args
        iteration, images, noise = self.current
        check_finite_weights(script.get_weights(model), iteration, args.lr, self.default_lr)
        if noise is None:
            outputs = script.reconstruct(model, images)
        else:
            outputs = script.discriminate(model, script.generate(model, noise, training=True), training=True)
        if not np.all(np.isfinite(outputs)):
            raise diverged("outputs_not_finite", iteration, args.lr, self.default_lr)


def resume_command(script, argv):
    """The command that continues this run: the same flags plus --resume."""
    path = Path(script.__file__)
    try:
        path = path.relative_to(Path.cwd())
    except ValueError:
        pass
    flags = [flag for flag in argv if flag != "--resume"]
    return shlex.join(["python", str(path), *flags, "--resume"])


def last_checkpoint_note(checkpoint, language=None):
    """Which checkpoint survives a stopped run, in words (in the learner's language by default)."""
    language = language or current()
    try:
        iteration, _ = checkpoints.read_state(checkpoint, None, None, check_size=False)
    except Exception:
        return say_in(language, "no_checkpoint_yet")
    return say_in(language, "checkpoint_kept", iteration=iteration)


def is_due(iteration, every):
    """True after every `every`-th iteration (never when `every` is 0)."""
    return every > 0 and (iteration + 1) % every == 0


def sample_every(args):
    """--sample-every, or with --gif and no --sample-every, 1/GIF_FRAMES of the run."""
    if args.sample_every or not args.gif:
        return args.sample_every
    return max(1, args.iters // GIF_FRAMES)
