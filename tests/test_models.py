import keras
import numpy as np
import pytest

from course_utils import metrics, models  # noqa: E402


def tiny_images(n=64, seed=0):
    return np.random.default_rng(seed).random((n, 4, 4)).astype(np.float32)


def to_numpy(tensor):
    return np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float64)


def test_dense_vae_trains_and_reports_its_terms():
    images = tiny_images()
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=2, hidden_units=(8,), seed=1)
    history = vae.fit(images, epochs=2, batch_size=16, verbose=0, validation_data=(images,))
    assert set(history.history) >= {"loss", "reconstruction_loss", "kl_loss", "val_loss"}
    assert np.isfinite(history.history["loss"]).all()
    assert history.history["loss"][0] == pytest.approx(
        history.history["reconstruction_loss"][0] + history.history["kl_loss"][0], rel=1e-5
    )
    assert vae.encode_mean(images).shape == (64, 2)
    decoded = vae.decode_images(np.zeros((3, 2)))
    assert decoded.shape == (3, 4, 4) and (decoded >= 0).all() and (decoded <= 1).all()
    scores = metrics.vae_scores(vae.encode, vae.decode, images, seed=0)
    assert scores["neg_elbo"] > 0


def test_dense_vae_beta_weights_only_the_kl_in_the_loss():
    images = tiny_images()
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=2, hidden_units=(8,), beta=4.0)
    logs = vae.evaluate(images, batch_size=64, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["reconstruction_loss"] + 4.0 * logs["kl_loss"], rel=1e-5)


def test_dense_vae_saves_and_loads_identically(tmp_path):
    """A .keras round trip restores the config and both halves: encoder and decoder outputs match exactly."""
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=3, hidden_units=(8,), beta=0.5)
    vae.fit(tiny_images(), epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "vae.keras"
    vae.save(path)
    reloaded = keras.models.load_model(path)
    assert isinstance(reloaded, models.DenseVAE)
    assert reloaded.beta == 0.5 and reloaded.latent_dim == 3 and reloaded.image_shape == (4, 4)
    images = tiny_images(n=5, seed=3)
    for original_part, reloaded_part in zip(vae.encode(images), reloaded.encode(images), strict=True):
        np.testing.assert_array_equal(to_numpy(reloaded_part), to_numpy(original_part))
    np.testing.assert_array_equal(reloaded.encode_mean(images), vae.encode_mean(images))
    codes = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_array_equal(to_numpy(reloaded.decode(codes)), to_numpy(vae.decode(codes)))
    np.testing.assert_array_equal(reloaded.decode_images(codes), vae.decode_images(codes))


def test_dense_vae_rejects_wrong_shapes():
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=2, hidden_units=(8,))
    with pytest.raises(ValueError, match=r"codes: expected shape \(n, 2\)"):
        vae.decode_images(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"images: expected images of shape \(4, 4\)"):
        vae.encode_mean(np.zeros((3, 5, 5)))
    with pytest.raises(ValueError, match="beta"):
        models.DenseVAE(beta=-1)


def test_decode_images_applies_the_sigmoid():
    probabilities = models.decode_images(lambda codes: codes * 0.0, np.zeros((2, 3), dtype=np.float32))
    np.testing.assert_allclose(probabilities, np.full((2, 3), 0.5))


def numpy_cross_entropy_per_image(images, logits):
    """Binary cross-entropy of sigmoid(logits) against ``images``, summed over each image's pixels (NumPy)."""
    probabilities = 1.0 / (1.0 + np.exp(-logits))
    per_pixel = -(images * np.log(probabilities) + (1.0 - images) * np.log1p(-probabilities))
    return per_pixel.reshape(len(images), -1).sum(axis=1)


def vae_with_encoder_bias(bias, latent_dim=3, seed=0):
    """A tiny DenseVAE (4x4 images) whose encoder output layer has the given bias (means, then log-variances)."""
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=latent_dim, hidden_units=(8,), seed=seed)
    output_layer = vae.encoder.layers[-1]
    output_layer.bias.assign(np.asarray(bias, dtype=np.float32))
    return vae, output_layer


