"""The harness: everything around a model that is the same in every framework.

A script provides its network and training step (the contract in common/contract.py) and
ends with one call, `harness.main(script, argv)`. From there the harness reads the flags,
loads the data, starts from the canonical weights or a checkpoint, runs the training loop
(batches, noise, the save and sample schedule, the progress bar), tests, and writes every
output under --out. Each step of the loop below is one line so that it reads as the loop of
any tutorial:

    for iteration in ...:
        losses = train_step(model, optimizer, batch(iteration)[, noise(iteration)])
        save a checkpoint / a progress grid when it is time
"""

import shlex
import sys
import time
from pathlib import Path

import numpy as np

from common import checkpoints, cli, data, defaults, weights
from common.architectures import GAN_MODELS, initial_weights
from common.contract import check_script
from common.out_of_memory import OutOfMemory, stop_if_out_of_memory
from common.outputs import GIF_FRAMES, SAMPLES_IN_GRID, Outputs, in_batches
from common.watch import (Diverged, GANWatch, StopRequests, check_finite_losses, check_finite_weights,
                          divergence_advice)

PROGRESS_RECONSTRUCTIONS = 8  # an AE's progress grid: this many inputs above their reconstructions


def main(script, argv=None):
    """Train and/or test `script` (a module following common/contract.py) as the flags say."""
    check_script(script)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = cli.parse_args(script.MODEL, script.FRAMEWORK, argv)
    device = script.choose_device(args.device)
    with script.running_on(device):
        if args.do_train:
            train(script, args, device, resume_command(script, argv))
        if args.do_test:
            test(script, args, device)


# ----- training -------------------------------------------------------------------------
def train(script, args, device, resume_hint="--resume"):
    outputs = Outputs(args)
    training_set = data.load_training_set(args)
    batches = data.Batches(training_set.images, args.batch_size, args.seed, args.augment)
    outputs.save_training_images(batches)
    model = script.build_model(args.size, args.channels, device)
    optimizer = script.build_optimizer(model, args.lr)
    checkpoint = outputs.path(script.CHECKPOINT)
    if args.resume:
        start, losses = checkpoints.load(script, checkpoint, model, optimizer, args.size, args.channels)
    else:
        start, losses = 0, {}
        script.set_weights(model, starting_weights(args))

    def save(iterations_done, losses):
        check_finite_weights(script.get_weights(model), iterations_done - 1, args.lr, default_lr)  # never save NaN weights
        checkpoints.save(script, checkpoint, model, optimizer, iterations_done, losses, args.size, args.channels)

    is_gan, gan_watch = script.MODEL in GAN_MODELS, GANWatch()
    default_lr = defaults.training_defaults(args.model, args.dataset, args.data)["lr"]
    log, started = outputs.training_log(start, losses), time.time()
    with StopRequests() as stop:
        try:
            for iteration in log.iterations():
                images = batches.batch(iteration)
                noise = data.noise(args.seed, iteration, args.batch_size) if is_gan else None
                try:
                    losses = script.train_step(model, optimizer, images, *([] if noise is None else [noise]))
                except NotImplementedError:  # an exercise's step not written yet (exercises/): nothing diverged
                    log.close()  # the progress bar ends its line before the message's
                    raise
                except Exception as error:
                    stop_if_out_of_memory(error, iteration, args)  # one line naming the flags to lower
                    # A network that overflowed can make a framework raise (PyTorch's BCE refuses
                    # NaN probabilities) before any loss shows it: name the cause, not the symptom.
                    check_network_computes(script, model, images, noise, iteration, args.lr, default_lr)
                    raise
                check_finite_losses(losses, iteration, args.lr, default_lr)
                log.record(**losses)
                if is_gan:
                    gan_watch.check(log.losses, iteration)
                if stop.requested and iteration + 1 < args.iters:
                    log.close()
                    save(iteration + 1, log.losses)
                    print(f"stopped after iteration {iteration + 1} of {args.iters}; the checkpoint is saved. "
                          f"Continue with:\n  {resume_hint}", file=sys.stderr)
                    raise SystemExit(stop.exit_status)
                if is_due(iteration, args.save_every) and iteration + 1 < args.iters:
                    save(iteration + 1, log.losses)
                if is_due(iteration, sample_every(args)):
                    outputs.save_progress_samples(iteration, progress_images(script, model, images))
            log.close()
            save(args.iters, log.losses)
        except (Diverged, OutOfMemory) as error:
            log.close()
            outputs.finish_training(log, started, stopped=str(error), warnings=[text for _, text in gan_watch.warned])
            raise type(error)(f"{error}. {last_checkpoint_note(checkpoint)}") from None
    if args.export_weights is not None:
        weights.save_weights(args.export_weights, script.get_weights(model), args.model, args.size, args.channels)
        print(f"wrote canonical weights to {args.export_weights}")
    outputs.finish_training(log, started, warnings=[text for _, text in gan_watch.warned])


