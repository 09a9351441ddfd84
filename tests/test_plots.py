import numpy as np
import pytest
from matplotlib import pyplot as plt

from course_utils import plots

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def visible_images(fig):
    return sum(len(ax.images) for ax in fig.axes)


def test_image_grid_lays_out_and_titles():
    fig = plots.image_grid(RNG.random((7, 8, 8)), ncols=3, titles=[str(i) for i in range(7)])
    assert visible_images(fig) == 7 and len(fig.axes) == 9
    assert fig.axes[6].get_title() == "6"
    with pytest.raises(ValueError, match="titles: expected 7"):
        plots.image_grid(RNG.random((7, 8, 8)), titles=["a"])


def test_flat_vectors_need_a_shape_unless_square():
    assert visible_images(plots.image_grid(RNG.random((2, 16)))) == 2
    with pytest.raises(ValueError, match="pass image_shape"):
        plots.image_grid(RNG.random((2, 12)))
    assert visible_images(plots.image_grid(RNG.random((2, 12)), image_shape=(3, 4))) == 2


def test_reconstruction_rows_with_codes():
    fig = plots.reconstruction_rows(
        RNG.random((5, 8, 8)),
        RNG.random((5, 8, 8)),
        codes=RNG.standard_normal((5, 6)),
        n=4,
        code_shape=(2, 3),
    )
    assert visible_images(fig) == 12
    assert [ax.get_ylabel() for ax in fig.axes[::4]] == ["original", "code", "reconstruction"]
    with pytest.raises(ValueError, match=r"rows\['original'\]: expected at least n=6"):
        plots.reconstruction_rows(RNG.random((5, 8, 8)), RNG.random((5, 8, 8)), n=6)


def test_loss_curves_side_by_side():
    history = {"reconstruction_loss": [3, 2, 1], "kl_loss": [1, 2, 3], "val_reconstruction_loss": [4, 3, 2]}
    fig = plots.loss_curves(history)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    with pytest.raises(ValueError, match="not in history"):
        plots.loss_curves(history, metrics=["loss"])


def test_weights_as_images_columns_and_rows():
    kernel = RNG.standard_normal((16, 5))
    assert visible_images(plots.weights_as_images(kernel, (4, 4), axis=0)) == 5
    assert visible_images(plots.weights_as_images(kernel.T, (4, 4), axis=1, n=3)) == 3
    with pytest.raises(ValueError, match="image_shape"):
        plots.weights_as_images(kernel, (3, 3))


def test_latent_scatter_and_manifold():
    fig = plots.latent_scatter(RNG.standard_normal((30, 2)), np.arange(30) % 3, class_names=["a", "b", "c"])
    assert [text.get_text() for text in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match=r"codes: expected shape \(n, 2\)"):
        plots.latent_scatter(RNG.standard_normal((30, 3)), np.zeros(30))
    axis, points = plots.latent_grid_points(4)
    np.testing.assert_allclose(axis, -axis[::-1], atol=1e-6)
    assert points.shape == (16, 2)
    fig = plots.latent_manifold(lambda z: np.tile(np.clip(z[:, :1, None] / 4 + 0.5, 0, 1), (1, 3, 3)), n=4)
    assert fig.axes[0].images[0].get_array().shape == (12, 12)


def test_save_fig_writes_png(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path))
    path = plots.save_fig(plots.image_grid(RNG.random((2, 4, 4))), "grid")
    assert path == tmp_path / "figures" / "grid.png" and path.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="name"):
        plots.save_fig(plt.figure(), "../escape.png")


def test_vae_gallery_draws_two_figures_and_checks_counts():
    images = np.random.default_rng(0).random((20, 28, 28))
    reconstruction_fig, samples_fig = plots.vae_gallery(images, images, images[:9], ncols=3)
    assert len(reconstruction_fig.axes) == 40
    assert len(samples_fig.axes) == 9
    with pytest.raises(ValueError, match="expected at least 20"):
        plots.vae_gallery(images[:10], images[:10], images[:9])
