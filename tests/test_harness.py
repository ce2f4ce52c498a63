"""What the harness does around any script, checked where a user would see it (the files a run
writes, what it stops with, what the network was handed), not in the helper that should do it.
PyTorch stands for all four frameworks here: the harness is the same code for each."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image

from common import pictures
from common.data import images
from common.data import fixed_noise
from common.errors import UserError
from common.metrics import psnr
from common.outputs import GIF_FRAMES, SAMPLES_IN_GRID
from common.pictures import MARGIN, TITLE_HEIGHT
from common.watch import Diverged
from common.weights import load_weights
from conftest import assert_same_image, load_script

SMALL = ["--size", "16", "--channels", "1", "--batch-size", "4", "--save-every", "0"]


def metrics_of(out, model, framework="pytorch"):
    return json.loads((out / f"{model}_{framework}_metrics.json").read_text())


def recording_steps(script, monkeypatch):
    """Wrap the script's train_step so that the noise the harness hands it is kept."""
    seen, step = [], script.train_step

    def recorded(model, optimizer, images, *noise):
        seen.append(np.array(noise[0]))
        return step(model, optimizer, images, *noise)

    monkeypatch.setattr(script, "train_step", recorded)
    return seen


# ----- the noise follows --seed -------------------------------------------------------------------
def test_the_gan_noise_follows_the_seed(digits, tmp_path, monkeypatch):
    script = load_script("pytorch", "gan")
    noise = {}
    for seed in (0, 7):
        seen = recording_steps(script, monkeypatch)
        script.main([*SMALL, "--seed", str(seed), "--iters", "2", "--train", "--out", str(tmp_path / str(seed))])
        noise[seed] = seen
        monkeypatch.undo()
    for seed, batches in noise.items():
        assert len(batches) == 2 and batches[0].shape == (4, 100)
        assert not np.array_equal(batches[0], batches[1]), f"seed {seed}: the same noise in both iterations"
        drawn = np.concatenate(batches)
        assert abs(drawn.mean()) < 0.2 and 0.8 < drawn.std() < 1.2, f"seed {seed}: not standard normal noise"
    for iteration in range(2):
        assert not np.array_equal(noise[0][iteration], noise[7][iteration]), \
            f"--seed 7 trained iteration {iteration + 1} on the noise of --seed 0"


# ----- a NaN loss stops the run -------------------------------------------------------------------
def nan_at(script, iteration, monkeypatch):
    """Make the script's train_step report a NaN d_loss at `iteration` (1-based); return the list
    that gets one entry per call."""
    step, calls = script.train_step, []

    def diverging(model, optimizer, images, noise):
        losses = step(model, optimizer, images, noise)
        calls.append(1)
        return {**losses, "d_loss": float("nan")} if len(calls) == iteration else losses

    monkeypatch.setattr(script, "train_step", diverging)
    return calls


def test_a_nan_at_the_second_iteration_at_the_default_rate_points_to_the_code(digits, tmp_path, monkeypatch):
    """Chainer without cleargrads() goes NaN at iteration 2 at any learning rate: lowering --lr, the
    old advice, cannot help; the message names the likely code mistakes and the checker first."""
    script, out = load_script("pytorch", "gan"), tmp_path / "out"
    nan_at(script, 2, monkeypatch)
    with pytest.raises(Diverged, match=r"^d_loss became nan at iteration 2: so early points to the code, not the "
                                       r"learning rate: gradients never cleared \(zero_grad\(\) / cleargrads\(\)\).*"
                                       r"python -m common.check.*try --lr 2e-05"):
        script.main([*SMALL, "--iters", "20", "--train", "--out", str(out)])


def test_a_nan_loss_stops_training_at_once_without_any_save(digits, tmp_path, monkeypatch):
    """With --save-every 0 no weight check runs before the end: only the loss check can stop the
    run where it diverged. The weights stay finite here, so nothing else would notice."""
    script, out = load_script("pytorch", "gan"), tmp_path / "out"
    calls = nan_at(script, 4, monkeypatch)
    with pytest.raises(Diverged, match=r"^d_loss became nan at iteration 4: training diverged.*try --lr 0\.0002\. ") as raised:
        script.main([*SMALL, "--lr", "0.01", "--iters", "20", "--train", "--out", str(out)])  # above the default 0.0002
    assert len(calls) == 4, "training went on after the NaN"
    assert "No checkpoint was saved" in str(raised.value)
    metrics = metrics_of(out, "gan")
    assert metrics["stopped"].startswith("d_loss became nan at iteration 4")
    assert len(metrics["losses"]["d_loss"]) == 3  # the three good iterations, not the NaN