def check_network_computes(script, model, images, noise, iteration, lr, default_lr):
    """Raise Diverged if the weights, or what the network computes from them, are NaN or infinite."""
    check_finite_weights(script.get_weights(model), iteration, lr, default_lr)
    if noise is None:
        outputs = script.reconstruct(model, images)
    else:
        outputs = script.discriminate(model, script.generate(model, noise, training=True), training=True)
    if not np.all(np.isfinite(outputs)):
        raise Diverged(f"the network's outputs became NaN or infinite at iteration {iteration + 1}: "
                       f"{divergence_advice(iteration, lr, default_lr)}")


def resume_command(script, argv):
    """The command that continues this run: the same flags plus --resume."""
    path = Path(script.__file__)
    try:
        path = path.relative_to(Path.cwd())
    except ValueError:
        pass
    flags = [flag for flag in argv if flag != "--resume"]
    return shlex.join(["python", str(path), *flags, "--resume"])


def last_checkpoint_note(checkpoint):
    """Which checkpoint survives a stopped run, in words."""
    try:
        iteration, _ = checkpoints.read_state(checkpoint, None, None, check_size=False)
    except Exception:
        return "No checkpoint was saved before it"
    return f"The checkpoint of iteration {iteration} is kept"


def starting_weights(args):
    """--init-weights if given, else the seeded initial weights shared by all frameworks."""
    if args.init_weights is not None:
        return weights.load_weights(args.init_weights, args.model, args.size, args.channels)
    return initial_weights(args.model, args.size, args.channels, args.seed)


def is_due(iteration, every):
    """True after every `every`-th iteration (never when `every` is 0)."""
    return every > 0 and (iteration + 1) % every == 0


def sample_every(args):
    """--sample-every, or with --gif and no --sample-every, 1/GIF_FRAMES of the run."""
    if args.sample_every or not args.gif:
        return args.sample_every
    return max(1, args.iters // GIF_FRAMES)


def progress_images(script, model, images):
    """A GAN's samples from the fixed noise; an AE's first inputs above their reconstructions."""
    if script.MODEL in GAN_MODELS:
        return script.generate(model, data.fixed_noise(SAMPLES_IN_GRID))
    inputs = images[:PROGRESS_RECONSTRUCTIONS]
    return np.concatenate([inputs, script.reconstruct(model, inputs)])


# ----- testing --------------------------------------------------------------------------
def test(script, args, device):
    outputs = Outputs(args)
    is_gan = script.MODEL in GAN_MODELS
    # A GAN's quality figures compare its samples with the training images; an AE reconstructs the test images.
    images = data.load_training_set(args) if is_gan else data.load_test_set(args)
    model = script.build_model(args.size, args.channels, device)
    checkpoints.load(script, outputs.path(script.CHECKPOINT), model, None, args.size, args.channels)
    if is_gan:
        outputs.finish_generation_test(script.generate(model, data.fixed_noise(SAMPLES_IN_GRID)), images)
    else:
        test_set = images
        reconstructions = [script.reconstruct(model, batch) for batch in in_batches(test_set.images, args.batch_size)]
        outputs.finish_reconstruction_test(test_set, np.concatenate(reconstructions))
