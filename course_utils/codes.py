"""Sampling new codes for a plain autoencoder's decoder (notebooks 02 and 03).

Two ways follow the source workshop (its 2nd, Polish, document) as it does them; the third is the course's.
"""

from __future__ import annotations

import numpy as np

from course_utils import validate


def _codes(codes, n) -> tuple[np.ndarray, int]:
    array = validate.as_array(codes, "codes").astype(np.float64)
    validate.check_ndim(array, "codes", (2,))
    if len(array) < 2:
        raise ValueError(f"codes: expected at least 2 codes to estimate a spread, got {len(array)}")
    return array, validate.positive_int(n, "n")


def sample_fitted_gaussian(codes, n: int, seed: int = 0) -> np.ndarray:
    """Draw ``n`` new codes from a Gaussian fitted to ``codes`` (their mean and covariance).

    Equivalent to a PCA of the codes with each principal coordinate drawn from a normal distribution
    with that direction's observed variance: the samples keep the correlations between code units.
    """
    array, n = _codes(codes, n)
    mean = array.mean(axis=0)
    _, singular_values, directions = np.linalg.svd(array - mean, full_matrices=False)
    spreads = singular_values / np.sqrt(len(array) - 1)
    coordinates = np.random.default_rng(seed).normal(size=(n, len(spreads))) * spreads
    return (mean + coordinates @ directions).astype(np.float32)


def sample_scaled_beta(codes, n: int, seed: int = 0, scale: float = 0.75) -> np.ndarray:
    """The source's first way: each unit independently Beta(0.5, 0.5) x the unit's largest value x ``scale``.

    Meant for a ReLU code (values >= 0): Beta(0.5, 0.5) piles its draws near 0 and near 1, so each unit
    is mostly either off or near ``scale`` times its maximum; correlations between units are ignored.
    """
    array, n = _codes(codes, n)
    maxima = array.max(axis=0)
    draws = np.random.default_rng(seed).beta(0.5, 0.5, size=(n, array.shape[1]))
    return (draws * maxima * scale).astype(np.float32)


def sample_source_pca(
    codes, n: int, n_components: int = 16, coordinate_scale: float = 2.0, seed: int = 0
) -> np.ndarray:
    """The source's second way: a PCA of the codes with ``n_components`` directions, each coordinate drawn
    as ``coordinate_scale`` x N(0, 1), mapped back to code space (mean + coordinates @ directions).

    Unlike :func:`sample_fitted_gaussian`, every direction gets the same spread (2 in code units),
    whatever spread the codes really have along it.
    """
    array, n = _codes(codes, n)
    if not 1 <= n_components <= min(array.shape):
        raise ValueError(
            f"n_components: expected 1 to {min(array.shape)} for codes of shape {array.shape}, "
            f"got {n_components}"
        )
    mean = array.mean(axis=0)
    _, _, directions = np.linalg.svd(array - mean, full_matrices=False)
    coordinates = coordinate_scale * np.random.default_rng(seed).normal(size=(n, n_components))
    return (mean + coordinates @ directions[:n_components]).astype(np.float32)
