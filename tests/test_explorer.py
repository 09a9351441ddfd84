import io

import matplotlib
import matplotlib.image
import numpy as np
import pytest

from course_utils import explorer, plots

matplotlib.use("Agg")


def shifting_decoder(codes):
    """A fake 4x4 decoder whose image brightness follows the first latent coordinate."""
    codes = np.asarray(codes)
    level = 1 / (1 + np.exp(-codes[:, :1]))
    return np.repeat(level, 16, axis=1).reshape(-1, 4, 4)


def flat_decoder(codes):
    return np.full((len(codes), 16), 0.5)


def test_decode_one_accepts_flat_and_channel_images():
    assert explorer.decode_one(flat_decoder, [0.0, 0.0]).shape == (4, 4)
    assert explorer.decode_one(lambda c: np.zeros((1, 3, 3, 1)), [0.0]).shape == (3, 3)
    with pytest.raises(ValueError, match="flat vectors of length 15"):
        explorer.decode_one(lambda c: np.zeros((1, 15)), [0.0])


def test_png_bytes_enlarges_each_pixel_into_a_block_and_rejects_bad_ranges():
    """A 2x3 image at scale 4 decodes to 8x12 grey pixels, pixel (r, c) filling rows 4r..4r+3, columns 4c..4c+3."""
    image = np.array([[0, 51, 102], [153, 204, 255]]) / 255  # exact 8-bit grey levels
    png = explorer.png_bytes(image, scale=4)
    assert png.startswith(b"\x89PNG")
    decoded = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert decoded.shape[:2] == (8, 12)
    grey = decoded[..., 0]
    np.testing.assert_array_equal(decoded[..., 1], grey)
    np.testing.assert_array_equal(decoded[..., 2], grey)
    np.testing.assert_allclose(grey, np.kron(image, np.ones((4, 4))), atol=1e-6)
    assert grey[0, 11] == pytest.approx(102 / 255) and grey[7, 0] == pytest.approx(153 / 255)
    assert matplotlib.image.imread(io.BytesIO(explorer.png_bytes(image, scale=1))).shape[:2] == (2, 3)
    with pytest.raises(ValueError, match=r"image: expected pixel values in \[0, 1\]"):
        explorer.png_bytes(np.full((4, 4), 3.0))


def test_static_preview_has_one_panel_per_model_and_setting():
    fig = explorer.static_preview({"a": shifting_decoder, "b": flat_decoder}, [[0, 0], [1, 0], [-1, 0]])
    assert len(fig.axes) == 6
    assert fig.axes[1].get_title() == "z = (1, 0)"
    assert fig.axes[1].title.get_fontsize() >= plots.TITLE_SIZE, "titles readable in a projected notebook"
    with pytest.raises(ValueError, match="decoders"):
        explorer.static_preview({}, [[0, 0]])


def test_moving_a_slider_changes_the_image():
    box = explorer.latent_explorer({"shift": shifting_decoder, "flat": flat_decoder}, latent_dim=2)
    assert len(box.sliders) == 2
    before = box.image.value
    box.sliders[0].value = 2.0
    assert box.image.value != before
    moved = box.image.value
    box.sliders[1].value = 1.0  # the fake decoder ignores z[1]
    assert box.image.value == moved
    box.dropdown.value = "flat"
    assert box.image.value != moved
    with pytest.raises(ValueError, match="limits"):
        explorer.latent_explorer({"shift": shifting_decoder}, limits=(1.0, -1.0))