# ----- --gif alone ---------------------------------------------------------------------------------
def test_gif_alone_writes_twenty_frames_over_the_run(digits, tmp_path):
    """--gif without --sample-every: a grid every iters / 20 iterations, the last one's included,
    each drawn from the shared fixed noise (the grid of the last iteration is the trained G's)."""
    script, out = load_script("pytorch", "gan"), tmp_path / "out"
    iterations = 2 * GIF_FRAMES
    script.main([*SMALL, "--iters", str(iterations), "--gif", "--train", "--out", str(out),
                 "--export-weights", str(tmp_path / "trained.npz")])
    with Image.open(out / "gan_pytorch_progress.gif") as gif:
        assert gif.n_frames == GIF_FRAMES
    grids = sorted(path.name for path in out.glob("gan_pytorch_samples_*.png"))
    assert grids == [f"gan_pytorch_samples_{iteration:06d}.png" for iteration in range(2, iterations + 1, 2)]
    network = script.build_model(16, 1)
    script.set_weights(network, load_weights(tmp_path / "trained.npz", "gan", 16, 1))
    pictures.save_grid(tmp_path / "expected.png", script.generate(network, fixed_noise(SAMPLES_IN_GRID)),
                      title=f"iteration {iterations}")
    assert_same_image(out / f"gan_pytorch_samples_{iterations:06d}.png", tmp_path / "expected.png")


# ----- the digit score judges the samples ----------------------------------------------------------
@pytest.fixture
def trained_gan(digits, tmp_path):
    script, out = load_script("pytorch", "gan"), tmp_path / "out"
    script.main([*SMALL, "--iters", "1", "--train", "--out", str(out)])
    return script, out


def test_a_gan_drawing_one_gray_square_scores_no_digits(trained_gan, monkeypatch):
    script, out = trained_gan
    monkeypatch.setattr(script, "generate", lambda model, noise, training=False: np.zeros((len(noise), 16, 16, 1), np.float32))
    script.main([*SMALL, "--test", "--out", str(out)])
    metrics = metrics_of(out, "gan")
    assert (metrics["digit_share"], metrics["digit_kinds"]) == (0.0, 0)
    assert (metrics["real_digit_share"], metrics["real_digit_kinds"]) == (1.0, 10)  # the yardstick stays


def test_a_gan_drawing_real_digits_scores_them_all(trained_gan, digits, monkeypatch):
    script, out = trained_gan
    test_digits = images.load_folder(digits / "test" / "images", 16, 1).images
    drawn = np.resize(test_digits, (SAMPLES_IN_GRID, 16, 16, 1))  # the 20 test digits over and over
    monkeypatch.setattr(script, "generate", lambda model, noise, training=False: drawn[:len(noise)])
    script.main([*SMALL, "--test", "--out", str(out)])
    metrics = metrics_of(out, "gan")
    assert (metrics["digit_share"], metrics["digit_kinds"]) == (1.0, 10)


def test_a_gan_copying_training_images_shows_each_beside_itself(trained_gan, digits, monkeypatch):
    """nearest.png pairs every sample with its nearest training image (sample, nearest, ...): a
    generator that copies training digits gets each copy beside its original, at distance 0."""
    script, out = trained_gan
    training = images.load_folder(digits / "train" / "images", 16, 1).images
    copies = training[::7][:SAMPLES_IN_GRID]
    monkeypatch.setattr(script, "generate", lambda model, noise, training=False: copies[:len(noise)])
    script.main([*SMALL, "--test", "--out", str(out)])
    assert metrics_of(out, "gan")["nearest_training_distance"] < 1e-3  # 0 but for rounding (real test digits: 0.19)
    grid = pictures.read_grid(out / "gan_pytorch_nearest.png", 16, 2 * SAMPLES_IN_GRID, columns=16)
    np.testing.assert_array_equal(grid[0::2], grid[1::2])  # each sample, then the same image
    np.testing.assert_allclose(grid[0::2], copies, atol=1 / 127.5)


