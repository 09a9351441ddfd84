"""The course's architecture diagrams: ``python -m course_tools.diagrams`` writes every SVG in ``images/``.

Each diagram is drawn from the named constants below (the layer sizes the notebooks use), as plain SVG text:
no fonts or timestamps are embedded, so the same constants always give the same bytes. Change a layer size
here and in its notebook, run the command once, and commit both. ``tests/test_diagrams.py`` regenerates the
files into a temporary folder and fails when a committed one differs, when an image in ``images/`` is used by
no notebook or README, and when an embedded image has no alt text.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

# The layer sizes of the notebooks' models (keep in step with the notebooks).
FACE_PIXELS = 64 * 64  # 01 and 02: the Olivetti faces, 64 x 64 grey
BASIC_CODE = 100  # 01: CODE_SIZE
DEEP_LAYERS = (256, 20, 256)  # 02: the source's 256-20-256
CONV_FILTERS = (32, 64, 128)  # 03: make_conv_autoencoder, three stride-2 3x3 convolutions
CONV_CODE = 32  # 03: CODE_SIZE
VAE_PIXELS = 28 * 28  # 07-09 (Fashion-MNIST) and 11 (MNIST)
VAE_HIDDEN = 512  # 07-09 and 11: the one hidden layer of the encoder and of the decoder
VAE_LATENT = 32  # 07: LATENT_DIM
CVAE_LATENT = 2  # 11: LATENT_DIM
CVAE_CLASSES = 10
HOLE = 10  # 05: the inpainting square, pixels
SR_SIDES = (28, 14)  # 05: Fashion-MNIST super-resolution, the side and its 2x smaller input

# Okabe-Ito, a palette that colour-blind readers can tell apart; light fills keep dark text readable.
ENCODER = ("#0072B2", "#D6E9F5")
CODE = ("#E69F00", "#FCEFD2")
DECODER = ("#009E73", "#D3F0E6")
CORRUPT = ("#D55E00", "#F9E0CF")
LABEL = ("#CC79A7", "#F6E3EE")
NEUTRAL = ("#555555", "#F2F2F2")
TEXT = "#1A1A1A"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


class Drawing:
    """A small SVG canvas: boxes with one or two lines of text, arrows and free text."""

    def __init__(self, width: int, height: int, title: str):
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []

    def box(self, x, y, w, h, lines, colours=NEUTRAL, size=14, bold_first=True):
        stroke, fill = colours
        self.parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"/>'
        )
        lines = [lines] if isinstance(lines, str) else list(lines)
        step = size + 4
        top = y + h / 2 - (len(lines) - 1) * step / 2
        for index, line in enumerate(lines):
            weight = "bold" if (index == 0 and bold_first) else "normal"
            self.text(
                x + w / 2, top + index * step, line, size=size if index == 0 else size - 2, weight=weight
            )

    def text(self, x, y, content, size=13, weight="normal", anchor="middle", colour=TEXT, italic=False):
        style = ' font-style="italic"' if italic else ""
        self.parts.append(
            f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" dominant-baseline="central" fill="{colour}"{style}>'
            f"{escape(content)}</text>"
        )

    def arrow(self, x1, y1, x2, y2, colour="#333333", dashed=False, label=None, label_dy=-10):
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        self.parts.append(
            f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{colour}" '
            f'stroke-width="2"{dash} marker-end="url(#arrow)"/>'
        )
        if label:
            self.text((x1 + x2) / 2, (y1 + y2) / 2 + label_dy, label, size=12, italic=True)

    def svg(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" font-family="{FONT}" role="img">\n'
            f"<title>{escape(self.title)}</title>\n"
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
            'fill="#333333"/></marker></defs>\n'
            f'<rect width="{self.width}" height="{self.height}" fill="#FFFFFF"/>\n'
        )
        return head + "\n".join(self.parts) + "\n</svg>\n"


def _chain(drawing, x0, y_mid, items, gap=38, arrow_labels=None):
    """Boxes left to right, centred on ``y_mid``, joined by arrows; returns each box's (x, y, w, h)."""
    placed, x = [], x0
    for index, (w, h, lines, colours) in enumerate(items):
        y = y_mid - h / 2
        drawing.box(x, y, w, h, lines, colours)
        if placed:
            px, py, pw, ph = placed[-1]
            label = arrow_labels[index - 1] if arrow_labels else None
            drawing.arrow(px + pw + 2, y_mid, x - 3, y_mid, label=label)
        placed.append((x, y, w, h))
        x += w + gap
    return placed


