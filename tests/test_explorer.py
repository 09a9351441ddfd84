import matplotlib
import numpy as np
import pytest

from course_utils import explorer

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


def test_png_bytes_enlarges_and_rejects_bad_ranges():
    png = explorer.png_bytes(np.zeros((4, 4)), scale=3)
    assert png.startswith(b"\x89PNG")
    with pytest.raises(ValueError, match=r"image: expected pixel values in \[0, 1\]"):
        explorer.png_bytes(np.full((4, 4), 3.0))


def test_static_preview_has_one_panel_per_model_and_setting():
    fig = explorer.static_preview({"a": shifting_decoder, "b": flat_decoder}, [[0, 0], [1, 0], [-1, 0]])
    assert len(fig.axes) == 6
    assert fig.axes[1].get_title() == "z = (1, 0)"
    with pytest.raises(ValueError, match="decoders"):
        explorer.static_preview({}, [[0, 0]])


def test_moving_a_slider_changes_the_image():
    pytest.importorskip("ipywidgets")
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
