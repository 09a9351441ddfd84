import numpy as np
import pytest

from course_utils import classical


def test_median_filter_removes_isolated_specks_and_keeps_edges():
    image = np.zeros((1, 9, 9), np.float32)
    image[0, :, 5:] = 1.0  # a vertical edge
    specked = image.copy()
    specked[0, 2, 2] = 1.0  # one bright speck on the dark side
    filtered = classical.filter_images(specked, "median", 3)
    np.testing.assert_array_equal(filtered, image)  # speck gone, edge exactly where it was
    blurred = classical.filter_images(specked, "gaussian", 1.0)
    assert 0 < blurred[0, 4, 4] < 0.5 < blurred[0, 4, 5] < 1  # the Gaussian smears the edge instead


def test_gaussian_filter_works_on_each_image_alone_and_keeps_the_mean():
    rng = np.random.default_rng(0)
    images = rng.random((3, 16, 16)).astype(np.float32)
    together = classical.filter_images(images, "gaussian", 1.5)
    alone = np.stack([classical.filter_images(image[None], "gaussian", 1.5)[0] for image in images])
    np.testing.assert_allclose(together, alone, atol=1e-6)  # no blur across the batch axis
    np.testing.assert_allclose(together.mean(axis=(1, 2)), images.mean(axis=(1, 2)), atol=1e-3)


def test_best_width_is_chosen_by_psnr_on_the_given_images():
    rng = np.random.default_rng(1)
    clean = np.tile(np.linspace(0.2, 0.8, 32, dtype=np.float32), (20, 32, 1))  # smooth ramps
    noisy = np.clip(clean + rng.normal(0, 0.2, clean.shape), 0, 1).astype(np.float32)
    width, psnr = classical.best_width(noisy, clean, "gaussian", [0.3, 1.0, 3.0])
    assert width == 3.0  # on a smooth image the widest blur removes the most noise
    sharp = np.zeros((20, 32, 32), np.float32)
    sharp[:, :, ::2] = 1.0  # one-pixel stripes: any blur destroys them
    noisy_sharp = np.clip(sharp + rng.normal(0, 0.05, sharp.shape), 0, 1).astype(np.float32)
    assert classical.best_width(noisy_sharp, sharp, "gaussian", [0.3, 1.0, 3.0])[0] == 0.3
    assert psnr > 20


@pytest.mark.parametrize(
    ("kind", "width", "message"),
    [("box", 3, "kind: expected one of"), ("median", 0, "width"), ("gaussian", 0.0, "width")],
)
def test_filter_images_rejects_bad_arguments(kind, width, message):
    with pytest.raises(ValueError, match=message):
        classical.filter_images(np.zeros((1, 4, 4)), kind, width)
    with pytest.raises(ValueError, match="widths"):
        classical.best_width(np.zeros((1, 4, 4)), np.zeros((1, 4, 4)), "median", [])


def test_fill_by_diffusion_restores_a_linear_ramp_exactly():
    """A linear ramp is harmonic, so diffusion from the hole's edge gives it back."""
    ramp = np.tile(np.linspace(0.1, 0.9, 12, dtype=np.float32), (2, 12, 1))
    masks = np.zeros(ramp.shape, bool)
    masks[:, 3:8, 4:9] = True
    holed = np.where(masks, 0.0, ramp).astype(np.float32)
    filled = classical.fill_by_diffusion(holed, masks, iterations=200)
    np.testing.assert_allclose(filled, ramp, atol=1e-4)
    assert np.array_equal(filled[~masks], ramp[~masks])


def test_fill_by_diffusion_refuses_bad_masks():
    images = np.zeros((2, 6, 6), np.float32)
    with pytest.raises(ValueError, match="masks: expected a boolean array"):
        classical.fill_by_diffusion(images, np.zeros((2, 6, 6), int))
    with pytest.raises(ValueError, match="masked everywhere"):
        classical.fill_by_diffusion(images, np.ones((2, 6, 6), bool))
