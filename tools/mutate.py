"""Mutation testing: would the tests notice a realistic bug? Run before a change to common/ or a
script lands (README, "Tests"; the list and the last run's table: docs/mutations.md).

    python tools/mutate.py                  every mutation: apply, run its tests, restore
    python tools/mutate.py 3 17             only these (numbers as --list shows them)
    python tools/mutate.py --list           the list, nothing run
    python tools/mutate.py --table docs/mutations.md   ... and write the result table there

Each mutation is one bug a person could make: a file, an exact snippet of today's text, what it
becomes, the tests that should notice (pytest arguments), and the bug in one line. Each runs in
a fresh copy of the repository (the working tree's files, not committed ones: what is about to
land), so nothing here is ever changed. A mutation is "caught" when its tests fail, "survived"
when they pass: a survivor is a bug that would ship, and wants a test (or, when no test could
ever see it, a note in `equivalent` saying why). If a snippet is no longer in its file exactly
once, the tool refuses to run anything: the list must follow the code, not rot silently
(tests/test_mutate.py checks the same on every test run).

No third-party mutation package: the mutations are written by hand, one realistic bug each,
rather than every operator flipped everywhere; the point is the bugs people make here.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLE_BEGIN, TABLE_END = "<!-- mutation table: begin -->", "<!-- mutation table: end -->"


@dataclass(frozen=True)
class Mutation:
    file: str  # relative to the repository
    original: str  # exact text, found exactly once in the file
    replacement: str
    tests: tuple  # pytest arguments: files, node ids, -k expressions
    bug: str  # the bug it models, in one line
    equivalent: str = ""  # for a mutant no test can tell apart: why


def tests(*arguments):
    return tuple(arguments)


MUTATIONS = [
    # ----- the seven bugs the first audit found shipping ------------------------------------
    Mutation("keras/keras_like_pytorch.py",
             "def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999,",
             "def __init__(self, learning_rate, beta_1=0.9, beta_2=0.99,",
             tests("tests/test_like_pytorch.py::test_fifty_adam_steps_match_pytorch[keras-ae]"),
             "Keras's Adam with beta2 0.99: the first steps hardly depend on beta2"),
    Mutation("common/harness.py",
             "        reconstructions = np.concatenate([script.reconstruct(model, batch)\n",
             "        images.images = data.augment_batch(images.images, np.random.default_rng(args.seed), args.augment)\n"
             "        reconstructions = np.concatenate([script.reconstruct(model, batch)\n",
             tests("tests/test_harness.py", "-k", "not_augmented"),
             "the AE is tested on augmented test images (photos are augmented by default, digits never)"),
    Mutation("common/training_run.py",
             "noise = data.noise(self.args.seed, iteration, self.args.batch_size)",
             "noise = data.noise(0, iteration, self.args.batch_size)",
             tests("tests/test_harness.py", "-k", "seed"),
             "the GANs' noise ignores --seed"),
    Mutation("common/watch.py",
             "        if not math.isfinite(value):\n            raise diverged(\"loss_not_finite\"",
             "        if math.isinf(value):\n            raise diverged(\"loss_not_finite\"",
             tests("tests/test_harness.py", "-k", "nan_loss"),
             "a NaN loss no longer stops training (only an infinite one does)"),
    Mutation("common/check/diagnosis.py",
             "TOLERANCE = 1e-4  # outputs",
             "TOLERANCE = 1e-3  # outputs",
             tests("tests/test_check.py::test_every_answer_passes[pytorch-ae]"),
             "the answer checker accepts differences ten times the README's 1e-4"),
    Mutation("common/metrics.py",
             "figures.update(digit_score(samples, training_set, test_set))",
             "figures.update(digit_score(training_images[:len(samples)], training_set, test_set))",
             tests("tests/test_harness.py", "-k", "scores"),
             "the digit score judges the training images instead of the samples"),
    Mutation("common/outputs.py",
             "pairs = np.stack([samples, nearest_training_images], axis=1)",
             "pairs = np.stack([samples, nearest_training_images], axis=0)",
             tests("tests/test_harness.py", "-k", "copying"),
             "nearest.png shows all samples, then all nearest images, instead of each sample beside its own"),
    Mutation("common/training_run.py",
             "if is_due(iteration, sample_every(args)):",
             "if is_due(iteration, args.sample_every):",
             tests("tests/test_harness.py", "-k", "gif"),
             "--gif without --sample-every writes no frames (the loop reads the flag, not the helper)"),

    # ----- the training loop (harness) ----------------------------------------------------------
    Mutation("common/harness.py",
             "start, losses = checkpoints.load(script, outputs.path(script.CHECKPOINT), model, optimizer, args.size,",
             "start, losses = checkpoints.load(script, outputs.path(script.CHECKPOINT), model, None, args.size,",
             tests("tests/test_checkpoints.py::test_test_uses_the_trained_weights_and_resume_is_exact[pytorch-ae]"),
             "--resume restores the weights but not Adam's state"),
    Mutation("common/harness.py",
             "        log.close()\n        run.save(args.iters)",
             "        log.close()\n        run.save(args.iters - 1)",
             tests("tests/test_checkpoints.py::test_test_uses_the_trained_weights_and_resume_is_exact[pytorch-ae]"),
             "the last checkpoint records one iteration fewer than it holds"),
    Mutation("common/training_run.py",
             "if is_due(iteration, args.save_every) and not last:\n            self.save(iteration + 1)",
             "if is_due(iteration, args.save_every) and not last:\n            self.save(iteration)",
             tests("tests/test_watch.py::test_a_full_disk_keeps_the_previous_checkpoint[pytorch]"),
             "a periodic checkpoint is labelled with the iteration before the one it holds"),
    Mutation("common/training_run.py",
             "        images = self.batches.batch(iteration)\n",
             "        images = self.batches.batch(iteration - self.log.start_iteration)\n",
             tests("tests/test_watch.py::test_ctrl_c_saves_a_checkpoint_says_how_to_resume_and_the_resume_works[pytorch]"),
             "a resumed run draws its batches from the start again (as many losses, other values)"),
    Mutation("common/harness.py",
             "images = data.load_training_set(args) if is_gan else data.load_test_set(args)",
             "images = data.load_training_set(args)",
             tests("tests/test_checkpoints.py::test_test_uses_the_trained_weights_and_resume_is_exact[pytorch-ae]"),
             "the auto-encoders are tested on the training images"),
    Mutation("common/training_run.py",
             "            return script.generate(model, data.fixed_noise(SAMPLES_IN_GRID))\n",
             "            return script.generate(model, data.noise(0, 0, SAMPLES_IN_GRID))\n",
             tests("tests/test_harness.py", "-k", "gif"),
             "the progress grids are drawn from other noise than the shared fixed noise"),

    # ----- the command line (cli) and the defaults -----------------------------------------------
    Mutation("common/cli.py",
             "chosen = False if args.no_augment else data[\"augment\"][name]",
             "chosen = data[\"augment\"][name]",
             tests("tests/test_defaults.py", "-k", "defaults"),
             "--no-augment is ignored"),
    Mutation("common/cli.py",
             "args.do_train = not args.test",
             "args.do_train = args.train",
             tests("tests/test_pytorch.py::test_script_end_to_end_then_test_alone[ae]"),
             "with neither --train nor --test the script only tests"),
    Mutation("common/cli.py",
             "if args.model in (\"gan\", \"dcgan\") and args.batch_size < 2:",
             "if args.model in (\"gan\", \"dcgan\") and args.batch_size < 1:",
             tests("tests/test_defaults.py", "-k", "two_images"),
             "a GAN accepts --batch-size 1, which BatchNorm cannot train on"),
    Mutation("common/defaults.py",
             "DIGITS: {\"size\": 16, \"channels\": 1, \"augment\": dict(NO_AUGMENTATION)}",
             "DIGITS: {\"size\": 16, \"channels\": 1, \"augment\": ALL_AUGMENTATIONS}",
             tests("tests/test_defaults.py", "tests/test_outputs.py", "-k", "defaults or gan_run"),
             "the digits are augmented by default (a rotated 6 is a 9)"),
    Mutation("common/defaults.py",
             "if data_folder is None and dataset in DATA_DEFAULTS and dataset != PHOTOS:",
             "if dataset in DATA_DEFAULTS and dataset != PHOTOS:",
             tests("tests/test_defaults.py", "-k", "defaults"),
             "a --data folder of photos gets the digits' defaults"),

    # ----- data, batches, augmentation, images ----------------------------------------------------
    Mutation("common/data/__init__.py",
             "    folder = test_folder(args)\n    return read_downloaded(args, \"test\") or load_folder(folder, args.size, args.channels)",
             "    folder = test_folder(args)\n    test_set = read_downloaded(args, \"test\") or load_folder(folder, args.size, args.channels)\n"
             "    test_set.images = augment_batch(test_set.images, np.random.default_rng(args.seed), args.augment)\n"
             "    return test_set",
             tests("tests/test_data.py", "-k", "test_set"),
             "the test images are read augmented"),
    Mutation("common/data/__init__.py",
             "np.random.default_rng([self.seed, ORDER_STREAM, epoch]).permutation(len(self.images))",
             "np.random.default_rng([self.seed, ORDER_STREAM]).permutation(len(self.images))",
             tests("tests/test_data.py", "-k", "epoch"),
             "every epoch shows the images in the same order"),
    Mutation("common/data/__init__.py",
             "rng = np.random.default_rng([self.seed, AUGMENT_STREAM, iteration])",
             "rng = np.random.default_rng([self.seed, AUGMENT_STREAM])",
             tests("tests/test_data.py", "-k", "augment"),
             "every batch gets the same flips, angles and zooms"),
    Mutation("common/data/__init__.py",
             "return rng.standard_normal((batch_size, dim)).astype(np.float32)",
             "return rng.uniform(-1, 1, (batch_size, dim)).astype(np.float32)",
             tests("tests/test_harness.py", "-k", "seed"),
             "the GANs' noise is uniform, not the standard normal the samples are drawn from"),
    Mutation("common/data/augment.py",
             "    if options.get(\"hflip\") and draws[\"hflip\"][index]:\n        image = image[:, ::-1]",
             "    if options.get(\"hflip\") and draws[\"hflip\"][index]:\n        image = image[::-1, :]",
             tests("tests/test_data.py", "-k", "flip"),
             "the horizontal flip flips vertically"),
    Mutation("common/data/augment.py",
             "borderMode=cv2.BORDER_REFLECT_101,",
             "borderMode=cv2.BORDER_CONSTANT,",
             tests("tests/test_data.py", "-k", "rotat"),
             "rotated and zoomed images get black corners"),
    Mutation("common/data/augment.py",
             "    if options.get(\"color\"):  # the whole batch at once, in place",
             "    if True:  # the whole batch at once, in place",
             tests("tests/test_data.py", "-k", "augment or flip"),
             "--no-color does not switch the brightness and contrast change off"),
    Mutation("common/data/augment.py",
             "    return np.clip(output, -1, 1, out=output)",
             "    return output",
             tests("tests/test_data.py", "-k", "range"),
             "brightness and contrast push pixels outside [-1, 1]"),
    Mutation("common/data/images.py",
             "        return image.astype(np.float32) / 127.5 - 1",
             "        return image.astype(np.float32) / 255",
             tests("tests/test_data.py", "-k", "loading"),
             "8-bit images are read into [0, 1] instead of [-1, 1]"),
    Mutation("common/data/images.py",
             "return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB if is_gray else cv2.COLOR_BGR2RGB)",
             "return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if is_gray else image",
             tests("tests/test_images.py"),
             "colour images stay in OpenCV's BGR order"),
    Mutation("common/data/images.py",
             "if any(part.startswith(\".\") for part in relative.parts) or not path.is_file():",
             "if not path.is_file():",
             tests("tests/test_images.py"),
             "hidden files (.DS_Store, ._photo.jpg) are read as images"),
    Mutation("common/data/digits.py",
             "pixels = np.rint(digits.images * 255 / 16).astype(np.uint8)",
             "pixels = np.rint(digits.images * 16).astype(np.uint8)",
             tests("tests/test_data.py", "-k", "digit"),
             "the built-in digits are written with the wrong brightness scale"),

    # ----- checkpoints, files, weights ----------------------------------------------------------
    Mutation("common/checkpoints.py",
             "if state.get(\"checkpoint_sha256\", fingerprint(checkpoint)) != fingerprint(checkpoint):",
             "if False:",
             tests("tests/test_checkpoints.py::test_a_kill_between_checkpoint_and_state_is_refused_on_resume[pytorch]"),
             "a checkpoint beside the state of another save is resumed"),
    Mutation("common/checkpoints.py",
             "if check_size and (state[\"size\"], state[\"channels\"]) != (size, channels):",
             "if check_size and state[\"size\"] != size:",
             tests("tests/test_harness.py", "-k", "other_flags"),
             "a checkpoint trained on gray images is loaded for --channels 3"),
    Mutation("common/files.py",
             "        with contextlib.suppress(FileNotFoundError):\n            os.remove(temporary)",
             "        pass",
             tests("tests/test_records.py", "-k", "atomic"),
             "a failed write leaves its temporary file behind"),
    Mutation("common/files.py",
             "    if not path.exists() and _aside(path).is_dir():",
             "    if False:",
             tests("tests/test_tensorflow.py", "-k", "interrupted_swap"),
             "a TensorFlow checkpoint folder moved aside by an interrupted save is not put back"),
    Mutation("common/weights.py",
             "        if not np.all(np.isfinite(value)):\n            raise UserError(say(\"weights_not_finite_in_file\"",
             "        if False:\n            raise UserError(say(\"weights_not_finite_in_file\"",
             tests("tests/test_watch.py", "-k", "weights_of_a_diverged_run"),
             "--init-weights accepts the NaN weights of a diverged run"),
    Mutation("common/weights.py",
             "        if (file_size, file_channels) != (size, channels):",
             "        if file_size != size:",
             tests("tests/test_harness.py", "-k", "other_flags"),
             "a weight file made for --channels 3 is loaded for --channels 1 (and fails later, unexplained)"),

    # ----- outputs, results, metrics, digit score ------------------------------------------------
    Mutation("common/outputs.py",
             "frames = [frame for frame in frames if int(frame.stem.rsplit(\"_\", 1)[1]) <= self.args.iters]",
             "frames = [frame for frame in frames if int(frame.stem.rsplit(\"_\", 1)[1]) < self.args.iters]",
             tests("tests/test_harness.py", "-k", "gif"),
             "the GIF leaves out the last grid, the one of the finished run"),
    Mutation("common/outputs.py",
             "for stem, original, reconstruction in zip(test_set.stems, test_set.images, reconstructions):",
             "for stem, original, reconstruction in zip(test_set.stems, reconstructions, reconstructions):",
             tests("tests/test_harness.py", "-k", "not_augmented"),
             "the side-by-side pictures show the reconstruction on both sides"),
    Mutation("common/pictures.py",
             "    scaled = (np.asarray(image, dtype=np.float32) + 1.0) * 127.5",
             "    image = np.asarray(image, dtype=np.float32)\n"
             "    scaled = (image - image.min()) / max(float(image.max() - image.min()), 1e-8) * 255",
             tests("tests/test_pictures.py", "-k", "uint8 or stretched"),
             "pictures are min-max stretched, so a dull grey output looks good"),
    Mutation("common/records.py",
             "    metrics.update(_plain(updates))",
             "    metrics = _plain(updates)",
             tests("tests/test_records.py", "-k", "metrics"),
             "--test's figures replace the training's metrics instead of joining them"),
    Mutation("common/records.py",
             "self.losses = {name: [float(value) for value in values] for name, values in (losses or {}).items()}",
             "self.losses = {}",
             tests("tests/test_records.py", "-k", "training_log"),
             "a resumed run forgets the losses before the checkpoint"),
    Mutation("common/metrics.py",
             "values = 10.0 * np.log10(DATA_RANGE**2 / mse)",
             "values = 10.0 * np.log10(DATA_RANGE / mse)",
             tests("tests/test_metrics.py", "-k", "psnr"),
             "PSNR computed with the data range where its square belongs"),
    Mutation("common/metrics.py",
             "SSIM_C2 = (0.03 * DATA_RANGE) ** 2",
             "SSIM_C2 = (0.03 * 255) ** 2",
             tests("tests/test_metrics.py", "-k", "ssim"),
             "SSIM's constant for 8-bit pixels on images in [-1, 1]"),
    Mutation("common/metrics.py",
             "    real_patches = _patches(real, patch_size, patches_per_image, np.random.default_rng([seed, 1]))",
             "    real_patches = _patches(real, patch_size, patches_per_image, np.random.default_rng([seed, 2]))",
             tests("tests/test_metrics.py", "-k", "swd"),
             "the SWD takes the real patches at other places than the generated ones"),
    Mutation("common/digit_score.py",
             "return {\"share\": float(confident.mean()), \"kinds\": int(len(set(predicted[confident].tolist())))}",
             "return {\"share\": float(confident.mean()), \"kinds\": int(len(set(predicted.tolist())))}",
             tests("tests/test_harness.py", "-k", "scores"),
             "the kinds count samples the judge is not sure of"),
    Mutation("common/digit_score.py",
             "recall = np.any(squared <= _ball_radii(fake)[:, None], axis=0).mean()",
             "recall = np.any(squared <= _ball_radii(real)[None, :], axis=0).mean()",
             tests("tests/test_digit_score.py", "-k", "verdict or collapse"),
             "the recall draws its balls around the real digits, so a repeated sample seems to cover some"),
    Mutation("common/digit_score.py",
             "    if kinds <= 2 or recall < COLLAPSE_RECALL:",
             "    if recall < COLLAPSE_RECALL:",
             tests("tests/test_digit_score.py", "-k", "verdict or collapse"),
             "two kinds of digits drawn well are called digits, not mode collapse"),
    Mutation("common/digit_score.py",
             "CONFIDENCE = 0.8  # a sample",
             "CONFIDENCE = 0.3  # a sample",
             tests("tests/test_digit_score.py", "-k", "score"),
             "the judge calls a smudge a digit when it is 30% sure"),

    # ----- watching the run, errors, paths, the contract --------------------------------------------
    Mutation("common/watch.py",
             "return default_lr if lr > default_lr else lr / 10",
             "return lr / 10",
             tests("tests/test_harness.py", "-k", "nan_loss"),
             "a run diverged at --lr 0.01 is told to try 0.001, not the default 0.0002"),
    Mutation("common/watch.py",
             "and g_recent[half:].mean() > g_recent[:half].mean()):",
             "and g_recent[half:].mean() < g_recent[:half].mean()):",
             tests("tests/test_watch.py", "-k", "gan_watch"),
             "'D wins' is warned while G is catching up, not while it falls behind"),
    Mutation("common/watch.py",
             "EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}",
             "EXIT_STATUS = {signal.SIGINT: 143, signal.SIGTERM: 130}",
             tests("tests/test_watch.py", "-k", "second_ctrl_c"),
             "Ctrl-C and SIGTERM exit with each other's status"),
    Mutation("common/errors.py",
             "        print(say(\"error\", message=error), file=sys.stderr)\n        raise SystemExit(2) from None",
             "        print(say(\"error\", message=error), file=sys.stderr)\n        raise SystemExit(1) from None",
             tests("tests/test_errors.py", "-k", "negative_iterations"),
             "a user's mistake exits 1, like a failed run, not 2"),
    Mutation("common/paths.py",
             "return f\"{model}_{framework}_{what}\"",
             "return f\"{framework}_{model}_{what}\"",
             tests("tests/test_harness.py", "-k", "nan_loss"),
             "outputs named <framework>_<model>_..., not the project's <model>_<framework>_..."),
    Mutation("common/contract.py",
             "missing = sorted(name for name in names if not hasattr(script, name))",
             "missing = []",
             tests("tests/test_contract.py", "-k", "missing"),
             "a script lacking a name of the contract is let through, to fail later in the loop"),
    Mutation("common/data/datasets.py",
             "    for kind in (\"md5\", \"sha256\"):\n        if kind in entry and digests[kind] != entry[kind]:",
             "    for kind in (\"sha256\",):\n        if kind in entry and digests[kind] != entry[kind]:",
             tests("tests/test_datasets.py", "-k", "checksum"),
             "a download's MD5 from the manifest is never compared, only its SHA-256"),

    # ----- the frameworks' PyTorch equivalents -----------------------------------------------------
    Mutation("tensorflow/tf_like_pytorch.py",
             "def __init__(self, variables, lr, betas=(0.9, 0.999), eps=ADAM_EPSILON, name=None):",
             "def __init__(self, variables, lr, betas=(0.9, 0.99), eps=ADAM_EPSILON, name=None):",
             tests("tests/test_like_pytorch.py::test_fifty_adam_steps_match_pytorch[tensorflow-ae]"),
             "TensorFlow's Adam with beta2 0.99 (the auto-encoders take the default)"),
    Mutation("chainer/chainer_like_pytorch.py",
             "self.eps = self.pytorch_eps * math.sqrt(1.0 - self.beta2 ** step)",
             "self.eps = self.pytorch_eps",
             tests("tests/test_like_pytorch.py::test_fifty_adam_steps_match_pytorch[chainer-ae]"),
             "Chainer's Adam adds epsilon before the bias correction, not after (as Chainer itself does)"),
    Mutation("pytorch/gan.py",
             "return torch.optim.Adam(network.parameters(), lr=lr, betas=(0.5, 0.999), eps=ADAM_EPSILON, fused=True)",
             "return torch.optim.Adam(network.parameters(), lr=lr, betas=(0.5, 0.99), eps=ADAM_EPSILON, fused=True)",
             tests("tests/test_like_pytorch.py::test_fifty_adam_steps_match_pytorch[pytorch-gan]"),
             "the PyTorch GAN's Adam with beta2 0.99"),

    # ----- running out of memory, and a machine without TensorFlow ------------------------------------
    Mutation("common/training_run.py",
             "                stop_if_out_of_memory(error, self.current[0], self.args)\n",
             "",
             tests("tests/test_out_of_memory.py", "-k", "keeps_the_last_checkpoint"),
             "a GPU that runs out of memory ends in a traceback, not in the line naming --batch-size and --size"),
    Mutation("common/out_of_memory.py",
             "CLASS_NAMES = (\"OutOfMemoryError\", \"ResourceExhaustedError\", \"MemoryError\")",
             "CLASS_NAMES = (\"OutOfMemoryError\", \"ResourceExhaustedError\")",
             tests("tests/test_out_of_memory.py", "-k", "recognised"),
             "a MemoryError (NumPy's on the CPU) is not taken for running out of memory"),
    Mutation("common/quiet_tensorflow.py",
             "    return spec is not None and spec.origin not in (None, \"namespace\")",
             "    return spec is not None",
             tests("tests/test_missing_tensorflow.py"),
             "without TensorFlow installed, the repository's tensorflow/ folder passes for it (Keras on torch fails at save)"),
]


# ----- checking the list ------------------------------------------------------------------------
def problems(mutations=None, root=REPO):
    """One sentence for each mutation whose snippet is not in its file exactly once (or that changes nothing)."""
    found = []
    for number, mutation in enumerate(MUTATIONS if mutations is None else mutations, 1):
        path = root / mutation.file
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        where = f"mutation {number} ({mutation.file}: {mutation.bug})"
        if text is None:
            found.append(f"{where}: there is no file {mutation.file}")
        elif text.count(mutation.original) != 1:
            times = text.count(mutation.original)
            found.append(f"{where}: its original text is in the file {times} times, not once"
                         f"{' (the code changed since the mutation was written)' if times == 0 else ''}")
        elif mutation.original == mutation.replacement:
            found.append(f"{where}: the replacement is the original")
    return found


# ----- running ----------------------------------------------------------------------------------
def working_tree_files(root=REPO):
    """The files git knows or would add (tracked, and untracked but not ignored), as they are now."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in listed if name and (root / name).is_file()]


