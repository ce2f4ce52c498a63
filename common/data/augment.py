"""Training-time augmentation, drawn on the fly from a seeded generator and never stored.

Each image of a batch gets, at random: a horizontal flip, a vertical flip, a
rotation by any angle, a zoom into a random spot (scale/crop) and a change of
brightness and contrast. Rotation and zoom fill the borders by reflecting the
image (BORDER_REFLECT_101), so no grey or black corners appear.
"""

import cv2
import numpy as np

MAX_ZOOM = 1.25  # zoom in by up to 25 %: crops at most a fifth of each side
CONTRAST_RANGE = (0.8, 1.2)  # multiply around mid-grey (0 in [-1, 1])
BRIGHTNESS_RANGE = (-0.1, 0.1)  # add to every pixel


def augment_batch(images, rng, options):
    """Return an augmented copy of `images` (N, H, W, C float32 in [-1, 1]); the input is untouched.

    `options` maps "hflip", "vflip", "rotate", "scale", "color" to True/False.
    Every random number is drawn whether or not its option is on, so switching
    one augmentation off does not change what the others do.
    """
    count = len(images)
    draws = {
        "hflip": rng.random(count) < 0.5,
        "vflip": rng.random(count) < 0.5,
        "angle": rng.uniform(0, 360, count),
        "zoom": rng.uniform(1, MAX_ZOOM, count),
        "shift": rng.uniform(-1, 1, (count, 2)),
        "contrast": rng.uniform(*CONTRAST_RANGE, count),
        "brightness": rng.uniform(*BRIGHTNESS_RANGE, count),
    }
    output = np.array(images, dtype=np.float32, copy=True)
    if any(options.get(name) for name in ("hflip", "vflip", "rotate", "scale")):
        for index in range(count):
            output[index] = move_image(output[index], index, draws, options)
    if options.get("color"):  # the whole batch at once, in place
        output *= draws["contrast"].astype(np.float32)[:, None, None, None]
        output += draws["brightness"].astype(np.float32)[:, None, None, None]
    return np.clip(output, -1, 1, out=output)


def move_image(image, index, draws, options):
    """Image `index` flipped, rotated and zoomed as its draws say."""
    if options.get("hflip") and draws["hflip"][index]:
        image = image[:, ::-1]
    if options.get("vflip") and draws["vflip"][index]:
        image = image[::-1, :]
    angle = draws["angle"][index] if options.get("rotate") else 0.0
    zoom = draws["zoom"][index] if options.get("scale") else 1.0
    if angle or zoom != 1.0:
        image = rotate_and_zoom(image, angle, zoom, draws["shift"][index])
    return image


def rotate_and_zoom(image, angle, zoom, shift):
    """Rotate by `angle` degrees and zoom in by `zoom` around a random point, in one resampling.

    `shift` in [-1, 1]^2 picks the zoom centre: 0 is the image centre and +-1
    moves it as far as the zoomed window can go while staying inside the image.
    """
    height, width = image.shape[:2]
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    source_centre = centre + shift * centre * (1 - 1 / zoom)
    # For each output pixel p, read the input at source_centre + A (p - centre):
    # A turns by the angle and shrinks by the zoom (a smaller window looks bigger).
    radians = np.deg2rad(angle)
    cos, sin = np.cos(radians) / zoom, np.sin(radians) / zoom
    linear = np.array([[cos, -sin], [sin, cos]])
    matrix = np.hstack([linear, (source_centre - linear @ centre)[:, None]])
    warped = cv2.warpAffine(
        np.ascontiguousarray(image),
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REFLECT_101,
    )
    return warped.reshape(image.shape)  # OpenCV drops a trailing channel axis of size 1
