"""Reconstruction metrics the notebooks share, on images in [0, 1]."""

from __future__ import annotations

import numpy as np

from course_utils import validate


def _pair(reference, estimate) -> tuple[np.ndarray, np.ndarray]:
    reference = validate.as_array(reference, "reference").astype(np.float64)
    estimate = validate.as_array(estimate, "estimate").astype(np.float64)
    validate.same_shape(reference, estimate, "reference", "estimate")
    validate.check_ndim(reference, "reference", (2, 3, 4))
    validate.check_unit_range(reference, "reference")
    if not np.all(np.isfinite(estimate)):
        raise ValueError("estimate: expected finite values, found NaN or infinity")
    return reference, estimate


def per_image_mse(reference, estimate) -> np.ndarray:
    """Mean squared error of each image over its pixels: one number per image (first axis)."""
    reference, estimate = _pair(reference, estimate)
    return np.mean((reference - estimate).reshape(len(reference), -1) ** 2, axis=1)


def mse(reference, estimate) -> float:
    """Per-pixel mean squared error over all images (pixels in [0, 1], so the unit is 'per pixel')."""
    return float(np.mean(per_image_mse(reference, estimate)))


def _psnr_from_errors(errors: np.ndarray, data_range: float) -> float:
    """Mean over images of 10 log10(range^2 / MSE), each MSE floored at 1e-10 (100 dB for an exact copy)."""
    if not data_range > 0:
        raise ValueError(f"data_range: expected a positive number, got {data_range!r}")
    return float(np.mean(10.0 * np.log10(data_range**2 / np.maximum(errors, 1e-10))))


