import numpy as np
import pytest

from course_utils import baselines, codes, metrics


def test_principal_direction_samples_keep_mean_and_covariance():
    rng = np.random.default_rng(0)
    training = rng.multivariate_normal([1.0, -2.0], [[2.0, 1.5], [1.5, 2.0]], size=2000)
    samples = codes.sample_in_principal_directions(training, 20000, seed=1)
    np.testing.assert_allclose(samples.mean(axis=0), training.mean(axis=0), atol=0.05)
    np.testing.assert_allclose(np.cov(samples.T), np.cov(training.T), atol=0.1)
    with pytest.raises(ValueError, match="codes: expected a 2-D array"):
        codes.sample_in_principal_directions(np.zeros(5), 3)


def test_uniform_samples_stay_in_each_units_range():
    training = np.array([[0.0, 10.0], [1.0, 20.0], [0.5, 15.0]])
    samples = codes.sample_uniform_in_range(training, 500, seed=0)
    assert samples.shape == (500, 2)
    assert (
        samples[:, 0].min() >= 0
        and samples[:, 0].max() <= 1
        and samples[:, 1].min() >= 10
        and samples[:, 1].max() <= 20
    )


def test_pca_reconstruction_is_exact_inside_the_subspace():
    rng = np.random.default_rng(0)
    basis = rng.random((2, 16)) * 0.3
    train = (rng.random((50, 2)) @ basis).reshape(50, 4, 4)
    test = (rng.random((5, 2)) @ basis).reshape(5, 4, 4)
    np.testing.assert_allclose(baselines.pca_reconstruction(train, test, 2), test, atol=1e-5)
    assert metrics.mse(test, baselines.pca_reconstruction(train, test, 1)) > 1e-6
    with pytest.raises(ValueError, match="same image shape"):
        baselines.pca_reconstruction(train, test.reshape(5, 2, 8), 2)
