"""Classical image filters and fills, the baselines a learnt denoiser (04) or inpainter (05) must beat."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from course_utils import metrics, validate

FILTER_KINDS = ("gaussian", "median")


def filter_images(images, kind: str, width: float) -> np.ndarray:
    """Filter each image of a batch (n, height, width) on its own.

    ``kind="gaussian"``: a Gaussian blur whose standard deviation is ``width`` pixels.
    ``kind="median"``: each pixel replaced by the median of the ``width`` x ``width`` window around it
    (``width`` a whole number >= 1). Borders are mirrored.
    """
    array = validate.images(images, "images", allowed_ndim=(3,)).astype(np.float32)
    if kind == "gaussian":
        if not width > 0:
            raise ValueError(f"width: a Gaussian filter needs a standard deviation > 0 pixels, got {width!r}")
        return ndimage.gaussian_filter(array, sigma=(0, width, width), mode="reflect")
    if kind == "median":
        size = validate.positive_int(width, "width")
        return ndimage.median_filter(array, size=(1, size, size), mode="reflect")
    raise ValueError(f"kind: expected one of {FILTER_KINDS}, got {kind!r}")


def best_width(noisy, clean, kind: str, widths: Sequence[float]) -> tuple[float, float]:
    """The width among ``widths`` whose filtered ``noisy`` images have the highest PSNR against ``clean``.

    Choose it on validation images, then apply it once to the test images. Returns (width, PSNR in dB).
    """
    if len(widths) == 0:
        raise ValueError("widths: expected at least one width to try, got none")
    scores = {width: metrics.psnr(clean, filter_images(noisy, kind, width)) for width in widths}
    chosen = max(scores, key=scores.get)
    return chosen, scores[chosen]


def fill_by_diffusion(images, masks, iterations: int = 80, relaxation: float = 1.6) -> np.ndarray:
    """Fill the masked pixels of each image (n, height, width) from their surroundings by diffusion.

    The pixels where ``masks`` is True start at the mean of the known pixels of their image; each iteration
    then moves every masked pixel towards the mean of its four neighbours (borders repeated), in two
    half-sweeps over a checkerboard with over-relaxation ``relaxation`` (red-black SOR), while the known
    pixels stay as they are. It converges to the smoothest fill that meets the hole's edge (harmonic
    inpainting, the solution of Laplace's equation inside the hole).
    """
    array = validate.images(images, "images", allowed_ndim=(3,)).astype(np.float64)
    mask = validate.as_array(masks, "masks")
    if mask.dtype != bool or mask.shape != array.shape:
        raise ValueError(
            f"masks: expected a boolean array of shape {array.shape} (True = fill), "
            f"got dtype {mask.dtype} and shape {mask.shape}"
        )
    iterations = validate.positive_int(iterations, "iterations")
    if not 0 < relaxation < 2:
        raise ValueError(
            f"relaxation: expected a number between 0 and 2 (SOR converges there), got {relaxation!r}"
        )
    known = ~mask
    counts = known.reshape(len(array), -1).sum(axis=1)
    if np.any(counts == 0):
        raise ValueError(
            f"masks: image {int(np.argmax(counts == 0))} is masked everywhere; nothing to fill from"
        )
    means = (array * known).reshape(len(array), -1).sum(axis=1) / counts
    filled = np.where(mask, means[:, None, None], array)
    n, height, width = array.shape
    flat = filled.reshape(-1)  # a view: the updates below write into ``filled``
    checker = np.add.outer(np.arange(height), np.arange(width)) % 2 == 0
    half_sweeps = []
    for colour in (checker, ~checker):  # a red pixel's four neighbours are all black, and back
        image, row, column = np.nonzero(mask & colour)
        neighbours = [
            (image, np.clip(row + dr, 0, height - 1), np.clip(column + dc, 0, width - 1))
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1))
        ]
        half_sweeps.append(
            (
                np.ravel_multi_index((image, row, column), (n, height, width)),
                [np.ravel_multi_index(index, (n, height, width)) for index in neighbours],
            )
        )
    for _ in range(iterations):
        for pixels, around in half_sweeps:
            average = (flat[around[0]] + flat[around[1]] + flat[around[2]] + flat[around[3]]) / 4
            flat[pixels] += relaxation * (average - flat[pixels])
    return filled.astype(np.float32)
