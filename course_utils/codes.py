"""Sampling new codes for a plain autoencoder's decoder (notebooks 02 and 03)."""

from __future__ import annotations

import numpy as np

from course_utils import validate


def sample_in_principal_directions(codes, n: int, seed: int = 0) -> np.ndarray:
    """Draw ``n`` new codes from a Gaussian with the training codes' mean and covariance.

    Equivalent to fitting a PCA to ``codes`` and drawing each principal coordinate from a normal
    distribution with that direction's observed variance: the sampled codes keep the correlations
    between code units that independent per-unit draws would break.
    """
    array = validate.as_array(codes, "codes").astype(np.float64)
    validate.check_ndim(array, "codes", (2,))
    n = validate.positive_int(n, "n")
    if len(array) < 2:
        raise ValueError(f"codes: expected at least 2 codes to estimate a spread, got {len(array)}")
    mean = array.mean(axis=0)
    _, singular_values, directions = np.linalg.svd(array - mean, full_matrices=False)
    spreads = singular_values / np.sqrt(len(array) - 1)
    coordinates = np.random.default_rng(seed).normal(size=(n, len(spreads))) * spreads
    return (mean + coordinates @ directions).astype(np.float32)


def sample_uniform_in_range(codes, n: int, seed: int = 0) -> np.ndarray:
    """Draw ``n`` codes with each unit uniform between its smallest and largest training value."""
    array = validate.as_array(codes, "codes").astype(np.float64)
    validate.check_ndim(array, "codes", (2,))
    n = validate.positive_int(n, "n")
    low, high = array.min(axis=0), array.max(axis=0)
    return np.random.default_rng(seed).uniform(low, high, size=(n, array.shape[1])).astype(np.float32)
