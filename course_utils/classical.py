"""Classical image filters, the baselines a learnt denoiser must beat (notebook 04)."""

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
