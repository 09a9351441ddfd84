import numpy as np
import pytest

from course_utils import baselines, codes, metrics


def test_fitted_gaussian_samples_keep_mean_and_covariance():
    rng = np.random.default_rng(0)
    training = rng.multivariate_normal([1.0, -2.0], [[2.0, 1.5], [1.5, 2.0]], size=2000)
    samples = codes.sample_fitted_gaussian(training, 20000, seed=1)
    np.testing.assert_allclose(samples.mean(axis=0), training.mean(axis=0), atol=0.05)
    np.testing.assert_allclose(np.cov(samples.T), np.cov(training.T), atol=0.1)
    with pytest.raises(ValueError, match="codes: expected a 2-D array"):
        codes.sample_fitted_gaussian(np.zeros(5), 3)


def test_scaled_beta_samples_follow_the_sources_recipe():
    training = np.array([[0.0, 10.0, 0.0], [4.0, 20.0, 0.0], [2.0, 15.0, 0.0]])  # maxima 4, 20 and 0
    samples = codes.sample_scaled_beta(training, 40000, seed=0)
    scaled = samples[:, :2] / (np.array([4.0, 20.0]) * 0.75)  # back to the Beta(0.5, 0.5) draws
    assert samples.shape == (40000, 3) and samples.min() >= 0
    np.testing.assert_array_equal(samples[:, 2], 0.0)  # a unit never active stays off
    np.testing.assert_allclose(scaled.max(axis=0), 1.0, atol=1e-3)  # reaches 0.75 x max, not max
    np.testing.assert_allclose(scaled.mean(axis=0), 0.5, atol=0.01)
    np.testing.assert_allclose(scaled.var(axis=0), 0.125, atol=0.005)  # Beta(0.5, 0.5): 1/8; uniform: 1/12
    assert np.mean(scaled[:, 0] < 0.1) == pytest.approx(0.205, abs=0.01)  # arcsine law: 2/pi asin(sqrt .1)


def test_source_pca_samples_give_every_direction_the_same_spread():
    rng = np.random.default_rng(0)
    training = rng.normal(size=(3000, 3)) * np.array([5.0, 1.0, 0.1]) + np.array([1.0, 2.0, 3.0])
    samples = codes.sample_source_pca(training, 40000, n_components=2, seed=1)
    np.testing.assert_allclose(samples.mean(axis=0), training.mean(axis=0), atol=0.05)
    np.testing.assert_allclose(samples.std(axis=0), [2.0, 2.0, 0.0], atol=0.05)  # 2 x N(0, 1), not 5 and 1
    with pytest.raises(ValueError, match="n_components: expected 1 to 3"):
        codes.sample_source_pca(training, 5, n_components=4)


def test_pca_reconstruction_is_exact_inside_the_subspace():
    rng = np.random.default_rng(0)
    basis = rng.random((2, 16)) * 0.3
    train = (rng.random((50, 2)) @ basis).reshape(50, 4, 4)
    test = (rng.random((5, 2)) @ basis).reshape(5, 4, 4)
    np.testing.assert_allclose(baselines.pca_reconstruction(train, test, 2), test, atol=1e-5)
    assert metrics.mse(test, baselines.pca_reconstruction(train, test, 1)) > 1e-6
    with pytest.raises(ValueError, match="same image shape"):
        baselines.pca_reconstruction(train, test.reshape(5, 2, 8), 2)
