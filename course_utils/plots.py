"""Figures the notebooks share. Every function returns its matplotlib Figure, so tests can inspect it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from statistics import NormalDist

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from course_utils import config, validate

SAVE_DPI = 90
FIGURE_DPI = 72  # inline figures: readable on screen, light in the stored notebooks
# Ten colours for categories: Okabe & Ito's palette, which readers with the common colour-vision
# deficiencies tell apart (its yellow left out: invisible on white), and three of Paul Tol's muted
# colours. Each category also gets its own marker, so no two categories rely on colour alone.
CATEGORY_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#882255",
    "#999933", "#888888",
)  # fmt: skip
CATEGORY_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
MAX_COLOURED_CLASSES = len(CATEGORY_MARKERS)
VALUE_MAP = "viridis"  # perceptually uniform, for values (never for identities)
TITLE_SIZE = 11  # points: per-image titles in grids, readable at FIGURE_DPI
# The course's matplotlib style, applied by setup.init() in every notebook's Setup cell.
STYLE = {
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": SAVE_DPI,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "figure.titlesize": 14,
    "axes.prop_cycle": plt.cycler(color=CATEGORY_COLOURS),
    "image.cmap": VALUE_MAP,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def apply_style() -> None:
    """Set the course's figure style (palette, value map, font sizes, dpi) for this kernel."""
    plt.rcParams.update(STYLE)


def category_style(position: int) -> dict:
    """Colour and marker of the category at ``position`` (0, 1, ...): distinct for the first ten."""
    if isinstance(position, bool) or not isinstance(position, int | np.integer) or position < 0:
        raise ValueError(f"position: expected a category's index, an integer >= 0, got {position!r}")
    return {
        "color": CATEGORY_COLOURS[position % len(CATEGORY_COLOURS)],
        "marker": CATEGORY_MARKERS[position % len(CATEGORY_MARKERS)],
    }


def _square_side(size: int) -> int | None:
    side = int(round(np.sqrt(size)))
    return side if side * side == size else None


def as_display_images(images, name: str, image_shape: tuple[int, int] | None = None) -> np.ndarray:
    """Images as (n, height, width[, 3]) for imshow; flat vectors are reshaped by ``image_shape`` or as squares."""
    array = validate.as_array(images, name).astype(np.float32)
    if array.ndim == 2:
        shape = image_shape
        if shape is None:
            side = _square_side(array.shape[1])
            if side is None:
                raise ValueError(
                    f"{name}: got flat vectors of length {array.shape[1]}; pass image_shape=(height, width)"
                )
            shape = (side, side)
        if int(np.prod(shape)) != array.shape[1]:
            raise ValueError(
                f"image_shape: {shape} holds {int(np.prod(shape))} pixels, but {name} has {array.shape[1]} per image"
            )
        array = array.reshape(len(array), *shape)
    validate.check_ndim(array, name, (3, 4))
    if array.ndim == 4:
        if array.shape[-1] == 1:
            array = array[..., 0]
        elif array.shape[-1] != 3:
            raise ValueError(f"{name}: expected 1 or 3 channels, got shape {array.shape}")
    return array


