"""Result files shared by all sixteen scripts: images, loss plots, metrics and the progress bar.

Every image handed to this module is a float32 NumPy array in [-1, 1], HWC or NHWC, with
1 (gray) or 3 (RGB) channels. Every file is written through `atomic_path`, so a crash never
leaves half a PNG or half a JSON file behind.
"""

import json
import math
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from tqdm import tqdm

from common.errors import UserError
from common.files import atomic_path, write_text_atomic

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
FONT = cv2.FONT_HERSHEY_SIMPLEX
TITLE_HEIGHT = 24  # pixels above each side-by-side panel for its title
MARGIN = 8  # white border around the side-by-side panels
GAP = 2  # pixels between grid cells


# --- Images -----------------------------------------------------------------------------------

def to_uint8(image):
    """Map [-1, 1] to [0, 255]: -1 is black, 1 is white, values outside are clipped.

    The range is fixed on purpose (no min-max rescaling): a dull, grey output must look
    dull and grey, not be stretched into a good-looking picture.
    """
    scaled = (np.asarray(image, dtype=np.float32) + 1.0) * 127.5
    return np.rint(np.clip(scaled, 0.0, 255.0)).astype(np.uint8)


def _as_rgb_uint8(image):
    """One HWC (or HW, or 1HWC) image in [-1, 1] as an RGB uint8 array of shape HxWx3."""
    image = np.asarray(image)
    if image.ndim == 4 and image.shape[0] == 1:
        image = image[0]
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3):
        raise ValueError(f"expected an HWC image with 1 or 3 channels, got shape {image.shape}")
    pixels = to_uint8(image)
    if pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    return pixels


def _upscale(pixels, min_width):
    """Enlarge by a whole factor with nearest neighbour, so that 8x8 digits stay sharp squares."""
    factor = max(1, math.ceil(min_width / pixels.shape[1]))
    if factor == 1:
        return pixels
    return np.repeat(np.repeat(pixels, factor, axis=0), factor, axis=1)


def _write_png(path, rgb):
    """Write an RGB uint8 array as PNG, atomically. OpenCV expects BGR, hence the flip."""
    path = Path(path)
    # A gray picture (three equal channels) is written as one channel: a third of the file.
    pixels = rgb[:, :, 0] if (rgb[:, :, 0] == rgb[:, :, 1]).all() and (rgb[:, :, 0] == rgb[:, :, 2]).all() else rgb[:, :, ::-1]
    with atomic_path(path) as temporary:
        # The temporary name keeps the .png suffix, which is how cv2 picks the format.
        if not cv2.imwrite(str(temporary), np.ascontiguousarray(pixels)):
            raise UserError(f"could not write {path}: check that the folder is writable")


