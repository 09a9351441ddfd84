"""Models that several notebooks use as tools, each written here once.

A ready-made dense VAE for the notebooks after the VAE lessons (10-12; notebooks 07-09 teach how it is
written), and the source workshop's convolutional face autoencoder (taught in 03, reused in 04).
Keras is imported when this module is, so ``course_utils`` itself stays light.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from course_utils import validate


def decode_images(decoder, codes) -> np.ndarray:
    """Pixel probabilities for a batch of codes: the sigmoid of ``decoder``'s logits, as a NumPy array."""
    return ops.convert_to_numpy(ops.sigmoid(decoder(codes)))


@keras.saving.register_keras_serializable(package="course_utils")
class DenseVAE(keras.Model):
    """A VAE with dense encoder and decoder and a Bernoulli decoder (logits out).

    The training loss per image is the binary cross-entropy summed over pixels plus ``beta`` times the
    analytic KL to N(0, I) summed over the latent dimensions; ``fit`` shows ``loss``, ``reconstruction_loss``
    and ``kl_loss`` (the unweighted KL). ``encode`` returns (mean, log_var); ``decode`` returns logits in
    the images' shape; ``decode_images`` returns pixel probabilities as NumPy.
    """

    def __init__(self, image_shape=(28, 28), latent_dim=2, hidden_units=(512,), beta=1.0, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = tuple(validate.positive_int(size, "image_shape") for size in image_shape)
        self.latent_dim = validate.positive_int(latent_dim, "latent_dim")
        self.hidden_units = tuple(validate.positive_int(units, "hidden_units") for units in hidden_units)
        if not beta >= 0:
            raise ValueError(f"beta: expected a number >= 0, got {beta!r}")
        self.beta, self.seed = float(beta), seed
        pixels = math.prod(self.image_shape)
        self.encoder = keras.Sequential(
            [keras.layers.Flatten()]
            + [keras.layers.Dense(units, activation="relu") for units in self.hidden_units]
            + [keras.layers.Dense(2 * self.latent_dim)],
            name="encoder",
        )
        self.decoder = keras.Sequential(
            [keras.layers.Dense(units, activation="relu") for units in reversed(self.hidden_units)]
            + [keras.layers.Dense(pixels), keras.layers.Reshape(self.image_shape)],
            name="decoder",
        )
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = [keras.metrics.Mean(name=name) for name in ("loss", "reconstruction_loss", "kl_loss")]

    @property
    def metrics(self):
        return self.trackers

    def build(self, input_shape):
        self.encoder.build((None, *self.image_shape))
        self.decoder.build((None, self.latent_dim))
        super().build(input_shape)

    def encode(self, images):
        mean, log_var = ops.split(self.encoder(images), 2, axis=-1)
        return mean, log_var

    def decode(self, codes):
        return self.decoder(codes)

    def sample_codes(self, mean, log_var):
        """One draw from N(mean, exp(log_var)) by the reparameterization trick."""
        return mean + ops.exp(0.5 * log_var) * keras.random.normal(ops.shape(mean), seed=self.seed_generator)

    def call(self, images):
        return self.decode(self.sample_codes(*self.encode(images)))

    def loss_terms(self, images):
        """Batch means of the reconstruction and KL terms, in nats per image."""
        mean, log_var = self.encode(images)
        per_pixel = ops.binary_crossentropy(
            images, self.decode(self.sample_codes(mean, log_var)), from_logits=True
        )
        reconstruction = ops.mean(ops.sum(ops.reshape(per_pixel, (ops.shape(per_pixel)[0], -1)), axis=1))
        kl = ops.mean(-0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=1))
        return reconstruction, kl

    def _update(self, reconstruction, kl, total):
        for tracker, value in zip(self.trackers, (total, reconstruction, kl), strict=True):
            tracker.update_state(value)
        return {tracker.name: tracker.result() for tracker in self.trackers}

    def train_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            reconstruction, kl = self.loss_terms(images)
            total = reconstruction + self.beta * kl
        self.optimizer.apply(tape.gradient(total, self.trainable_weights), self.trainable_weights)
        return self._update(reconstruction, kl, total)

    def test_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        reconstruction, kl = self.loss_terms(images)
        return self._update(reconstruction, kl, reconstruction + self.beta * kl)

    def decode_images(self, codes) -> np.ndarray:
        """Pixel probabilities for ``codes`` (n, latent_dim), as a NumPy array in the images' shape."""
        codes = validate.as_array(codes, "codes").astype(np.float32)
        if codes.ndim != 2 or codes.shape[1] != self.latent_dim:
            raise ValueError(f"codes: expected shape (n, {self.latent_dim}), got {codes.shape}")
        return decode_images(self.decode, codes)

    def encode_mean(self, images, batch_size: int = 1000) -> np.ndarray:
        """Posterior means of ``images`` as a NumPy array (n, latent_dim)."""
        images = validate.images(images, "images", (len(self.image_shape) + 1,))
        if images.shape[1:] != self.image_shape:
            raise ValueError(f"images: expected images of shape {self.image_shape}, got {images.shape[1:]}")
        parts = [
            ops.convert_to_numpy(self.encode(images[i : i + batch_size])[0])
            for i in range(0, len(images), batch_size)
        ]
        return np.concatenate(parts)

    def get_config(self):
        return {
            **super().get_config(),
            "image_shape": self.image_shape,
            "latent_dim": self.latent_dim,
            "hidden_units": self.hidden_units,
            "beta": self.beta,
            "seed": self.seed,
        }


def build_dense_vae(
    image_shape=(28, 28), latent_dim=2, hidden_units=(512,), beta=1.0, seed=0, learning_rate=1e-3
):
    """A built and compiled :class:`DenseVAE` (Adam), ready for ``fit(images, ...)``."""
    vae = DenseVAE(image_shape, latent_dim, hidden_units, beta, seed, name=f"vae_{latent_dim}d")
    vae.build((None, *vae.image_shape))
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate))
    return vae


def source_conv_autoencoder(code_size: int = 32) -> keras.Sequential:
    """The source workshop's convolutional autoencoder for 64x64 faces, compiled (Adam, MSE).

    Notebook 03 teaches its shape arithmetic; notebook 04 reuses it as a face denoiser. Every layer uses
    ``valid`` padding: 3x3 convolutions (32, 64, 128) each followed by 2x2 max-pooling down to 6x6x128, a
    dense code of ``code_size`` (ReLU), a dense layer back to 6x6x128, and transposed convolutions
    (128 5x5 stride 2, 64 3x3 stride 2, 32 2x2 stride 2, 1 3x3 stride 1) from 6 to 15, 31, 62 and 64 pixels.
    """
    code_size = validate.positive_int(code_size, "code_size")
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(64, 64, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(128, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(code_size, activation="relu", name="code"),
            layers.Dense(6 * 6 * 128, activation="relu"),
            layers.Reshape((6, 6, 128)),
            layers.Conv2DTranspose(128, 5, strides=2, activation="relu"),
            layers.Conv2DTranspose(64, 3, strides=2, activation="relu"),
            layers.Conv2DTranspose(32, 2, strides=2, activation="relu"),
            layers.Conv2DTranspose(1, 3, strides=1, activation="sigmoid"),
        ],
        name="source_conv_autoencoder",
    )
    model.compile(optimizer="adam", loss="mse")
    return model