def draw_image(
    ax, image: np.ndarray, cmap: str = "gray", vmin: float | None = 0.0, vmax: float | None = 1.0
) -> None:
    """Draw one image on ``ax`` without ticks (colour images ignore ``cmap``)."""
    ax.imshow(image, cmap=None if image.ndim == 3 else cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def image_grid(
    images,
    ncols: int = 10,
    titles: Sequence[str] | None = None,
    image_shape: tuple[int, int] | None = None,
    cmap: str = "gray",
    vmin: float | None = 0.0,
    vmax: float | None = 1.0,
    cell_size: float = 1.2,
    suptitle: str | None = None,
):
    """A grid of images, ``ncols`` to a row, with optional titles. Pass vmin=vmax=None to auto-scale."""
    array = as_display_images(images, "images", image_shape)
    ncols = validate.positive_int(ncols, "ncols")
    if len(array) == 0:
        raise ValueError("images: expected at least one image")
    if titles is not None and len(titles) != len(array):
        raise ValueError(f"titles: expected {len(array)} titles (one per image), got {len(titles)}")
    ncols = min(ncols, len(array))
    nrows = int(np.ceil(len(array) / ncols))
    title_room = 0.3 if titles is not None else 0.0  # inches per row for the images' titles
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(cell_size * ncols, (cell_size + title_room) * nrows + (0.5 if suptitle else 0)),
        squeeze=False,
        layout="constrained",  # titles, suptitle and images never overlap
    )
    for index, ax in enumerate(axes.flat):
        if index < len(array):
            draw_image(ax, array[index], cmap, vmin, vmax)
            if titles is not None:
                ax.set_title(titles[index], fontsize=TITLE_SIZE if cell_size >= 1.2 else TITLE_SIZE - 2)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def image_rows(
    rows: Mapping[str, object],
    n: int = 10,
    image_shapes: Mapping[str, tuple[int, int]] | None = None,
    scaled_rows: Sequence[str] = (),
    cmap: str = "gray",
    cell_size: float = 1.2,
):
    """One row per entry of ``rows`` ({label: images}), the first ``n`` images of each, labelled on the left.

    Rows named in ``scaled_rows`` (e.g. codes) share one value range across the row, drawn with the
    course's value map and a colour bar; the others are grey images in [0, 1].
    ``image_shapes`` gives a shape for rows of flat vectors that are not square (e.g. {"code": (4, 8)}).
    """
    if not rows:
        raise ValueError("rows: expected at least one {label: images} entry")
    n = validate.positive_int(n, "n")
    shapes = dict(image_shapes or {})
    arrays = {
        label: as_display_images(images, f"rows[{label!r}]", shapes.get(label))
        for label, images in rows.items()
    }
    for label, array in arrays.items():
        if len(array) < n:
            raise ValueError(f"rows[{label!r}]: expected at least n={n} images, got {len(array)}")
    # each row's cells as tall as its images are for their width (a 24 x 48 crop gets a wide, low cell)
    heights = [cell_size * array.shape[1] / array.shape[2] for array in arrays.values()]
    fig, axes = plt.subplots(
        len(arrays),
        n,
        figsize=(cell_size * n + (0.9 if scaled_rows else 0), sum(heights)),
        squeeze=False,
        layout="constrained",
        gridspec_kw={"height_ratios": heights},
    )
    for row_axes, (label, array) in zip(axes, arrays.items(), strict=True):
        scaled = label in scaled_rows
        low, high = (float(array[:n].min()), float(array[:n].max())) if scaled else (0.0, 1.0)
        for ax, image in zip(row_axes, array[:n], strict=True):
            draw_image(ax, image, VALUE_MAP if scaled else cmap, low, high)
        if scaled:
            colour_bar = fig.colorbar(row_axes[-1].images[0], ax=list(row_axes), fraction=0.02, pad=0.01)
            colour_bar.set_label(f"{label} value", fontsize=TITLE_SIZE - 1)
        row_axes[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=TITLE_SIZE)
    return fig


def reconstruction_rows(
    originals, reconstructions, codes=None, n: int = 10, code_shape: tuple[int, int] | None = None
):
    """Originals over reconstructions, with the codes drawn as small images between them when given."""
    rows = {"original": originals}
    shapes = {}
    if codes is not None:
        rows["code"] = codes
        if code_shape is not None:
            shapes["code"] = code_shape
    rows["reconstruction"] = reconstructions
    return image_rows(rows, n=n, image_shapes=shapes, scaled_rows=("code",))


def vae_gallery(test_images, reconstructions, samples, ncols: int = 5):
    """The VAE notebooks' two figures: test images over their reconstructions (two pairs of rows of ten), and a
    grid of images decoded from the prior. Returns (reconstruction figure, samples figure)."""
    test_images = validate.as_array(test_images, "test_images")
    reconstructions = validate.as_array(reconstructions, "reconstructions")
    if len(test_images) < 20 or len(reconstructions) < 20:
        raise ValueError(
            f"test_images and reconstructions: expected at least 20 each, got {len(test_images)} and {len(reconstructions)}"
        )
    rows = {}
    for half, suffix in (
        (slice(0, 10), ""),
        (slice(10, 20), " "),
    ):  # a trailing space keeps the labels distinct
        rows[f"test image{suffix}"] = test_images[half]
        rows[f"reconstruction{suffix}"] = reconstructions[half]
    return image_rows(rows), image_grid(samples, ncols=ncols, suptitle="decoded from z ~ N(0, I)")


def _history_dict(history) -> dict[str, list[float]]:
    values = getattr(history, "history", history)
    if not isinstance(values, Mapping) or not values:
        raise TypeError(
            "history: expected a Keras History or a non-empty dict of {metric: [value per epoch]}"
        )
    return {key: list(map(float, series)) for key, series in values.items()}


