"""The pictures a run leaves, the same in all sixteen scripts: sample grids, side-by-side
reconstructions, the progress GIF and the loss plot (records.py keeps the numbers).

Every image handed to this module is a float32 NumPy array in [-1, 1], HWC or NHWC, with
1 (gray) or 3 (RGB) channels. Every file is written through `atomic_path`, so a crash never
leaves half a PNG behind.
"""

import math
from pathlib import Path

import cv2
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from common.errors import UserError
from common.files import atomic_path

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
