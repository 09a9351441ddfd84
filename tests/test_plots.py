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
    image_axes = [ax for ax in fig.axes if ax.images]
    assert [ax.get_ylabel() for ax in image_axes[::4]] == ["original", "code", "reconstruction"]
    code_limits = {ax.images[0].get_clim() for ax in image_axes[4:8]}
    assert len(code_limits) == 1, "the code row's images must share one value range"
    colour_bars = [ax for ax in fig.axes if not ax.images and ax.get_ylabel() == "code value"]
    assert len(colour_bars) == 1, "the code row needs a colour bar that says what its colours mean"
    with pytest.raises(ValueError, match=r"rows\['original'\]: expected at least n=6"):
        plots.reconstruction_rows(RNG.random((5, 8, 8)), RNG.random((5, 8, 8)), n=6)


def test_loss_curves_side_by_side():
    history = {"reconstruction_loss": [3, 2, 1], "kl_loss": [1, 2, 3], "val_reconstruction_loss": [4, 3, 2]}
    fig = plots.loss_curves(history, unit="nats per image")
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    assert [text.get_text() for text in fig.axes[0].get_legend().get_texts()] == ["training", "validation"]
    assert fig.axes[1].get_ylabel() == "kl loss (nats per image)"
    fig.canvas.draw()
    ticks = fig.axes[0].get_xticks()
    assert np.allclose(ticks, np.round(ticks)), f"epochs are whole numbers, got ticks {ticks}"
    with pytest.raises(ValueError, match="not in history"):
        plots.loss_curves(history, metrics=["loss"], unit="MSE")
    with pytest.raises(ValueError, match="unit: name the loss's unit"):
        plots.loss_curves(history)
    with pytest.raises(ValueError, match="unit: no unit for 'kl_loss'"):
        plots.loss_curves(history, unit={"reconstruction_loss": "nats per image"})


def test_save_fig_refuses_an_axis_without_a_label(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path))
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([1, 2], [3, 4])
    left.set_title("curve")
    left.set_xlabel("epoch")
    right.imshow(np.zeros((2, 2)))
    right.axis("off")  # an image tile needs no labels
    with pytest.raises(ValueError, match="'curve' has no y label"):
        plots.save_fig(fig, "unlabelled")
    left.set_ylabel("MSE per pixel")
    assert plots.save_fig(fig, "labelled").is_file()


def test_weights_as_images_columns_and_rows():
    kernel = RNG.standard_normal((16, 5))
    assert visible_images(plots.weights_as_images(kernel, (4, 4), axis=0)) == 5
    assert visible_images(plots.weights_as_images(kernel.T, (4, 4), axis=1, n=3)) == 3
    with pytest.raises(ValueError, match="image_shape"):
        plots.weights_as_images(kernel, (3, 3))


def test_latent_scatter_labels_its_legend_and_checks_shapes():
    fig = plots.latent_scatter(RNG.standard_normal((30, 2)), np.arange(30) % 3, class_names=["a", "b", "c"])
    assert [text.get_text() for text in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match=r"codes: expected shape \(n, 2\)"):
        plots.latent_scatter(RNG.standard_normal((30, 3)), np.zeros(30))
    colours = {tuple(collection.get_facecolor()[0]) for collection in fig.axes[0].collections}
    assert len(colours) == 3, "one qualitative colour per class"
    assert not any(ax.get_label() == "<colorbar>" for ax in fig.axes)
    with pytest.raises(ValueError, match="labels: 40 categories, but colour tells at most 10 apart"):
        plots.latent_scatter(RNG.standard_normal((80, 2)), np.arange(80) % 40)
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("z[0]", "z[1]")
    projected = plots.latent_scatter(
        RNG.standard_normal((30, 2)),
        np.arange(30) % 3,
        axis_labels=("principal component 1", "principal component 2"),
    )
    assert projected.axes[0].get_xlabel() == "principal component 1"
    with pytest.raises(ValueError, match="axis_labels"):
        plots.latent_scatter(RNG.standard_normal((30, 2)), np.arange(30) % 3, axis_labels=("only one",))


def test_latent_grid_points_are_standard_normal_quantiles_by_default():
    """limits=None: the axis is the N(0, 1) quantiles at (i + 0.5) / n, not a linspace in z."""
    scipy_stats = pytest.importorskip("scipy.stats")
    axis, points = plots.latent_grid_points(4)
    np.testing.assert_allclose(axis, [-1.1503494, -0.3186394, 0.3186394, 1.1503494], atol=1e-6)
    for n in (1, 5, 20):
        axis, points = plots.latent_grid_points(n)
        np.testing.assert_allclose(axis, scipy_stats.norm.ppf((np.arange(n) + 0.5) / n), atol=1e-6)
        np.testing.assert_allclose(np.unique(points[:, 0]), axis, atol=1e-6)


