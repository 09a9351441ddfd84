import numpy as np
import pytest

keras = pytest.importorskip("keras")
from course_utils import metrics, models  # noqa: E402


def tiny_images(n=64, seed=0):
    return np.random.default_rng(seed).random((n, 4, 4)).astype(np.float32)


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
    vae = models.build_dense_vae(image_shape=(4, 4), latent_dim=3, hidden_units=(8,), beta=0.5)
    vae.fit(tiny_images(), epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "vae.keras"
    vae.save(path)
    reloaded = keras.models.load_model(path)
    assert reloaded.beta == 0.5 and reloaded.latent_dim == 3
    codes = np.random.default_rng(0).standard_normal((5, 3))
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