def _height(units: int) -> float:
    """A box height that grows with the layer's size, on a log scale, so 4096 and 20 both fit."""
    import math

    return round(34 + 26 * math.log10(max(units, 1)), 1)


def basic_autoencoder() -> str:
    d = Drawing(
        680, 250, f"The basic autoencoder: {FACE_PIXELS} pixels, a code of {BASIC_CODE}, {FACE_PIXELS} pixels"
    )
    _chain(
        d,
        30,
        115,
        [
            (150, _height(FACE_PIXELS), ["input image", "64 x 64 face", f"{FACE_PIXELS:,} pixels"], NEUTRAL),
            (150, _height(BASIC_CODE), ["code", f"Dense {BASIC_CODE}", "sigmoid"], CODE),
            (150, _height(FACE_PIXELS), ["output image", f"Dense {FACE_PIXELS:,}", "sigmoid"], DECODER),
        ],
        gap=80,
        arrow_labels=["encoder", "decoder"],
    )
    d.text(340, 232, "loss: mean squared error between output and input", size=13)
    return d.svg()


def deep_autoencoder() -> str:
    sizes = (FACE_PIXELS, *DEEP_LAYERS, FACE_PIXELS)
    d = Drawing(860, 250, "The deep autoencoder: " + " - ".join(str(s) for s in sizes))
    roles = ["input", "encoder", "code", "decoder", "output"]
    colours = [NEUTRAL, ENCODER, CODE, DECODER, DECODER]
    notes = ["64 x 64 face", "ReLU", "ReLU, or linear", "ReLU", "sigmoid"]
    items = [
        (130, _height(size), [roles[i], f"{size:,} units", notes[i]], colours[i])
        for i, size in enumerate(sizes)
    ]
    _chain(d, 25, 115, items, gap=40)
    d.text(
        430,
        232,
        f"the code is the narrowest layer: {DEEP_LAYERS[1]} numbers for {FACE_PIXELS:,} "
        "pixels; the loss is the mean squared error",
        size=13,
    )
    return d.svg()


def conv_autoencoder() -> str:
    d = Drawing(900, 330, "The convolutional autoencoder of notebook 03 with its tensor shapes")
    side, encoder = 64, [(110, ["64 x 64 x 1", "input face"], NEUTRAL)]
    for filters in CONV_FILTERS:
        side //= 2
        encoder.append((150, [f"{side} x {side} x {filters}", f"Conv2D {filters}, stride 2"], ENCODER))
    flat = side * side * CONV_FILTERS[-1]
    encoder.append((140, ["code", f"Dense {CONV_CODE}", f"from {flat:,}"], CODE))
    placed = _chain(
        d,
        20,
        80,
        [
            (w, 64 if i < len(encoder) - 1 else 84, lines, colours)
            for i, (w, lines, colours) in enumerate(encoder)
        ],
        gap=32,
    )
    decoder = [(150, [f"{side} x {side} x {CONV_FILTERS[-1]}", "Dense + Reshape"], DECODER)]
    for filters in (*CONV_FILTERS[-2::-1], 1):
        side *= 2
        role = "sigmoid" if filters == 1 else f"{filters} filters"
        decoder.append((200, [f"{side} x {side} x {filters}", f"Conv2DTranspose, {role}"], DECODER))
    row2 = _chain(d, 20, 250, [(w, 64, lines, colours) for w, lines, colours in decoder], gap=32)
    code_x, code_y, code_w, code_h = placed[-1]
    bend = 165
    d.parts.append(
        f'<polyline points="{code_x + code_w / 2:g},{code_y + code_h + 2:g} {code_x + code_w / 2:g},'
        f"{bend} {row2[0][0] + row2[0][2] / 2:g},{bend} {row2[0][0] + row2[0][2] / 2:g},"
        f'{row2[0][1] - 3:g}" fill="none" stroke="#333333" stroke-width="2" marker-end="url(#arrow)"/>'
    )
    d.text(
        450,
        bend - 12,
        "the encoder halves the side three times: "
        f"{CONV_FILTERS[-1]} maps of {side // 8} x {side // 8} = {flat:,} numbers become "
        f"{CONV_CODE}",
        size=12,
    )
    d.text(
        450,
        310,
        'every convolution is 3 x 3 with padding "same"; the decoder doubles the side '
        "three times back to 64 x 64",
        size=12,
    )
    return d.svg()


