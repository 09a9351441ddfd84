"""Argument checks shared by the course's helpers: each error names the argument and what was expected."""

from __future__ import annotations

import numpy as np


def as_array(value, name: str) -> np.ndarray:
    """Convert ``value`` (NumPy array, tensor, list) to a NumPy array, or say which argument failed."""
    try:
        return np.asarray(value)
    except Exception as error:  # a tensor on another device, a ragged list...
        raise TypeError(f"{name}: expected an array-like of numbers, got {type(value).__name__}") from error


def check_ndim(array: np.ndarray, name: str, allowed: tuple[int, ...]) -> None:
    """Raise ValueError unless ``array.ndim`` is one of ``allowed``."""
    if array.ndim not in allowed:
        wanted = " or ".join(f"{n}-D" for n in allowed)
        raise ValueError(f"{name}: expected a {wanted} array, got shape {array.shape}")


def check_unit_range(array: np.ndarray, name: str) -> None:
    """Raise ValueError unless every value of ``array`` is a finite number in [0, 1]."""
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError(f"{name}: expected real numbers, got dtype {array.dtype}")
    if array.size == 0:
        raise ValueError(f"{name}: expected at least one value, got an empty array of shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: expected finite values in [0, 1], found NaN or infinity")
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"{name}: expected pixel values in [0, 1], got values in [{low:.4g}, {high:.4g}]"
            " (divide 8-bit images by 255)"
        )


def images(value, name: str, allowed_ndim: tuple[int, ...] = (3, 4)) -> np.ndarray:
    """A batch of images as a float array in [0, 1]: (n, height, width) or (n, height, width, channels)."""
    array = as_array(value, name)
    check_ndim(array, name, allowed_ndim)
    check_unit_range(array, name)
    return array


def same_shape(first: np.ndarray, second: np.ndarray, first_name: str, second_name: str) -> None:
    """Raise ValueError unless both arrays have the same shape."""
    if first.shape != second.shape:
        raise ValueError(
            f"{first_name} and {second_name}: expected the same shape, got {first.shape} and {second.shape}"
        )


def positive_int(value, name: str) -> int:
    """Return ``value`` as an int, or raise ValueError unless it is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)