def test_dense_vae_kl_is_gaussian_kl_summed_over_latent_dims():
    """loss_terms' KL is the batch mean of metrics.gaussian_kl (a sum over latent dims) of the encoder's output."""
    vae, _ = vae_with_encoder_bias([0.5, -1.0, 2.0, -1.0, 0.5, -2.0])
    images = tiny_images(n=6, seed=2)
    mean, log_var = (to_numpy(part) for part in vae.encode(images))
    _, kl = vae.loss_terms(images)
    expected = metrics.gaussian_kl(mean, log_var)
    assert float(kl) == pytest.approx(float(np.mean(expected)), rel=1e-5)
    assert float(kl) > 1.5 * float(np.mean(metrics.gaussian_kl_per_dimension(mean, log_var)))


def test_dense_vae_reconstruction_is_cross_entropy_summed_over_pixels():
    """With log_var pinned at -30 the sample is the mean: reconstruction = mean over images of the
    per-pixel cross-entropy of decode(mean), summed over the 16 pixels."""
    latent_dim = 3
    vae, output_layer = vae_with_encoder_bias([0.3, -0.2, 0.1] + [-30.0] * latent_dim, latent_dim=latent_dim)
    kernel = to_numpy(output_layer.kernel)
    kernel[:, latent_dim:] = 0.0  # log_var no longer depends on the image: exactly -30
    output_layer.kernel.assign(kernel.astype(np.float32))
    images = tiny_images(n=6, seed=4)
    mean, log_var = (to_numpy(part) for part in vae.encode(images))
    np.testing.assert_array_equal(log_var, -30.0)
    logits = to_numpy(vae.decode(mean.astype(np.float32)))
    expected = numpy_cross_entropy_per_image(images.astype(np.float64), logits)
    np.testing.assert_allclose(expected, metrics.bernoulli_nll(images, logits), rtol=1e-10)
    reconstruction, kl = vae.loss_terms(images)
    assert float(reconstruction) == pytest.approx(float(np.mean(expected)), rel=1e-5)
    assert float(kl) == pytest.approx(float(np.mean(metrics.gaussian_kl(mean, log_var))), rel=1e-5)


def linear_encoder_decoder(pixels=16, latent_dim=2, log_var=-30.0, seed=0):
    """A deterministic linear encode (mean = x W, fixed log_var) and decode (logits = z V + b) in NumPy."""
    rng = np.random.default_rng(seed)
    encoder_weights = rng.standard_normal((pixels, latent_dim)) / 4
    decoder_weights = rng.standard_normal((latent_dim, pixels))
    decoder_bias = rng.standard_normal(pixels) / 2

    def encode(batch):
        flat = np.asarray(batch, dtype=np.float64).reshape(len(batch), -1)
        mean = flat @ encoder_weights
        return mean, np.full_like(mean, log_var)

    def decode(codes):
        return (np.asarray(codes, dtype=np.float64) @ decoder_weights + decoder_bias).reshape(-1, 4, 4)

    return encode, decode


def test_vae_scores_reconstruction_is_the_nll_of_the_decoded_mean():
    """With a tiny posterior variance vae_scores' recon is bernoulli_nll(images, decode(mean)) averaged over
    images (summed, not averaged, over pixels); kl is gaussian_kl's mean and neg_elbo their sum."""
    encode, decode = linear_encoder_decoder()
    images = tiny_images(n=7, seed=5)
    scores = metrics.vae_scores(encode, decode, images, seed=0, batch_size=3)
    mean, log_var = encode(images)
    expected_recon = np.mean(metrics.bernoulli_nll(images, decode(mean.astype(np.float32))))
    expected_kl = np.mean(metrics.gaussian_kl(mean, log_var))
    assert scores["recon"] == pytest.approx(expected_recon, rel=1e-5)
    assert scores["kl"] == pytest.approx(expected_kl, rel=1e-9)
    assert scores["neg_elbo"] == pytest.approx(scores["recon"] + scores["kl"], rel=1e-12)


def test_source_conv_autoencoder_follows_the_source_shapes():
    model = models.source_conv_autoencoder(code_size=8)
    widths = [layer.output.shape[1] for layer in model.layers if len(layer.output.shape) == 4]
    assert widths == [62, 31, 29, 14, 12, 6, 6, 15, 31, 62, 64]
    assert model.get_layer("code").units == 8
    assert tuple(model.layers[-1].output.shape[1:]) == (64, 64, 1)


def test_source_conv_autoencoder_refuses_a_bad_code_size():
    with pytest.raises(ValueError, match="code_size"):
        models.source_conv_autoencoder(code_size=0)
