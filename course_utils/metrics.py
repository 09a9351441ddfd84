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


def psnr(reference, estimate, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB, averaged over images: mean of 10 log10(range^2 / MSE_image).

    An image reproduced exactly has an infinite PSNR; its MSE is floored at 1e-10 (100 dB).
    """
    if not data_range > 0:
        raise ValueError(f"data_range: expected a positive number, got {data_range!r}")
    errors = np.maximum(per_image_mse(reference, estimate), 1e-10)
    return float(np.mean(10.0 * np.log10(data_range**2 / errors)))


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
            raise ValueError(f"masks: expected shape {reference.shape} or {reference.shape[:-1]}, got {mask.shape}")
        mask = np.broadcast_to(mask[..., None], reference.shape)
    counts = mask.reshape(len(mask), -1).sum(axis=1)
    if np.any(counts == 0):
        raise ValueError(f"masks: image {int(np.argmax(counts == 0))} has no masked pixel; every image needs one")
    squared = ((reference - estimate) ** 2 * mask).reshape(len(mask), -1).sum(axis=1)
    errors = np.maximum(squared / counts, 1e-10)
    if not data_range > 0:
        raise ValueError(f"data_range: expected a positive number, got {data_range!r}")
    return float(np.mean(10.0 * np.log10(data_range**2 / errors)))


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


def vae_scores(encode, decode, images, seed: int = 0, batch_size: int = 1000) -> dict[str, float]:
    """The course's VAE measure on ``images``: mean negative ELBO and its two parts, in nats per image.

    ``encode(batch)`` returns (mean, log_var) and ``decode(codes)`` returns logits shaped like the batch.
    One posterior sample per image, drawn with a NumPy generator seeded by ``seed``, so two models with
    the same weights get the same numbers. Returns {"neg_elbo", "recon", "kl"}.
    """
    images = validate.images(images, "images", (2, 3, 4))
    batch_size = validate.positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(seed)
    recon, kl = [], []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        mean, log_var = (np.asarray(part) for part in encode(batch))
        if mean.shape[0] != len(batch):
            raise ValueError(f"encode: expected {len(batch)} rows of means, got shape {mean.shape}")
        codes = mean + np.exp(0.5 * log_var) * rng.standard_normal(mean.shape)
        recon.append(bernoulli_nll(batch, np.asarray(decode(codes.astype(np.float32)))))
        kl.append(gaussian_kl(mean, log_var))
    recon_mean, kl_mean = float(np.mean(np.concatenate(recon))), float(np.mean(np.concatenate(kl)))
    return {"neg_elbo": recon_mean + kl_mean, "recon": recon_mean, "kl": kl_mean}