def loss_curves(
    history,
    metrics: Sequence[str] | None = None,
    figsize: tuple[float, float] | None = None,
    log_scale: bool = False,
    unit: str | Mapping[str, str] | None = None,
):
    """One panel per metric, side by side, each with its training and (when present) validation curve.

    ``metrics`` picks the panels (e.g. ["reconstruction_loss", "kl_loss"]); by default every metric
    in ``history`` that is not a ``val_`` one. ``unit`` names what the loss measures, for the y axis:
    one for every panel ("MSE per pixel") or one per metric ({"kl_loss": "nats per image", ...}).
    """
    values = _history_dict(history)
    names = list(metrics) if metrics is not None else [key for key in values if not key.startswith("val_")]
    missing = [name for name in names if name not in values]
    if missing or not names:
        raise ValueError(f"metrics: {missing or names} not in history, which has {sorted(values)}")
    if unit is None:
        raise ValueError(
            "unit: name the loss's unit for the y axis, e.g. unit='MSE per pixel' or "
            "unit={'reconstruction_loss': 'nats per image', 'kl_loss': 'nats per image'}"
        )
    units = {name: unit.get(name) if isinstance(unit, Mapping) else unit for name in names}
    without = [name for name, panel_unit in units.items() if not panel_unit]
    if without:
        raise ValueError(f"unit: no unit for {without[0]!r}; give one for each of {names}")
    fig, axes = plt.subplots(1, len(names), figsize=figsize or (4.5 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        epochs = np.arange(1, len(values[name]) + 1)
        ax.plot(epochs, values[name], marker=".", label="training")
        if f"val_{name}" in values:
            ax.plot(epochs, values[f"val_{name}"], marker=".", label="validation")
        ax.set_title(name.replace("_", " "))
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        ax.set_ylabel(f"{name.replace('_', ' ')} ({units[name]})")
        if log_scale:
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def weights_as_images(
    kernel,
    image_shape: tuple[int, int],
    axis: int = 0,
    n: int | None = None,
    ncols: int = 10,
    suptitle: str | None = None,
):
    """Show a Dense kernel's weights as images.

    A kernel has shape (inputs, units). ``axis=0``: each unit's incoming weights (a column) form an image,
    as for an encoder reading pixels. ``axis=1``: each unit's outgoing weights (a row) form an image,
    as for a decoder writing pixels. Each image is scaled to its own range.
    """
    matrix = validate.as_array(kernel, "kernel")
    validate.check_ndim(matrix, "kernel", (2,))
    if axis not in (0, 1):
        raise ValueError(f"axis: expected 0 (columns are images) or 1 (rows are images), got {axis!r}")
    vectors = matrix.T if axis == 0 else matrix
    if vectors.shape[1] != int(np.prod(image_shape)):
        raise ValueError(
            f"image_shape: {tuple(image_shape)} holds {int(np.prod(image_shape))} pixels, "
            f"but the kernel's {'columns' if axis == 0 else 'rows'} have {vectors.shape[1]} weights"
        )
    vectors = vectors[: n or len(vectors)]
    low = vectors.min(axis=1, keepdims=True)
    spread = np.maximum(vectors.max(axis=1, keepdims=True) - low, 1e-12)
    scaled = ((vectors - low) / spread).reshape(len(vectors), *image_shape)
    return image_grid(scaled, ncols=ncols, suptitle=suptitle, cell_size=1.0)


def scatter_by_category(ax, points, labels, class_names: Sequence[str] | None = None) -> None:
    """Scatter 2-D ``points`` on ``ax``, one qualitative colour per category (at most 10), with a legend.

    ``class_names[label]`` names a category in the legend (default: the label itself)."""
    points = validate.as_array(points, "points")
    labels = validate.as_array(labels, "labels")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"codes: expected shape (n, 2), got {points.shape}")
    if labels.shape != (len(points),):
        raise ValueError(f"labels: expected shape ({len(points)},), one per code, got {labels.shape}")
    classes = np.unique(labels)
    if len(classes) > MAX_COLOURED_CLASSES:
        raise ValueError(
            f"labels: {len(classes)} categories, but colour tells at most {MAX_COLOURED_CLASSES} apart "
            "(a continuous colour map would suggest an order the identities do not have). Show at most "
            f"{MAX_COLOURED_CLASSES} of them, or measure instead (e.g. nearest-neighbour accuracy)."
        )
    for position, label in enumerate(classes):
        chosen = labels == label
        name = class_names[int(label)] if class_names is not None else str(label)
        ax.scatter(
            points[chosen, 0],
            points[chosen, 1],
            s=18,
            alpha=0.8,
            label=name,
            edgecolors="white",
            linewidths=0.3,
            **category_style(position),
        )
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), markerscale=1.5, fontsize=10)


