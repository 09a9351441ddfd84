"""The importance-sampled log p(x) on a linear-Gaussian model, whose log p(x) is known exactly."""

import numpy as np
import pytest

from course_utils import metrics

NOISE_VAR = 0.5
# orthogonal columns, so the exact posterior of z is a diagonal Gaussian (what the helper's q can express)
WEIGHTS = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 0.0], [0.0, -1.0], [0.5, 0.0]])
BIAS = np.array([0.1, -0.2, 0.3, 0.0, 0.5])


def gaussian_log_likelihood(images, decoded):
    return -0.5 * np.sum(np.log(2 * np.pi * NOISE_VAR) + (images - decoded) ** 2 / NOISE_VAR, axis=1)


def decode(codes):
    return codes.astype(np.float64) @ WEIGHTS.T + BIAS


def exact_log_px(images):
    covariance = WEIGHTS @ WEIGHTS.T + NOISE_VAR * np.eye(len(BIAS))
    centred = images - BIAS
    _, log_det = np.linalg.slogdet(covariance)
    mahalanobis = np.einsum("ni,ij,nj->n", centred, np.linalg.inv(covariance), centred)
    return -0.5 * (len(BIAS) * np.log(2 * np.pi) + log_det + mahalanobis)


def exact_posterior(images):
    precision = np.diag(1.0 + np.sum(WEIGHTS**2, axis=0) / NOISE_VAR)  # diagonal: the columns are orthogonal
    mean = (images - BIAS) @ WEIGHTS / NOISE_VAR @ np.linalg.inv(precision)
    return mean, np.broadcast_to(-np.log(np.diag(precision)), mean.shape)


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    codes = rng.standard_normal((200, 2))
    return decode(codes) + np.sqrt(NOISE_VAR) * rng.standard_normal((200, len(BIAS)))


def test_exact_posterior_gives_log_px_with_every_single_sample(images):
    estimate = metrics.importance_sampled_log_likelihood(
        exact_posterior, decode, images, num_samples=1, log_likelihood=gaussian_log_likelihood
    )
    np.testing.assert_allclose(estimate, exact_log_px(images), atol=1e-4)


def test_a_wrong_posterior_gives_a_bound_that_tightens_with_k(images):
    def rough_posterior(batch):
        mean, log_var = exact_posterior(batch)
        return mean + 0.3, log_var - 0.7  # shifted and too narrow

    truth = exact_log_px(images)
    gaps = {}
    for k in (1, 10, 100, 1000):
        estimate = metrics.importance_sampled_log_likelihood(
            rough_posterior, decode, images, num_samples=k, seed=1, log_likelihood=gaussian_log_likelihood
        )
        gaps[k] = float(np.mean(truth - estimate))
    assert gaps[1] > 0.5  # the ELBO sits well below log p(x)
    assert gaps[1] > gaps[10] > gaps[100] > gaps[1000] > 0  # a bound that tightens with k
    assert gaps[1000] < 0.1


def test_k_equal_one_matches_the_closed_form_elbo_on_average(images):
    def rough_posterior(batch):
        mean, log_var = exact_posterior(batch)
        return mean - 0.2, log_var - 0.5

    weights = metrics.importance_log_weights(
        rough_posterior, decode, images, num_samples=2000, seed=2, log_likelihood=gaussian_log_likelihood
    )
    mean, log_var = rough_posterior(images)
    kl = metrics.gaussian_kl(mean, log_var)
    samples = mean[:, None, :] + np.exp(0.5 * log_var)[:, None, :] * np.random.default_rng(3).standard_normal(
        (len(images), 4000, 2)
    )
    expected_recon = np.mean(
        [gaussian_log_likelihood(images, decode(samples[:, i])) for i in range(samples.shape[1])], axis=0
    )
    np.testing.assert_allclose(weights.mean(axis=1), expected_recon - kl, atol=0.1)


def test_bernoulli_default_and_shapes():
    images = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]])

    def encode(batch):
        return np.zeros((len(batch), 2)), np.zeros((len(batch), 2))

    def decode_logits(codes):
        return np.zeros((len(codes), 3))  # every pixel has probability 0.5

    weights = metrics.importance_log_weights(encode, decode_logits, images, num_samples=7)
    assert weights.shape == (2, 7)
    # q equals the prior, so log p(z) - log q(z|x) = 0 and each weight is 3 log 0.5
    np.testing.assert_allclose(weights, 3 * np.log(0.5))


def test_log_mean_exp_is_stable_and_bits_convert():
    np.testing.assert_allclose(metrics.log_mean_exp(np.array([[1000.0, 1000.0]])), [1000.0])
    np.testing.assert_allclose(metrics.log_mean_exp(np.array([[0.0, np.log(3.0)]])), [np.log(2.0)])
    assert metrics.bits_per_dimension(np.array([784 * np.log(2.0)]), 784) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="dimensions"):
        metrics.bits_per_dimension(1.0, 0)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="num_samples"):
        metrics.importance_log_weights(lambda b: (b, b), lambda z: z, np.zeros((2, 3)), num_samples=0)
    with pytest.raises(ValueError, match="encode"):
        metrics.importance_log_weights(
            lambda b: (np.zeros((1, 2)), np.zeros((1, 2))), lambda z: z, np.zeros((2, 3)), num_samples=2
        )
