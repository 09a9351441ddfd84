"""Shared fixtures: a tiny offline data folder written in tmp_path, never the network."""

import gzip
import hashlib

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


def write_idx(path, array):
    """Write ``array`` (uint8) as a gzipped IDX file, the MNIST format."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.tobytes())
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    """No real data anywhere: empty Keras home, no Debian folder, outputs in tmp_path."""
    from course_utils import data

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "generated"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_RESULTS_FILE", raising=False)
    monkeypatch.setattr(data, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "no_debian_package")
    return tmp_path


@pytest.fixture
def fashion_folder(isolated_env, monkeypatch):
    """An offline folder with a 6-image train and 4-image test Fashion-MNIST, checksums pinned to it."""
    from course_utils import data

    root = isolated_env / "datasets"
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, size=(6, 28, 28)),
        "train-labels-idx1-ubyte.gz": np.arange(6) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, size=(4, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": np.arange(4),
    }
    pins = dict(data.PUBLISHER_SHA256)
    for name, array in arrays.items():
        pins[f"fashion-mnist/{name}"] = write_idx(root / "fashion-mnist" / name, array)
    monkeypatch.setattr(data, "PUBLISHER_SHA256", pins)
    monkeypatch.setattr(data, "VALIDATION_SIZE", {"Fashion-MNIST": 2, "MNIST": 1, "MNIST offline": 2})
    monkeypatch.setenv("COURSE_DATA_DIR", str(root))
    return root