def _put_title(canvas, text, left, width, baseline_y):
    """Draw `text` centred over the columns left..left+width, shrinking the font if too wide."""
    scale = 0.5
    (text_width, _), _ = cv2.getTextSize(text, FONT, scale, 1)
    if text_width > width:
        scale *= width / text_width
        (text_width, _), _ = cv2.getTextSize(text, FONT, scale, 1)
    x = left + max(0, (width - text_width) // 2)
    cv2.putText(canvas, text, (x, baseline_y), FONT, scale, BLACK, 1, cv2.LINE_AA)


def save_side_by_side(path, original, reconstruction, titles=("input", "reconstruction")):
    """Write one PNG: `original` left, `reconstruction` right, each with its title above.

    Small images are enlarged (nearest neighbour) so that each panel is at least 128 px wide.
    """
    pixels = [_as_rgb_uint8(image) for image in (original, reconstruction)]
    if pixels[0].shape != pixels[1].shape:
        raise ValueError(f"images differ in shape: {pixels[0].shape} and {pixels[1].shape}")
    panels = [_upscale(image, 128) for image in pixels]
    height, width, _ = panels[0].shape
    canvas = np.full((MARGIN + TITLE_HEIGHT + height + MARGIN, MARGIN + 2 * width + 2 * MARGIN, 3), 255, np.uint8)
    top = MARGIN + TITLE_HEIGHT
    for index, (panel, title) in enumerate(zip(panels, titles)):
        left = MARGIN + index * (width + MARGIN)
        canvas[top : top + height, left : left + width] = panel
        _put_title(canvas, str(title), left, width, baseline_y=top - 8)
    _write_png(path, canvas)


def save_grid(path, images, columns=8, title=None):
    """Write a grid of samples (NHWC in [-1, 1]) as one PNG, cells at least 64 px, 2 px gaps.

    The last row may be incomplete; its empty cells stay white.
    """
    images = np.asarray(images)
    if images.ndim == 3:  # a single HWC image
        images = images[None]
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"expected a non-empty NHWC batch, got shape {images.shape}")
    cells = [_upscale(_as_rgb_uint8(image), 64) for image in images]
    cell_height, cell_width, _ = cells[0].shape
    columns = max(1, min(columns, len(cells)))
    rows = math.ceil(len(cells) / columns)
    title_height = TITLE_HEIGHT if title else 0
    canvas = np.full(
        (title_height + GAP + rows * (cell_height + GAP), GAP + columns * (cell_width + GAP), 3), 255, np.uint8
    )
    for index, cell in enumerate(cells):
        row, column = divmod(index, columns)
        top = title_height + GAP + row * (cell_height + GAP)
        left = GAP + column * (cell_width + GAP)
        canvas[top : top + cell_height, left : left + cell_width] = cell
    if title:
        _put_title(canvas, str(title), 0, canvas.shape[1], baseline_y=title_height - 7)
    _write_png(path, canvas)


def read_grid(path, size, count, channels=1, columns=8):
    """The `count` images (NHWC in [-1, 1], 8 bits a pixel) of a grid that save_grid wrote with
    `size`-pixel images and no title: the inverse of save_grid, one pixel read from each enlarged one."""
    pixels = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if pixels is None:
        raise UserError(f"cannot read {path} as a PNG")
    factor = max(1, math.ceil(64 / size))
    cell = size * factor
    rows = math.ceil(count / columns)
    expected = (GAP + rows * (cell + GAP), GAP + min(columns, count) * (cell + GAP))
    if pixels.shape[:2] != expected:
        raise UserError(f"{path} is {pixels.shape[1]}x{pixels.shape[0]} pixels, not a grid of {count} "
                        f"{size}x{size} images ({expected[1]}x{expected[0]})")
    images = []
    for index in range(count):
        row, column = divmod(index, columns)
        top, left = GAP + row * (cell + GAP), GAP + column * (cell + GAP)
        images.append(pixels[top:top + cell:factor, left:left + cell:factor, ::-1])
    return np.stack(images)[..., :channels].astype(np.float32) / 127.5 - 1.0


GIF_MAX_WIDTH = 400  # wider frames are halved: a 20-frame GIF of an 8x8 grid stays under 1 MB