def restoring_setups() -> str:
    d = Drawing(
        940, 300, "Three restoring tasks: corrupt the image, train the model to give back the original"
    )
    rows = [
        ("denoising (04)", "add Gaussian noise", "fresh each step, or once", "denoiser"),
        (
            "super-resolution (05)",
            "halve each side",
            f"{SR_SIDES[0]} to {SR_SIDES[1]} (photos: 32 to 16)",
            "upscaler",
        ),
        ("inpainting (05)", f"cut a {HOLE} x {HOLE} hole", "plus the mask", "inpainter"),
    ]
    for index, (task, corrupt, how, model) in enumerate(rows):
        y = 55 + index * 100
        d.text(20, y - 36, task, size=14, weight="bold", anchor="start")
        _chain(
            d,
            20,
            y,
            [
                (150, 54, ["clean image", "x"], NEUTRAL),
                (180, 54, [corrupt, how], CORRUPT),
                (150, 54, [model, "a network"], DECODER),
                (150, 54, ["restored", "x\u0302"], NEUTRAL),
            ],
            gap=44,
        )
        d.arrow(784, y, 830, y, dashed=True)
        d.text(880, y - 9, "loss against", size=12)
        d.text(880, y + 9, "the clean x", size=12)
    return d.svg()


def vae() -> str:
    d = Drawing(
        1040, 395, f"The variational autoencoder of notebooks 07-09: {VAE_PIXELS}-{VAE_HIDDEN}-{VAE_LATENT}"
    )
    d.box(20, 110, 120, 70, ["image x", f"{VAE_PIXELS} pixels"], NEUTRAL)
    d.box(180, 110, 130, 70, [f"Dense {VAE_HIDDEN}", "ReLU"], ENCODER)
    d.arrow(142, 145, 177, 145)
    d.box(360, 60, 120, 60, ["mean \u03bc", f"Dense {VAE_LATENT}"], ENCODER)
    d.box(360, 170, 120, 60, ["log \u03c3\u00b2", f"Dense {VAE_LATENT}"], ENCODER)
    d.arrow(312, 135, 357, 95)
    d.arrow(312, 155, 357, 195)
    d.box(530, 100, 170, 90, ["sample z", "z = \u03bc + \u03c3 \u00b7 \u03b5", f"{VAE_LATENT} numbers"], CODE)
    d.arrow(482, 90, 527, 125)
    d.arrow(482, 200, 527, 165)
    d.box(545, 10, 140, 50, ["\u03b5 ~ N(0, I)", "random, no gradient"], LABEL)
    d.arrow(615, 62, 615, 97, dashed=True)
    d.box(740, 110, 120, 70, [f"Dense {VAE_HIDDEN}", "ReLU"], DECODER)
    d.arrow(702, 145, 737, 145)
    d.box(900, 110, 125, 70, [f"{VAE_PIXELS} logits", "sigmoid: image"], DECODER)
    d.arrow(862, 145, 897, 145)
    d.text(245, 200, "encoder q(z | x)", size=13, italic=True)
    d.text(850, 205, "decoder p(x | z)", size=13, italic=True)
    d.text(
        20,
        25,
        "sampling: \u03b5 carries the randomness,",
        size=12,
        anchor="start",
    )
    d.text(20, 43, "so z stays differentiable in \u03bc and \u03c3", size=12, anchor="start")
    d.arrow(420, 232, 420, 277)  # the KL term reads the mean and the log-variance
    d.arrow(962, 182, 940, 277)  # the reconstruction term reads the logits
    d.box(
        140,
        280,
        380,
        80,
        ["KL term", "KL( q(z | x) \u2016 N(0, I) )", "from \u03bc and log \u03c3\u00b2, in nats"],
        ENCODER,
    )
    d.box(
        560,
        280,
        400,
        80,
        [
            "reconstruction term",
            "binary cross-entropy of x under the logits",
            f"summed over {VAE_PIXELS} pixels",
        ],
        DECODER,
    )
    d.text(550, 380, "loss = reconstruction + KL = \u2212ELBO", size=13, weight="bold")
    return d.svg()