def latent_scatter(
    codes,
    labels,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    figsize=(8, 5.5),
    axis_labels: tuple[str, str] = ("z[0]", "z[1]"),
):
    """A 2-D scatter of codes (n, 2), coloured by label (at most 10, a qualitative palette) with a legend.

    ``axis_labels`` name the two axes: the code's own dimensions by default; say so when the points are a
    projection (e.g. ("principal component 1", "principal component 2")).
    """
    if len(axis_labels) != 2 or not all(isinstance(label, str) and label for label in axis_labels):
        raise ValueError(f"axis_labels: expected two non-empty strings, got {axis_labels!r}")
    fig, ax = plt.subplots(figsize=figsize)
    try:
        scatter_by_category(ax, codes, labels, class_names)
    except ValueError:
        plt.close(fig)
        raise
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def latent_grid_points(
    n: int = 20, limits: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The coordinates of an n x n grid over a 2-D latent plane.

    With ``limits=None`` the coordinates are the standard normal's quantiles at (i + 0.5) / n,
    so each cell holds equal prior mass; otherwise they are evenly spaced over ``limits``.
    """
    n = validate.positive_int(n, "n")
    if limits is None:
        normal = NormalDist()
        axis = np.array([normal.inv_cdf((i + 0.5) / n) for i in range(n)], dtype=np.float32)
    else:
        axis = np.linspace(limits[0], limits[1], n, dtype=np.float32)
    grid_x, grid_y = np.meshgrid(axis, axis[::-1])  # top row = largest z[1]
    return axis, np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)


def latent_manifold(
    decode: Callable[[np.ndarray], np.ndarray],
    n: int = 20,
    limits: tuple[float, float] | None = None,
    image_shape: tuple[int, int] | None = None,
    cell_size: float = 0.45,
):
    """Decode an n x n grid of 2-D codes (see :func:`latent_grid_points`) and tile the images into one picture.

    z[0] grows from left to right and z[1] from bottom to top, as the tick labels say.
    """
    axis, points = latent_grid_points(n, limits)
    images = as_display_images(decode(points), "decode(points)", image_shape)
    if len(images) != n * n:
        raise ValueError(f"decode: expected {n * n} images for {n * n} codes, got {len(images)}")
    height, width = images.shape[1:3]
    canvas = images.reshape(n, n, height, width).transpose(0, 2, 1, 3).reshape(n * height, n * width)
    fig, ax = plt.subplots(figsize=(max(4.0, cell_size * n), max(4.0, cell_size * n)))
    ax.imshow(canvas, cmap="gray", vmin=0.0, vmax=1.0)
    shown = slice(None, None, max(1, n // 5))
    x_ticks = np.arange(n) * width + width / 2
    y_ticks = np.arange(n) * height + height / 2  # not width: tiles need not be square
    ax.set_xticks(x_ticks[shown], [f"{v:.1f}" for v in axis[shown]])
    ax.set_yticks(y_ticks[shown], [f"{v:.1f}" for v in axis[::-1][shown]])
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    fig.tight_layout()
    return fig


def unlabelled_axes(fig) -> list[str]:
    """The axes of ``fig`` that plot data (lines, markers, bars) but lack an x or y label.

    Axes drawn with their axis turned off (image tiles) and colour-bar axes are exempt."""
    problems = []
    for index, ax in enumerate(fig.get_axes()):
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue
        if not (ax.lines or ax.collections or ax.patches or ax.containers):
            continue
        missing = [
            side for side, text in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if not text.strip()
        ]
        if missing:
            title = ax.get_title() or f"axes {index}"
            problems.append(f"{title!r} has no {' or '.join(missing)} label")
    return problems


def save_fig(fig, name: str, dpi: int = SAVE_DPI) -> Path:
    """Save ``fig`` as PNG into the generated-figures folder and return the path."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(
            f"name: expected a file name without folders, such as '01_weights.png', got {name!r}"
        )
    unlabelled = unlabelled_axes(fig)
    if unlabelled:
        raise ValueError(
            f"fig: {'; '.join(unlabelled)}. Label every axis that carries data, with its unit "
            "(ax.set_xlabel('epoch'), ax.set_ylabel('MSE per pixel')), before saving."
        )
    path = config.figures_dir() / (name if name.endswith(".png") else f"{name}.png")
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path
