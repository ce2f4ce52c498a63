"""The harness: everything around a model that is the same in every framework.

A script provides its network and training step (the contract in common/contract.py; the
plumbing comes from the support module beside it) and ends with one call,
`harness.main(script, argv)`. From there the harness reads the flags, loads the data, starts
from the canonical weights or a checkpoint, runs the training loop, tests, and writes every
output under --out. The loop below is the loop of any tutorial; what happens around each step
(checks, saves, samples, a stop request, a failure named) is common/training_run.py's.
"""

import sys

import numpy as np

from common import checkpoints, cli, data, language, metrics, weights
from common.architectures import GAN_MODELS, initial_weights
from common.contract import bind
from common.errors import run_main
from common.outputs import SAMPLES_IN_GRID, Outputs, in_batches
from common.training_run import TrainingRun, resume_command


def main(script, argv=None):
    """Train and/or test `script` (a module following common/contract.py) as the flags say."""
    script = bind(script)
    argv = sys.argv[1:] if argv is None else list(argv)
    language.choose(argv)  # --lang, else the locale: the language of every line below
    args = cli.parse_args(script.MODEL, script.FRAMEWORK, argv)
    device = script.choose_device(args.device)
    with script.running_on(device):
        if args.do_train:
            train(script, args, device, resume_command(script, argv))
        if args.do_test:
            test(script, args, device)


def run(main):
    """`harness.run(main)` at a script's end: a user mistake becomes one line (exit status 2), a
    part of an exercise not written yet one line (status 3), Ctrl-C status 130 (common/errors.py)."""
    return run_main(main)


# ----- training -------------------------------------------------------------------------
def train(script, args, device, resume_hint="--resume"):
    outputs = Outputs(args)
    batches = data.Batches(data.load_training_set(args).images, args.batch_size, args.seed, args.augment)
    outputs.save_training_images(batches)
    model = script.build_model(args.size, args.channels, device)
    optimizer = script.build_optimizer(model, args.lr)
    if args.resume:
        start, losses = checkpoints.load(script, outputs.path(script.CHECKPOINT), model, optimizer, args.size,
                                         args.channels)
    else:
        start, losses = 0, {}
        script.set_weights(model, starting_weights(args))
    log = outputs.training_log(start, losses)
    with TrainingRun(script, args, model, optimizer, outputs, log, resume_hint) as run:
        run.batches = batches
        for iteration in log.iterations():
            images, noise = run.inputs(iteration)  # the batch, and a GAN's noise
            losses = script.train_step(model, optimizer, images, *noise)
            run.after_step(iteration, losses)  # checked, recorded; saved, sampled or stopped when due
        log.close()
        run.save(args.iters)
    if args.export_weights is not None:
        weights.save_weights(args.export_weights, script.get_weights(model), args.model, args.size, args.channels)
        print(language.say("wrote_weights", path=args.export_weights))
    outputs.finish_training(log, run.started, warnings=run.warnings)


def starting_weights(args):
    """--init-weights if given, else the seeded initial weights shared by all frameworks."""
    if args.init_weights is not None:
        return weights.load_weights(args.init_weights, args.model, args.size, args.channels)
    return initial_weights(args.model, args.size, args.channels, args.seed)


# ----- testing --------------------------------------------------------------------------
def test(script, args, device):
    outputs = Outputs(args)
    is_gan = script.MODEL in GAN_MODELS
    # A GAN has no test input: its samples are judged against the training images (and, on the
    # digits, by the digit score, with the real test digits as the yardstick).
    images = data.load_training_set(args) if is_gan else data.load_test_set(args)
    model = script.build_model(args.size, args.channels, device)
    checkpoints.load(script, outputs.path(script.CHECKPOINT), model, None, args.size, args.channels)
    if is_gan:
        samples = script.generate(model, data.fixed_noise(SAMPLES_IN_GRID))
        figures, nearest = metrics.sample_figures(samples, images, data.load_test_set_if_any(args),
                                                  digits=data.is_builtin_digits(args) or data.is_mnist(args))
        outputs.write_generation_test(samples, images.images[nearest], figures)
    else:
        reconstructions = np.concatenate([script.reconstruct(model, batch)
                                          for batch in in_batches(images.images, args.batch_size)])
        outputs.write_reconstruction_test(images, reconstructions, metrics.reconstruction_quality(
            images.images, reconstructions))