def conditional_vae() -> str:
    d = Drawing(
        1000, 300, "The conditional VAE of notebook 11: the label goes into the encoder and the decoder"
    )
    d.box(20, 40, 130, 60, ["image x", f"{VAE_PIXELS} pixels"], NEUTRAL)
    d.box(20, 190, 130, 60, ["label y", f"one-hot, {CVAE_CLASSES}"], LABEL)
    d.box(
        200,
        100,
        150,
        80,
        ["encoder", f"[x, y]: Dense {VAE_HIDDEN}", f"\u03bc, log \u03c3\u00b2: {CVAE_LATENT} each"],
        ENCODER,
    )
    d.arrow(152, 70, 197, 120)
    d.arrow(152, 220, 197, 160)
    d.box(
        400, 100, 150, 80, ["sample z", "z = \u03bc + \u03c3 \u00b7 \u03b5", f"{CVAE_LATENT} numbers"], CODE
    )
    d.arrow(352, 140, 397, 140)
    d.box(600, 100, 170, 80, ["decoder", f"[z, y]: Dense {VAE_HIDDEN}", f"{VAE_PIXELS} logits"], DECODER)
    d.arrow(552, 140, 597, 140)
    d.parts.append(
        '<polyline points="152,232 685,232 685,183" fill="none" stroke="#333333" stroke-width="2" '
        'marker-end="url(#arrow)"/>'
    )
    d.box(820, 100, 150, 80, ["image", "of digit y"], NEUTRAL)
    d.arrow(772, 140, 817, 140)
    d.text(
        500,
        275,
        "to generate: pick y, draw z from N(0, I), decode [z, y]; the KL term is "
        "KL( q(z | x, y) \u2016 N(0, I) )",
        size=12,
    )
    return d.svg()


COURSE = [
    ("Foundations", ["00 start here", "01 basic AE", "02 deep AE", "03 convolutional AE"], NEUTRAL),
    ("Restoring images", ["04 denoising AE", "05 restoring images"], CORRUPT),
    ("Using the codes", ["06 autoencoders as tools"], DECODER),
    ("The VAE three ways", ["07 functional API", "08 subclassed Model", "09 custom loop"], ENCODER),
    ("Beyond", ["10 latent space", "11 conditional VAE", "12 every model compared"], CODE),
]
# px: a part's column (its boxes are 25 narrower), the gap between columns, the drawing's edge
COLUMN_W, COLUMN_GAP, MARGIN = 235, 20, 15


def course_map() -> str:
    width = 2 * MARGIN + len(COURSE) * COLUMN_W + (len(COURSE) - 1) * COLUMN_GAP - 25
    d = Drawing(width, 300, "The course map: thirteen notebooks in five parts, in order")
    x = MARGIN
    column_w, previous = COLUMN_W, None
    for part, notebooks, colours in COURSE:
        d.text(x + column_w / 2 - 10, 22, part, size=15, weight="bold")
        for index, name in enumerate(notebooks):
            y = 45 + index * 62
            d.box(x, y, column_w - 25, 46, [name], colours, size=13)
            if index:
                d.arrow(x + (column_w - 25) / 2, y - 14, x + (column_w - 25) / 2, y - 2)
        if previous is not None:  # part to part, between the column headings
            d.arrow(previous + column_w - 25 + 2, 22, x - 3, 22)
        previous = x
        x += column_w + COLUMN_GAP
    d.text(
        width / 2,
        290,
        "each notebook runs on its own; the later ones reuse ideas, not trained models",
        size=12,
        italic=True,
    )
    return d.svg()


DIAGRAMS = {
    "course_map.svg": course_map,
    "basic_autoencoder.svg": basic_autoencoder,
    "deep_autoencoder.svg": deep_autoencoder,
    "conv_autoencoder.svg": conv_autoencoder,
    "restoring_setups.svg": restoring_setups,
    "vae.svg": vae,
    "conditional_vae.svg": conditional_vae,
}


def write_all(folder: Path) -> list[Path]:
    """Write every diagram into ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in DIAGRAMS.items():
        path = folder / name
        path.write_text(draw(), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "images"
    parser.add_argument("--out", type=Path, default=default, help="default: the repository's images/")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