def test_latent_grid_points_run_left_to_right_and_top_down():
    """Point k = row * n + column is (axis[column], axis[n - 1 - row]): z[0] grows along a row, the first row
    has the largest z[1]; with limits the axis is evenly spaced over them, ends included."""
    axis, points = plots.latent_grid_points(3, limits=(-1.0, 2.0))
    np.testing.assert_allclose(axis, [-1.0, 0.5, 2.0])
    expected = [(z0, z1) for z1 in (2.0, 0.5, -1.0) for z0 in (-1.0, 0.5, 2.0)]
    np.testing.assert_allclose(points, expected)


def code_decoder(codes):
    """A fake decoder to 2x4 images: the left 2x2 block shows z[0], the right one z[1], as (z + 3) / 6."""
    levels = (np.asarray(codes, dtype=np.float64) + 3.0) / 6.0
    return np.repeat(np.repeat(levels[:, None, :], 2, axis=1), 2, axis=2)


def tile_codes(fig, n):
    """Read the (z[0], z[1]) that ``code_decoder`` drew into each tile of latent_manifold's n x n picture."""
    canvas = np.asarray(fig.axes[0].images[0].get_array(), dtype=np.float64)
    assert canvas.shape == (2 * n, 4 * n)
    tiles = canvas.reshape(n, 2, n, 4).transpose(0, 2, 1, 3)  # (tile row, tile column, 2, 4)
    np.testing.assert_array_equal(tiles[..., :2], tiles[..., :1, :1] * np.ones((2, 2)))
    np.testing.assert_array_equal(tiles[..., 2:], tiles[..., :1, 2:3] * np.ones((2, 2)))
    return tiles[..., 0, 0] * 6 - 3, tiles[..., 0, 2] * 6 - 3


@pytest.mark.parametrize("limits", [None, (-2.0, 1.0)])
def test_latent_manifold_tiles_z0_left_to_right_and_z1_bottom_to_top(limits):
    """The tile in row r, column c is decode((axis[c], axis[n - 1 - r])), as its tick labels say."""
    n = 4
    axis, _ = plots.latent_grid_points(n, limits)
    fig = plots.latent_manifold(code_decoder, n=n, limits=limits)
    z0, z1 = tile_codes(fig, n)
    np.testing.assert_allclose(z0, np.tile(axis, (n, 1)), atol=1e-5)
    np.testing.assert_allclose(z1, np.tile(axis[::-1, None], (1, n)), atol=1e-5)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("z[0]", "z[1]")
    np.testing.assert_allclose(ax.get_xticks(), np.arange(n) * 4 + 2)  # the centres of the 4-pixel-wide tiles
    assert [label.get_text() for label in ax.get_xticklabels()] == [f"{value:.1f}" for value in axis]
    assert [label.get_text() for label in ax.get_yticklabels()] == [f"{value:.1f}" for value in axis[::-1]]


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


def test_the_course_style_sets_palette_value_map_and_sizes():
    import matplotlib

    matplotlib.rcdefaults()
    plots.apply_style()
    assert matplotlib.rcParams["image.cmap"] == plots.VALUE_MAP
    cycle = [entry["color"] for entry in matplotlib.rcParams["axes.prop_cycle"]]
    assert tuple(cycle) == plots.CATEGORY_COLOURS
    assert matplotlib.rcParams["font.size"] >= 11 and matplotlib.rcParams["figure.dpi"] == plots.FIGURE_DPI
    matplotlib.rcdefaults()


def test_categories_look_different_up_to_ten_and_bad_positions_fail():
    looks = {tuple(plots.category_style(i).values()) for i in range(plots.MAX_COLOURED_CLASSES)}
    assert len(looks) == plots.MAX_COLOURED_CLASSES
    assert "tab10" not in repr(plots.category_style(0))
    for wrong in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="position"):
            plots.category_style(wrong)


def test_grid_titles_do_not_overlap_the_images():
    fig = plots.image_grid(
        np.random.default_rng(0).random((20, 28, 28)),
        ncols=10,
        titles=["Ankle boot"] * 20,
        suptitle="a grid with titles",
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = fig.axes
    for upper, lower in zip(axes[:10], axes[10:], strict=True):
        title_box = lower.title.get_window_extent(renderer)
        image_box = upper.get_window_extent(renderer)
        assert title_box.y1 <= image_box.y0 + 0.5, "a second-row title overlaps a first-row image"
    suptitle_box = fig._suptitle.get_window_extent(renderer)
    assert all(suptitle_box.y0 >= ax.title.get_window_extent(renderer).y1 - 0.5 for ax in axes[:10])
    plt.close(fig)


def test_image_rows_cells_follow_the_images_aspect():
    """A 24 x 48 crop gets a cell half as tall as it is wide, not a square with empty bands."""
    wide = plots.image_rows({"a": RNG.random((3, 24, 48)), "b": RNG.random((3, 24, 48))}, n=3, cell_size=2.0)
    width, height = wide.get_size_inches()
    assert (width, height) == pytest.approx((6.0, 2.0))
    square = plots.image_rows({"a": RNG.random((3, 8, 8))}, n=3, cell_size=2.0)
    assert tuple(square.get_size_inches()) == pytest.approx((6.0, 2.0))