def psnr(reference, estimate, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB, averaged over images: mean of 10 log10(range^2 / MSE_image).

    An image reproduced exactly has an infinite PSNR; its MSE is floored at 1e-10 (100 dB).
    """
    return _psnr_from_errors(per_image_mse(reference, estimate), data_range)


def masked_psnr(reference, estimate, masks, data_range: float = 1.0) -> float:
    """PSNR in dB inside ``masks`` only, averaged over images (inpainting: how well the hole is filled).

    ``masks`` is a boolean array of the images' shape (or without their channel axis); each image needs at
    least one True pixel. Each image's MSE is taken over its masked pixels alone.
    """
    reference, estimate = _pair(reference, estimate)
    mask = validate.as_array(masks, "masks")
    if mask.dtype != bool:
        raise TypeError(f"masks: expected a boolean array (True = inside the hole), got dtype {mask.dtype}")
    if mask.shape != reference.shape:
        if mask.shape + (reference.shape[-1],) != reference.shape:
            raise ValueError(
                f"masks: expected shape {reference.shape} or {reference.shape[:-1]}, got {mask.shape}"
            )
        mask = np.broadcast_to(mask[..., None], reference.shape)
    counts = mask.reshape(len(mask), -1).sum(axis=1)
    if np.any(counts == 0):
        raise ValueError(
            f"masks: image {int(np.argmax(counts == 0))} has no masked pixel; every image needs one"
        )
    squared = ((reference - estimate) ** 2 * mask).reshape(len(mask), -1).sum(axis=1)
    return _psnr_from_errors(squared / counts, data_range)


def bernoulli_nll(images, logits) -> np.ndarray:
    """Binary cross-entropy of each image, summed over its pixels, from decoder logits (nats per image).

    The stable form max(l, 0) - l*x + log(1 + exp(-|l|)) is used; ``images`` must be in [0, 1].
    """
    images = validate.images(images, "images", (2, 3, 4)).astype(np.float64)
    logits = validate.as_array(logits, "logits").astype(np.float64)
    validate.same_shape(images, logits, "images", "logits")
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits: expected finite values, found NaN or infinity")
    per_pixel = np.maximum(logits, 0) - logits * images + np.log1p(np.exp(-np.abs(logits)))
    return per_pixel.reshape(len(images), -1).sum(axis=1)


def gaussian_kl_per_dimension(mean, log_var) -> np.ndarray:
    """KL divergence from N(mean, exp(log_var)) to N(0, 1) of each latent dimension: shape (n, latent_dim), nats."""
    mean = validate.as_array(mean, "mean").astype(np.float64)
    log_var = validate.as_array(log_var, "log_var").astype(np.float64)
    validate.same_shape(mean, log_var, "mean", "log_var")
    validate.check_ndim(mean, "mean", (2,))
    return -0.5 * (1.0 + log_var - mean**2 - np.exp(log_var))


def gaussian_kl(mean, log_var) -> np.ndarray:
    """KL divergence from N(mean, exp(log_var)) to N(0, I), summed over the latent dimensions (nats per row)."""
    return gaussian_kl_per_dimension(mean, log_var).sum(axis=1)


def vae_scores(
    encode, decode, images, seed: int = 0, batch_size: int = 1000, conditions=None
) -> dict[str, float]:
    """The course's VAE measure on ``images``: mean negative ELBO and its two parts, in nats per image.

    ``encode(batch)`` returns (mean, log_var) and ``decode(codes)`` returns logits shaped like the batch.
    With ``conditions`` (one row per image, e.g. one-hot labels of a conditional VAE) they are called as
    ``encode(batch, conditions_batch)`` and ``decode(codes, conditions_batch)``, batch by batch.
    One posterior sample per image, drawn with a NumPy generator seeded by ``seed``, so two models with
    the same weights get the same numbers. Returns {"neg_elbo", "recon", "kl"}.
    """
    images = validate.images(images, "images", (2, 3, 4))
    batch_size = validate.positive_int(batch_size, "batch_size")
    if conditions is not None:
        conditions = validate.as_array(conditions, "conditions")
        if len(conditions) != len(images):
            raise ValueError(
                f"conditions: expected one row per image ({len(images)}), got {len(conditions)} rows"
            )
    rng = np.random.default_rng(seed)
    recon, kl = [], []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        extra = () if conditions is None else (conditions[start : start + batch_size],)
        mean, log_var = (np.asarray(part) for part in encode(batch, *extra))
        if mean.shape[0] != len(batch):
            raise ValueError(f"encode: expected {len(batch)} rows of means, got shape {mean.shape}")
        codes = mean + np.exp(0.5 * log_var) * rng.standard_normal(mean.shape)
        recon.append(bernoulli_nll(batch, np.asarray(decode(codes.astype(np.float32), *extra))))
        kl.append(gaussian_kl(mean, log_var))
    recon_mean, kl_mean = float(np.mean(np.concatenate(recon))), float(np.mean(np.concatenate(kl)))
    return {"neg_elbo": recon_mean + kl_mean, "recon": recon_mean, "kl": kl_mean}


def log_mean_exp(values, axis: int = -1) -> np.ndarray:
    """log(mean(exp(values))) along ``axis``, computed stably (the largest value is taken out first)."""
    values = validate.as_array(values, "values").astype(np.float64)
    if values.size == 0:
        raise ValueError("values: expected at least one value, got an empty array")
    peak = np.max(values, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    return np.squeeze(peak, axis=axis) + np.log(np.mean(np.exp(values - peak), axis=axis))


def _gaussian_log_density(values, mean, log_var) -> np.ndarray:
    """log N(values; mean, exp(log_var)) summed over the last axis."""
    return -0.5 * np.sum(np.log(2 * np.pi) + log_var + (values - mean) ** 2 / np.exp(log_var), axis=-1)


def bernoulli_log_likelihood(images, logits) -> np.ndarray:
    """log p(x | z) of a Bernoulli decoder: minus the summed binary cross-entropy (nats per image)."""
    return -bernoulli_nll(images, logits)


def importance_log_weights(
    encode, decode, images, num_samples: int, seed: int = 0, batch_size: int = 100, log_likelihood=None
) -> np.ndarray:
    """log p(x|z) + log p(z) - log q(z|x) for ``num_samples`` draws z ~ q(z|x) per image: shape (n, k), nats.

    ``encode(batch)`` returns (mean, log_var) of a diagonal Gaussian q(z|x); ``decode(codes)`` returns what
    ``log_likelihood(images, decoded)`` scores (default: logits of a Bernoulli decoder). The prior is N(0, I).
    Their log-mean-exp over the k draws is the importance-sampled estimate of log p(x); with k = 1 its mean
    is the ELBO. Draws come from a NumPy generator seeded by ``seed``.
    """
    images = validate.as_array(images, "images")
    validate.check_ndim(images, "images", (2, 3, 4))
    num_samples = validate.positive_int(num_samples, "num_samples")
    batch_size = validate.positive_int(batch_size, "batch_size")
    log_likelihood = bernoulli_log_likelihood if log_likelihood is None else log_likelihood
    rng = np.random.default_rng(seed)
    rows = []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        mean, log_var = (np.asarray(part, dtype=np.float64) for part in encode(batch))
        if mean.shape[0] != len(batch) or mean.shape != log_var.shape:
            raise ValueError(
                f"encode: expected (mean, log_var) with {len(batch)} rows each, got shapes {mean.shape}, {log_var.shape}"
            )
        codes = mean[:, None, :] + np.exp(0.5 * log_var)[:, None, :] * rng.standard_normal(
            (len(batch), num_samples, mean.shape[1])
        )
        flat_codes = codes.reshape(-1, mean.shape[1])
        repeated = np.repeat(batch, num_samples, axis=0)
        decoded = np.asarray(decode(flat_codes.astype(np.float32)))
        log_px_z = np.asarray(log_likelihood(repeated, decoded), dtype=np.float64).reshape(
            len(batch), num_samples
        )
        log_pz = _gaussian_log_density(codes, 0.0, 0.0)
        log_qz = _gaussian_log_density(codes, mean[:, None, :], log_var[:, None, :])
        rows.append(log_px_z + log_pz - log_qz)
    return np.concatenate(rows)


def importance_sampled_log_likelihood(
    encode, decode, images, num_samples: int, seed: int = 0, **kwargs
) -> np.ndarray:
    """Importance-sampled estimate of log p(x) for each image, in nats (k = ``num_samples`` draws from q).

    A lower bound on log p(x) in expectation that tightens as k grows (Burda et al., 2015); k = 1 is the
    ELBO. Keyword arguments go to ``importance_log_weights``.
    """
    return log_mean_exp(
        importance_log_weights(encode, decode, images, num_samples, seed=seed, **kwargs), axis=1
    )


def bits_per_dimension(nats_per_image, dimensions: int) -> float:
    """Convert nats per image to bits per pixel value: nats / (dimensions * ln 2)."""
    dimensions = validate.positive_int(dimensions, "dimensions")
    return float(np.mean(nats_per_image)) / (dimensions * np.log(2.0))
