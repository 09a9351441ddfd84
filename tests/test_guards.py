"""Course-wide guards: each is proven on planted violations, then applied to every notebook."""

from __future__ import annotations

import nbformat
import pytest

from course_tools import guards
from course_tools.notebook_io import cell_source, notebook_paths

NOTEBOOKS = notebook_paths()


def _code_sources(notebook) -> list[str]:
    return [cell_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "code"]


# -- planted violations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [
        ["model.fit(x_train, x_train, validation_data=(x_test, x_test))"],
        ["model.fit(faces.x_test, faces.x_test)"],
        ["noisy = add_noise(fashion_test)", "model.fit(noisy, clean)"],  # computed from a test array
        ["x_train, x_check = data.x_train, data.x_test", "model.fit(x_check, x_check)"],
        ["held = {'a': x_test}", "for key, images in held.items():\n    model.fit(images, images)"],
        ["model.fit(x=test_images, y=test_images)"],
        [
            "class Clock(Callback):\n    def on_epoch_end(self, e, logs=None):\n        m.evaluate(x_test)",
            "model.fit(x_train, x_train, callbacks=[Clock()])",
        ],
        ["for images in test_dataset:\n    train_step(images)"],
        ["%time model.fit(x_test, x_test)"],
        ["for step in range(2):\n    model.fit(batch)\n    batch = x_test[step]"],  # tainted late in a loop
        ["z = x_train", "z = x_test", "model.fit(z, z)"],  # the last assignment counts
    ],
)
def test_test_data_guard_catches_planted_leaks(cells):
    assert guards.test_data_in_training(cells), cells


@pytest.mark.parametrize(
    "cells",
    [
        [
            "x_train, x_test = d.x_train, d.x_test",
            "model.fit(x_train, x_train, validation_data=(x_val, x_val))",
        ],
        ["test_codes = encoder.predict(x_test)", "NearestNeighbors().fit(train_codes)"],
        ["model.evaluate(x_test, x_test)", "pca = PCA(5).fit(x_train)"],
        ["def score(m):\n    return m.evaluate(x_test)", "model.fit(x_train, x_train)"],
        ["z = x_test", "z = x_train", "model.fit(z, z)"],  # reassigned to clean data before training
        ["model.fit(reference)", "reference = baselines.pca_reconstruction(x_train, x_test, 5)"],  # later
    ],
)
def test_test_data_guard_accepts_clean_code(cells):
    assert guards.test_data_in_training(cells) == []


def _notebook_with_output(text: str, kind: str = "stream"):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("pass")
    if kind == "stream":
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    elif kind == "result":  # what a cell's last line displays
        cell.outputs = [
            nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)
        ]
    else:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": text})]
    notebook.cells = [cell]
    return notebook


@pytest.mark.parametrize(
    ("text", "kind", "what"),
    [
        (
            "WARNING:tensorflow:5 out of the last 5 calls triggered tf.function retracing",
            "stream",
            "TensorFlow",
        ),
        ("WARNING: All log messages before absl::InitializeLog() is called", "stream", "absl"),
        (
            "I0000 00:00:1795371312.979495 27509 port.cc:153] oneDNN custom operations are on",
            "stream",
            "oneDNN",
        ),
        ("Could not find cuda drivers on your machine, GPU will not be used.", "stream", "CUDA"),
        ('\x1b[1mModel: "vae"\x1b[0m', "stream", "ANSI"),
        ("VBox(children=(Dropdown(description='model'),))", "display", "widget"),
        ("saved /work/main/notebooks/generated/checkpoints/09_vae/ckpt-1", "stream", "absolute path"),
        ("data: /home/student/datasets", "stream", "absolute path"),
        ("<keras.src.callbacks.history.History at 0x7f6d88c46b90>", "result", "memory address"),
        ("<tf.Tensor: shape=(784,), dtype=float32, numpy=\narray([-0.08, -0.08])>", "result", "tensor"),
        ("0.9111201763153076", "result", "stray value"),
        ("-1.5e-05", "result", "stray value"),
    ],
)
def test_clean_output_guard_catches_planted_noise(text, kind, what):
    problems = guards.unclean_outputs(_notebook_with_output(text, kind))
    assert problems and what.lower() in problems[0].lower(), problems


def test_clean_output_guard_accepts_relative_paths_and_plain_text():
    text = "saved generated/checkpoints/09_vae/ckpt-1\ndata: offline folder datasets/ (COURSE_DATA_DIR)\n"
    assert guards.unclean_outputs(_notebook_with_output(text)) == []
    for printed in ("0.9111", "val_seed_spread = 0.527 nats per image"):  # printed, not displayed
        assert guards.unclean_outputs(_notebook_with_output(printed)) == []
    assert guards.unclean_outputs(_notebook_with_output("'a sentence'", "result")) == []


def _notebook_with_prose(markdown: str, output: str):
    notebook = _notebook_with_output(output)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(markdown))
    return notebook


@pytest.mark.parametrize(
    ("markdown", "output"),
    [
        ("The autoencoder's test MSE is 0.0138.", "fashion_test_mse = 0.0137 MSE per pixel"),
        ("It is 3.0x better than PCA.", "ratio 2.96"),
        ("It wins on 45% of the images.", "wins on 44% of the images"),
        ("The gap is 2.5 times larger.", "gap ratio 2.46"),
        ("Rounded differently: 0.014.", "0.0138"),
    ],
)
def test_prose_number_guard_catches_numbers_no_output_prints(markdown, output):
    assert guards.unbacked_prose_numbers(_notebook_with_prose(markdown, output)), (markdown, output)


@pytest.mark.parametrize(
    ("markdown", "output"),
    [
        ("The autoencoder's test MSE is 0.0138.", "fashion_test_mse = 0.0138 MSE per pixel"),
        ("It is 3.0x better than PCA.", "3.0x PCA-32"),
        ("It wins on 45% of the images.", "wins on 45% of the images"),
        ("Kingma and Welling (2014) reach 0.5 nats.", ""),  # a citation
        ("Call `fit(epochs=30, learning_rate=0.001)` with 3 layers.", ""),  # inline code, integers
        ("We saw 55,000 images.", ""),  # integers are not claims this guard judges
    ],
)
def test_prose_number_guard_accepts_printed_numbers_citations_and_code(markdown, output):
    assert guards.unbacked_prose_numbers(_notebook_with_prose(markdown, output)) == []


def test_prose_numbers_in_further_reading_are_exempt():
    notebook = _notebook_with_prose("## Further reading\n- A paper with 0.25 in its title.", "")
    assert guards.unbacked_prose_numbers(notebook) == []


# -- every notebook --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_test_array_reaches_training(path):
    problems = guards.test_data_in_training(_code_sources(nbformat.read(path, as_version=4)))
    assert not problems, f"{path.name}: the test split is for the recorded number only:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_are_clean(path):
    problems = guards.unclean_outputs(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_numbers_in_prose_come_from_the_run(path):
    problems = guards.unbacked_prose_numbers(nbformat.read(path, as_version=4))
    assert not problems, (
        f"{path.name}: print these from code (or drop them) so that a rerun cannot make the prose lie:\n"
        + "\n".join(problems)
    )
