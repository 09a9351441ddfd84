"""An interactive latent-space explorer (ipywidgets) with a static fallback.

``show_latent_explorer`` always draws a static figure of a few slider settings (what a static viewer such
as GitHub, or a run without a widget front end, can show) and then, where ipywidgets is installed, the live
explorer: one slider per latent coordinate and a dropdown for the model, redrawing the decoded image.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np

from course_utils import plots, validate

Decoder = Callable[[np.ndarray], np.ndarray]


def _check_decoders(decoders: Mapping[str, Decoder]) -> None:
    if not isinstance(decoders, Mapping) or not decoders:
        raise ValueError("decoders: expected a non-empty dict of {model name: decode function}")
    for name, decode in decoders.items():
        if not callable(decode):
            raise TypeError(f"decoders[{name!r}]: expected a function from codes (n, latent_dim) to images")


def decode_one(decode: Decoder, code: Sequence[float]) -> np.ndarray:
    """Decode a single code and return one image (height, width) in [0, 1]."""
    codes = np.asarray(code, dtype=np.float32).reshape(1, -1)
    images = plots.as_display_images(decode(codes), "decode(codes)")
    if len(images) != 1 or images.ndim != 3:
        raise ValueError(f"decode(codes): expected one grey image, got shape {images.shape}")
    return np.clip(images[0], 0.0, 1.0)


def png_bytes(image: np.ndarray, scale: int = 6) -> bytes:
    """A grey image in [0, 1] as PNG bytes, each pixel drawn as a ``scale`` x ``scale`` block (crisp when enlarged)."""
    image = validate.images(np.asarray(image)[None], "image", (3,))[0]
    scale = validate.positive_int(scale, "scale")
    buffer = io.BytesIO()
    matplotlib.image.imsave(
        buffer, np.kron(image, np.ones((scale, scale))), cmap="gray", vmin=0.0, vmax=1.0, format="png"
    )
    return buffer.getvalue()


def static_preview(
    decoders: Mapping[str, Decoder], settings: Sequence[Sequence[float]], cell_size: float = 1.7
):
    """One row per model, one column per code in ``settings``: what the explorer shows at those slider positions."""
    _check_decoders(decoders)
    if not settings:
        raise ValueError("settings: expected at least one code")
    fig, axes = plt.subplots(
        len(decoders),
        len(settings),
        figsize=(cell_size * len(settings) + 1.2, cell_size * len(decoders) + 0.4),
        squeeze=False,
    )
    for row, (name, decode) in enumerate(decoders.items()):
        for column, code in enumerate(settings):
            ax = axes[row, column]
            plots.draw_image(ax, decode_one(decode, code))
            ax.set_title("z = (" + ", ".join(f"{value:g}" for value in code) + ")", fontsize=plots.TITLE_SIZE)
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.suptitle("static preview: the decoded image at a few slider settings")
    fig.tight_layout()
    return fig


def latent_explorer(
    decoders: Mapping[str, Decoder],
    latent_dim: int = 2,
    limits: tuple[float, float] = (-3.0, 3.0),
    step: float = 0.1,
):
    """The live explorer: a model dropdown, ``latent_dim`` sliders and the decoded image (an ipywidgets VBox).

    The returned box has attributes ``dropdown``, ``sliders`` and ``image`` for programmatic use and tests.
    """
    import ipywidgets as widgets  # imported here: the static preview works without it

    _check_decoders(decoders)
    latent_dim = validate.positive_int(latent_dim, "latent_dim")
    low, high = limits
    if not low < high:
        raise ValueError(f"limits: expected (low, high) with low < high, got {limits!r}")
    dropdown = widgets.Dropdown(options=list(decoders), description="model")
    sliders = [
        widgets.FloatSlider(
            value=0.0, min=low, max=high, step=step, description=f"z[{index}]", continuous_update=True
        )
        for index in range(latent_dim)
    ]
    image = widgets.Image(format="png", layout=widgets.Layout(width="168px", height="168px"))

    def redraw(_change=None) -> None:
        code = [slider.value for slider in sliders]
        image.value = png_bytes(decode_one(decoders[dropdown.value], code))

    for control in [dropdown, *sliders]:
        control.observe(redraw, names="value")
    redraw()

    class ExplorerBox(widgets.VBox):
        """The explorer's box; where widgets cannot be drawn (a static view of the notebook), its text
        says what it is instead of listing its children."""

        def __repr__(self) -> str:
            return "[latent explorer: sliders that need a running Jupyter kernel; see the preview above]"

    box = ExplorerBox([dropdown, *sliders, image])
    box.dropdown, box.sliders, box.image = dropdown, sliders, image
    return box


def show_latent_explorer(
    decoders: Mapping[str, Decoder],
    latent_dim: int = 2,
    limits: tuple[float, float] = (-3.0, 3.0),
    preview_settings: Sequence[Sequence[float]] | None = None,
):
    """Draw the static preview, then display the live explorer if ipywidgets is installed; return the explorer or None."""
    from IPython.display import display

    if preview_settings is None:
        low, high = limits
        preview_settings = [[0.0] * latent_dim] + [
            [value if index == axis else 0.0 for index in range(latent_dim)]
            for axis in range(min(latent_dim, 2))
            for value in (low / 1.5, high / 1.5)
        ]
    fig = static_preview(decoders, preview_settings)
    display(fig)
    plt.close(fig)
    try:
        box = latent_explorer(decoders, latent_dim, limits)
    except ImportError:
        print(
            "ipywidgets is not installed: only the static preview above is available (pip install ipywidgets)"
        )
        return None
    display(box)
    return box