def copy_of_repository(destination, root=REPO):
    for name in working_tree_files(root):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    digits = root / "Dataset" / "digits"
    if digits.is_dir():  # made on first use; copied so that every run need not make it again
        shutil.copytree(digits, destination / "Dataset" / "digits")


FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run_one(mutation, workers, timeout):
    """('caught' | 'survived' | 'error' | 'timeout', the first failing test or a note, seconds)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        copy = Path(folder)
        copy_of_repository(copy)
        path = copy / mutation.file
        path.write_text(path.read_text(encoding="utf-8").replace(mutation.original, mutation.replacement), encoding="utf-8")
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-n", str(workers),
                   *mutation.tests]
        started = time.time()
        try:
            finished = subprocess.run(command, cwd=copy, env=environment, capture_output=True, text=True,
                                      timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout", f"still running after {timeout} s", time.time() - started
        seconds = time.time() - started
        output = finished.stdout + finished.stderr
        if finished.returncode == 0:
            return "survived", "", seconds
        if finished.returncode == 1:
            failing = FAILED.search(output)
            return "caught", failing.group(1) if failing else "a test failed", seconds
        last = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
        return "error", f"pytest exit status {finished.returncode}: {last[0][:200]}", seconds


def table(mutations, outcomes):
    """The Markdown table of a run: one row per mutation."""
    rows = ["| # | file | the bug | tests | result | seen by |", "|---|---|---|---|---|---|"]
    for number, mutation in enumerate(mutations, 1):
        if number not in outcomes:
            continue
        result, note, seconds = outcomes[number]
        if result == "survived" and mutation.equivalent:
            note = f"equivalent: {mutation.equivalent}"
        shown = " ".join(mutation.tests).replace("|", "\\|")
        rows.append(f"| {number} | `{mutation.file}` | {mutation.bug} | `{shown}` | {result} ({seconds:.0f} s) | "
                    f"{note.replace('|', chr(92) + '|')} |")
    return "\n".join(rows)


def write_table(path, text):
    """Put `text` between the table markers of `path` (the prose around it stays)."""
    document = Path(path).read_text(encoding="utf-8")
    if TABLE_BEGIN not in document or TABLE_END not in document:
        raise SystemExit(f"error: {path} has no {TABLE_BEGIN} ... {TABLE_END} markers to put the table between")
    before, rest = document.split(TABLE_BEGIN, 1)
    _, after = rest.split(TABLE_END, 1)
    Path(path).write_text(f"{before}{TABLE_BEGIN}\n{text}\n{TABLE_END}{after}", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/mutate.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("numbers", nargs="*", type=int, help="run only these mutations (default: all)")
    parser.add_argument("--list", action="store_true", help="print the mutations and run nothing")
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist workers per mutation (default 0: one process)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a mutation's tests may take (default 1800)")
    parser.add_argument("--table", type=Path, metavar="FILE.md", help="write the result table into FILE.md between its markers")
    args = parser.parse_args(argv)

    found = problems()
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        print(f"error: {found[0]}{more}: update tools/mutate.py before running it", file=sys.stderr)
        return 2
    chosen = args.numbers or list(range(1, len(MUTATIONS) + 1))
    unknown = [number for number in chosen if not 1 <= number <= len(MUTATIONS)]
    if unknown:
        print(f"error: no mutation {unknown[0]}; there are {len(MUTATIONS)}", file=sys.stderr)
        return 2
    if args.list:
        for number in chosen:
            mutation = MUTATIONS[number - 1]
            print(f"{number:3d}  {mutation.file:34s} {mutation.bug}   [{' '.join(mutation.tests)}]")
        return 0

    outcomes, started = {}, time.time()
    for number in chosen:
        mutation = MUTATIONS[number - 1]
        outcomes[number] = run_one(mutation, args.workers, args.timeout)
        result, note, seconds = outcomes[number]
        print(f"[{number:2d}/{len(MUTATIONS)}] {result:8s} {mutation.file}: {mutation.bug} ({seconds:.0f} s)"
              f"{': ' + note if note else ''}", flush=True)
    counts = {kind: sum(outcome[0] == kind for outcome in outcomes.values())
              for kind in ("caught", "survived", "error", "timeout")}
    summary = (f"{counts['caught']} caught, {counts['survived']} survived, {counts['error']} errors, "
               f"{counts['timeout']} timed out, of {len(outcomes)} mutations in {(time.time() - started) / 60:.0f} minutes")
    print(summary)
    if args.table:
        write_table(args.table, f"{table(MUTATIONS, outcomes)}\n\n{summary} ({time.strftime('%Y-%m-%d')}, "
                                f"`python tools/mutate.py{' ' + ' '.join(map(str, args.numbers)) if args.numbers else ''}`)")
    unexplained = [number for number, outcome in outcomes.items()
                   if outcome[0] in ("error", "timeout") or (outcome[0] == "survived" and not MUTATIONS[number - 1].equivalent)]
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