# ----- an auto-encoder is tested on the test images as they are --------------------------------------
def photo_folder(root, count=3, size=20):
    """train/images and test/images of small random colour pictures: photos, so every augmentation is on."""
    rng = np.random.default_rng(3)
    for split in ("train", "test"):
        folder = root / split / "images"
        folder.mkdir(parents=True)
        for index in range(count):
            picture = cv2.GaussianBlur(rng.integers(0, 256, (size, size, 3), dtype=np.uint8), (0, 0), 1.5)
            cv2.imwrite(str(folder / f"{split}{index}.png"), picture)
    return root / "train" / "images", root / "test" / "images"


def test_the_test_images_are_not_augmented(tmp_path):
    """Photos get every augmentation in training; the test must still see each file as it is:
    its panel in the side-by-side picture and the PSNR are those of the file's pixels."""
    script, out = load_script("pytorch", "ae"), tmp_path / "out"
    train, test = photo_folder(tmp_path / "photos")
    flags = ["--data", str(train), "--size", "16", "--channels", "1", "--batch-size", "2", "--out", str(out)]
    script.main([*flags, "--iters", "1", "--train", "--export-weights", str(tmp_path / "trained.npz")])
    assert all(metrics_of(out, "ae")["augment"].values())
    script.main([*flags, "--test"])
    originals = images.load_folder(test, 16, 1)
    network = script.build_model(16, 1)
    script.set_weights(network, load_weights(tmp_path / "trained.npz", "ae", 16, 1))
    expected = psnr(originals.images, script.reconstruct(network, originals.images))
    assert abs(metrics_of(out, "ae")["psnr"] - expected) <= 1e-3
    for stem, original in zip(originals.stems, originals.images):
        shown = cv2.imread(str(out / f"ae_pytorch_{stem}.png"), cv2.IMREAD_GRAYSCALE)
        top = MARGIN + TITLE_HEIGHT
        panel = shown[top:top + 128:8, MARGIN:MARGIN + 128:8]  # 16 pixels enlarged to 128, one in each 8
        np.testing.assert_array_equal(panel, pictures.to_uint8(original[..., 0]), err_msg=stem)


# ----- files made with other flags are refused by name ----------------------------------------------
def test_a_checkpoint_or_weight_file_of_other_flags_is_refused_by_name(digits, tmp_path):
    """Trained gray, asked for colour (or another size): the message names the flags to pass,
    before a framework fails on shapes it cannot explain."""
    script, out = load_script("pytorch", "ae"), tmp_path / "out"
    script.main([*SMALL, "--iters", "1", "--train", "--out", str(out), "--export-weights", str(tmp_path / "gray.npz")])
    for flags in (["--channels", "3"], ["--size", "8"]):
        other = ["--size", "16", "--channels", "1", *flags]
        with pytest.raises(UserError, match="trained with --size 16 --channels 1; pass the same flags"):
            script.main([*other, "--test", "--out", str(out)])
        with pytest.raises(UserError, match="made with --size 16 --channels 1; pass those flags"):
            script.main([*other, "--iters", "0", "--train", "--init-weights", str(tmp_path / "gray.npz"),
                         "--out", str(tmp_path / "other")])


def test_native_start_up_lines_are_filtered_and_every_other_line_passes(capfd):
    """What C++ writes to file descriptor 2 inside the block: the known start-up lines go, an
    unknown line (a real error) comes through, in order."""
    import os
    from common.quiet_tensorflow import native_stderr_filtered
    with native_stderr_filtered():
        os.write(2, b"I0000 00:00:1.0 1 port.cc:153] oneDNN custom operations are on. You may see\n")
        os.write(2, b"a real error from the C++ side\n")
        os.write(2, b"E0000 00:00:2.0 1 cuda_platform.cc:52] failed call to cuInit: INTERNAL\n")
    assert capfd.readouterr().err == "a real error from the C++ side\n"