def save_gif(path, frame_paths, seconds_per_frame):
    """Write the PNG files `frame_paths` as one looping GIF; the last frame is held longer."""
    from PIL import Image  # Pillow: OpenCV writes no GIF

    frames = []
    for frame_path in frame_paths:
        with Image.open(frame_path) as frame:
            frame = frame.convert("RGB")
        if frame.width > GIF_MAX_WIDTH:
            frame = frame.resize((frame.width // 2, frame.height // 2), Image.Resampling.NEAREST)
        frames.append(frame)
    durations = [int(seconds_per_frame * 1000)] * len(frames)
    durations[-1] *= 4
    with atomic_path(path) as temporary:
        frames[0].save(temporary, format="GIF", save_all=True, append_images=frames[1:],
                       duration=durations, loop=0, optimize=True)


# --- Loss plot --------------------------------------------------------------------------------

def save_loss_plot(path, losses, title):
    """Write a PNG with one line per loss against the iteration number.

    With no values at all (e.g. --iters 0) the plot is empty and says so.
    """
    # The object-oriented Figure with the Agg canvas needs no screen and, unlike pyplot,
    # keeps no global list of open figures that a long run would have to close.
    figure = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    plotted = False
    for name, values in losses.items():
        values = np.asarray(values, dtype=np.float64)
        if values.size:
            axes.plot(np.arange(values.size), values, label=name, linewidth=1)
            plotted = True
    if plotted:
        axes.legend()
    else:
        axes.text(0.5, 0.5, "no training iterations", ha="center", va="center", transform=axes.transAxes)
    axes.set_xlabel("iteration")
    axes.set_ylabel("loss")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    figure.tight_layout()
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png")


# --- Metrics file -----------------------------------------------------------------------------

def _plain(value):
    """Turn NumPy scalars/arrays (and tuples, Paths) into what `json` can write.

    NaN and infinity are not valid JSON, so they become null.
    """
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _load_json_object(path):
    """The JSON object in `path`; raises OSError/ValueError if it is missing or not an object."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def write_metrics(path, updates):
    """Merge `updates` into the JSON file at `path` (created if missing) and write it atomically.

    Keys already in the file stay unless `updates` replaces them, so training and testing can
    each add their part. A file that cannot be read is replaced rather than failing the run.
    """
    try:
        metrics = _load_json_object(path)
    except (OSError, ValueError):
        metrics = {}
    metrics.update(_plain(updates))
    write_text_atomic(path, json.dumps(metrics, indent=2, allow_nan=False) + "\n")


def read_metrics(path):
    """The metrics JSON at `path` as a dict; {} if the file does not exist."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return _load_json_object(path)
    except (OSError, ValueError) as error:
        raise UserError(f"cannot read {path} ({error}): delete it or run the script again") from None


# --- Progress bar -----------------------------------------------------------------------------

class TrainingLog:
    """A progress bar for the training loop that also keeps the loss history and timing.

        log = TrainingLog(args.iters, start_iteration, losses=checkpoint_losses, description="dcgan")
        for iteration in log.iterations():
            ...one training step...
            log.record(d_loss=d_loss, g_loss=g_loss)
        log.close()

    `losses` from a resumed checkpoint are continued, so the loss curve covers the whole run.
    """

    def __init__(self, total_iterations, start_iteration=0, losses=None, description=""):
        self.total_iterations = total_iterations
        self.start_iteration = min(start_iteration, total_iterations)
        self.losses = {name: [float(value) for value in values] for name, values in (losses or {}).items()}
        self._durations = []  # seconds per recorded iteration, this session only
        self._mark = time.perf_counter()
        self._bar = tqdm(
            total=total_iterations,
            initial=self.start_iteration,
            desc=description,
            unit="it",
            file=sys.stderr,
            dynamic_ncols=True,
            mininterval=0.5,
            disable=False,
        )

    def iterations(self):
        """Yield the iteration numbers start_iteration .. total_iterations - 1."""
        self._mark = time.perf_counter()
        for iteration in range(self.start_iteration, self.total_iterations):
            # Timed from one record() to the next: the whole loop (batch, step, bar, checks,
            # and any checkpoint or sample grid written), what an iteration really costs.
            yield iteration
            self._bar.update(1)

    def record(self, **losses):
        """Store this iteration's losses and show them in the bar."""
        now = time.perf_counter()
        self._durations.append(now - self._mark)
        self._mark = now
        for name, value in losses.items():
            self.losses.setdefault(name, []).append(float(value))
        self._bar.set_postfix({name: f"{float(value):.4g}" for name, value in losses.items()}, refresh=False)

    @property
    def seconds_per_iteration(self):
        """Mean wall time of the recorded iterations; the first is left out (warm-up, compilation)."""
        durations = self._durations[1:] if len(self._durations) > 1 else self._durations
        return float(np.mean(durations)) if durations else 0.0

    def close(self):
        self._bar.close()
