import gzip
import hashlib
from pathlib import Path

import joblib
import numpy as np
import pytest

from course_utils import data
from tests.conftest import write_idx


def test_read_idx_round_trip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", array)
    np.testing.assert_array_equal(data.read_idx(tmp_path / "a.gz"), array)


def test_read_idx_rejects_bad_header_and_truncated_body(tmp_path):
    with gzip.open(tmp_path / "bad.gz", "wb") as handle:
        handle.write(b"\x01\x02\x03\x04rest")
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(tmp_path / "bad.gz")
    with gzip.open(tmp_path / "short.gz", "wb") as handle:
        handle.write(bytes([0, 0, 8, 1]) + (10).to_bytes(4, "big") + b"\x00" * 3)
    with pytest.raises(ValueError, match="header says shape"):
        data.read_idx(tmp_path / "short.gz")


def test_fashion_mnist_from_offline_folder(fashion_folder, capsys):
    dataset = data.load_fashion_mnist(download=False)
    assert dataset.x_train.shape == (4, 28, 28) and dataset.x_val.shape == (2, 28, 28)
    assert dataset.x_test.shape == (4, 28, 28)
    assert dataset.x_train.dtype == np.float32
    assert dataset.x_train.min() >= 0.0 and dataset.x_train.max() <= 1.0
    # validation is carved from the six training images: disjoint, together all six, order kept
    assert sorted(np.concatenate([dataset.y_train, dataset.y_val]).tolist()) == list(range(6))
    assert np.all(np.diff(dataset.y_train) > 0)
    np.testing.assert_array_equal(dataset.y_test, np.arange(4))
    assert "COURSE_DATA_DIR" in dataset.source and "publisher's SHA-256" in dataset.source
    assert dataset.class_names[9] == "Ankle boot"
    assert "4 train + 2 validation + 4 test" in capsys.readouterr().out
    again = data.load_fashion_mnist(download=False, verbose=False)
    np.testing.assert_array_equal(again.y_val, dataset.y_val)
    other_seeds = {
        tuple(data.load_fashion_mnist(download=False, verbose=False, seed=seed).y_val) for seed in range(6)
    }
    assert len(other_seeds) > 1, "the seed chooses the validation images"


def test_carve_validation_is_disjoint_seeded_and_refuses_taking_everything():
    train, validation = data.carve_validation(10, 3, seed=4)
    assert len(validation) == 3 and len(train) == 7
    assert sorted(np.concatenate([train, validation]).tolist()) == list(range(10))
    np.testing.assert_array_equal(validation, data.carve_validation(10, 3, seed=4)[1])
    with pytest.raises(ValueError, match="n_validation=10.*fewer than the 10"):
        data.carve_validation(10, 10)
    with pytest.raises(ValueError, match="n_validation"):
        data.carve_validation(10, 0)


def test_fashion_mnist_corrupt_file_fails_its_checksum(fashion_folder):
    target = fashion_folder / "fashion-mnist" / "t10k-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:-5] + b"xxxxx")
    with pytest.raises(data.ChecksumError, match="t10k-images-idx3-ubyte.gz"):
        data.load_fashion_mnist(download=False)


def test_real_pins_reject_a_file_that_is_not_the_published_one(isolated_env, monkeypatch):
    folder = isolated_env / "datasets" / "fashion-mnist"
    for name in data.FASHION_FILES.values():
        write_idx(folder / name, np.zeros((2, 28, 28)) if "images" in name else np.zeros(2))
    monkeypatch.setenv("COURSE_DATA_DIR", str(isolated_env / "datasets"))
    with pytest.raises(data.ChecksumError, match="expected 3aede38d[0-9a-f]* or b0564c3e"):
        data.load_fashion_mnist(download=False)


def test_missing_dataset_says_where_it_looked_and_how_to_fix(isolated_env, monkeypatch):
    empty = isolated_env / "empty"
    empty.mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(empty))
    with pytest.raises(data.DatasetNotFoundError) as error:
        data.load_fashion_mnist(download=False)
    message = str(error.value)
    assert str(empty / "fashion-mnist") in message
    assert "keras_home" in message and "COURSE_DATA_DIR" in message and "How to fix" in message


def offline_mnist_test_digits(root, images, labels, split, monkeypatch):
    """An offline folder that holds only MNIST's test files (these ``images`` and ``labels``, pinned), split
    ``split`` = (train, test) by the loader's fallback."""
    pins = dict(data.PUBLISHER_SHA256)
    pins["mnist/t10k-images-idx3-ubyte.gz"] = write_idx(root / "mnist" / "t10k-images-idx3-ubyte.gz", images)
    pins["mnist/t10k-labels-idx1-ubyte.gz"] = write_idx(root / "mnist" / "t10k-labels-idx1-ubyte.gz", labels)
    monkeypatch.setattr(data, "PUBLISHER_SHA256", pins)
    monkeypatch.setattr(data, "MNIST_OFFLINE_SPLIT", split)
    monkeypatch.setattr(data, "VALIDATION_SIZE", {"Fashion-MNIST": 2, "MNIST": 1, "MNIST offline": 2})
    monkeypatch.setenv("COURSE_DATA_DIR", str(root))


def test_mnist_offline_falls_back_to_the_test_split_and_says_so(isolated_env, monkeypatch, capsys):
    root = isolated_env / "datasets"
    images = np.arange(10 * 28 * 28).reshape(10, 28, 28) % 256
    labels = np.arange(10)
    offline_mnist_test_digits(root, images, labels, (8, 2), monkeypatch)
    dataset = data.load_mnist(download=False)
    assert len(dataset.x_train) == 6 and len(dataset.x_val) == 2 and len(dataset.x_test) == 2
    every_label = np.concatenate([dataset.y_train, dataset.y_val, dataset.y_test])
    assert sorted(every_label.tolist()) == list(range(10))
    out = capsys.readouterr().out
    assert "only the official" in out
    assert "split 8 for training (2 of them for validation) and 2 for testing" in out


def test_mnist_offline_split_keeps_each_image_with_its_label(isolated_env, monkeypatch):
    """Images and labels are shuffled together: after the 7/3 split of 12 digits, every image still shows its
    own label (pixels = 20 * label), pixel (0, 0) names a distinct original digit, and the seed sets the order."""
    root = isolated_env / "datasets"
    labels = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
    images = np.repeat(labels * 20, 28 * 28).reshape(-1, 28, 28)
    images[:, 0, 0] = np.arange(len(labels))
    offline_mnist_test_digits(root, images, labels, (7, 3), monkeypatch)
    dataset = data.load_mnist(download=False, verbose=False, seed=0)
    assert len(dataset.y_train) == 5 and len(dataset.y_val) == 2 and len(dataset.y_test) == 3
    x = np.round(np.concatenate([dataset.x_train, dataset.x_val, dataset.x_test]) * 255).astype(int)
    y = np.concatenate([dataset.y_train, dataset.y_val, dataset.y_test])
    np.testing.assert_array_equal(x[:, 1:, :], np.broadcast_to(20 * y[:, None, None], (10, 27, 28)))
    original = x[:, 0, 0]
    assert len(set(original.tolist())) == 10
    np.testing.assert_array_equal(labels[original], y)
    assert original.tolist() != list(range(10))  # shuffled, not the first ten in file order
    again = data.load_mnist(download=False, verbose=False, seed=0)
    np.testing.assert_array_equal(again.y_train, dataset.y_train)
    other = data.load_mnist(download=False, verbose=False, seed=1)
    assert not np.array_equal(other.x_train, dataset.x_train)


def test_mnist_npz_is_verified_and_loaded(isolated_env, monkeypatch):
    path = isolated_env / "keras_home" / "datasets" / "mnist.npz"
    path.parent.mkdir(parents=True)
    np.savez(
        path,
        x_train=np.full((3, 28, 28), 255, np.uint8),
        y_train=np.arange(3),
        x_test=np.zeros((2, 28, 28), np.uint8),
        y_test=np.arange(2),
    )
    with pytest.raises(data.ChecksumError, match="mnist.npz"):
        data.load_mnist(download=False, verbose=False)
    pins = dict(data.PUBLISHER_SHA256, **{"mnist/mnist.npz": hashlib.sha256(path.read_bytes()).hexdigest()})
    monkeypatch.setattr(data, "PUBLISHER_SHA256", pins)
    monkeypatch.setattr(data, "VALIDATION_SIZE", {"Fashion-MNIST": 2, "MNIST": 1, "MNIST offline": 2})
    dataset = data.load_mnist(download=False, verbose=False)
    assert dataset.x_train.shape == (2, 28, 28) and dataset.x_val.shape == (1, 28, 28)
    assert float(dataset.x_train.max()) == 1.0 and float(dataset.x_val.max()) == 1.0
    assert dataset.x_test.shape == (2, 28, 28)


def _write_faces(root, corrupt=False):
    folder = root / "olivetti"
    folder.mkdir(parents=True)
    pixels = (np.arange(400)[:, None] + np.arange(4096)[None, :]) % 256
    pixels[:, 4095] = np.arange(400) // 256  # with pixel 0 (index mod 256), each image's own index
    path = folder / "olivetti_py3.pkz"
    if corrupt:
        path.write_bytes(b"not a pickle at all")
    else:
        joblib.dump(pixels.astype(np.uint8), path, compress=6)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return path, digest


def test_faces_split_two_per_person_and_flip_mirrors(isolated_env, monkeypatch):
    root = isolated_env / "datasets"
    _, digest = _write_faces(root)
    monkeypatch.setattr(data, "OLIVETTI_SHA256", digest)
    monkeypatch.setenv("COURSE_DATA_DIR", str(root))
    monkeypatch.setattr(data, "_LOADED", [])
    plain = data.load_olivetti_faces(verbose=False)
    assert plain.x_train.shape == (280, 64, 64) and plain.x_test.shape == (80, 64, 64)
    assert plain.x_val.shape == (40, 64, 64)
    assert np.all(np.bincount(plain.y_test) == 2) and np.all(np.bincount(plain.y_val) == 1)
    assert np.all(np.bincount(plain.y_train) == 7)
    # no image is in two splits: pixels 0 and 4095 of each synthetic image name its index
    every_image = np.concatenate([plain.x_train, plain.x_val, plain.x_test]).reshape(400, -1)
    assert len({(image[0], image[-1]) for image in every_image.tolist()}) == 400
    fewer_val = data.load_olivetti_faces(val_per_person=2, verbose=False)
    np.testing.assert_array_equal(fewer_val.x_test, plain.x_test)  # the test faces do not move
    flipped = data.load_olivetti_faces(augment_flip=True, verbose=False)
    assert flipped.x_train.shape == (560, 64, 64) and flipped.x_val.shape == (40, 64, 64)
    np.testing.assert_array_equal(flipped.x_train[280:], flipped.x_train[:280, :, ::-1])
    np.testing.assert_array_equal(flipped.y_train[280:], flipped.y_train[:280])
    np.testing.assert_array_equal(flipped.x_test, plain.x_test)
    np.testing.assert_array_equal(flipped.x_val, plain.x_val)
    loads = data.loaded_datasets()  # what the runner's stamp records
    assert [(load["n_train"], load["n_val"], load["n_test"]) for load in loads] == [
        (280, 40, 80),
        (240, 80, 80),
        (560, 40, 80),
    ]
    assert loads[0]["sha256"] == {data.OLIVETTI_FILE: digest}
    assert loads[0]["source"].startswith("offline folder datasets/olivetti"), "no absolute path in the source"


class _RunsCode:
    """A pickle that creates a file when it is unpickled: what a tampered faces file could do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.mark.parametrize("where", ["offline folder", "scikit-learn cache"])
def test_faces_pickle_is_checked_against_the_pinned_sha256_before_unpickling(
    isolated_env, monkeypatch, where
):
    marker = isolated_env / "code_ran"
    if where == "offline folder":
        root = isolated_env / "datasets"
        monkeypatch.setenv("COURSE_DATA_DIR", str(root))
        path = root / data.OLIVETTI_FILE
    else:
        monkeypatch.setenv("SCIKIT_LEARN_DATA", str(isolated_env / "sklearn_home"))
        path = isolated_env / "sklearn_home" / "olivetti_py3.pkz"
    path.parent.mkdir(parents=True)
    joblib.dump(_RunsCode(marker), path, compress=6)
    with pytest.raises(data.ChecksumError, match="olivetti_py3.pkz") as error:
        data.load_olivetti_faces(verbose=False, download=False)
    assert data.OLIVETTI_SHA256 in str(error.value) and "How to fix" in str(error.value)
    assert not marker.exists(), "the file was unpickled before its checksum was checked"
    joblib.load(path)  # proves the planted file does run code when unpickled
    assert marker.exists()


def test_faces_pin_is_the_offline_folders_checksum():
    sums = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip("the course's data folder is not beside this checkout")
    assert data.read_sha256sums(sums)[data.OLIVETTI_FILE] == data.OLIVETTI_SHA256


def test_split_faces_needs_images_left_for_training():
    people = np.repeat(np.arange(3), 2)
    with pytest.raises(ValueError, match="test_per_person=2"):
        data.split_faces(np.zeros((6, 4, 4)), people, test_per_person=2)
    train, test = data.split_faces(np.zeros((9, 4, 4)), np.repeat(np.arange(3), 3), test_per_person=1)
    assert len(test) == 3 and len(np.intersect1d(train, test)) == 0 and len(train) == 6


def test_mirror_is_not_a_reordering():
    images = np.arange(2 * 2 * 3, dtype=float).reshape(2, 2, 3)
    np.testing.assert_array_equal(data.mirror_horizontally(images)[0, 0], [2, 1, 0])
    assert not np.array_equal(data.mirror_horizontally(images), images[::-1])


def test_gaussian_noise_is_seeded_and_clipped():
    images = np.full((3, 8, 8), 0.5, np.float32)
    first = data.add_gaussian_noise(images, 0.3, seed=1)
    np.testing.assert_array_equal(first, data.add_gaussian_noise(images, 0.3, seed=1))
    assert not np.array_equal(first, data.add_gaussian_noise(images, 0.3, seed=2))
    assert first.min() >= 0 and first.max() <= 1 and first.dtype == np.float32
    np.testing.assert_array_equal(data.add_gaussian_noise(images, 0.0), images)
    with pytest.raises(ValueError, match="sigma"):
        data.add_gaussian_noise(images, -0.1)
    per_image = data.add_gaussian_noise(images, np.array([0.0, 0.2, 0.0]), seed=1)
    np.testing.assert_array_equal(per_image[[0, 2]], images[[0, 2]])
    assert np.std(per_image[1]) > 0.1
    with pytest.raises(ValueError, match=r"sigma: expected a number or one value per image \(3\)"):
        data.add_gaussian_noise(images, np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match=r"images: expected pixel values in \[0, 1\]"):
        data.add_gaussian_noise(images * 255, 0.1)


def test_downsample_averages_blocks_and_upsample_keeps_constants():
    images = np.array([[[0, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]]], dtype=np.float32)
    np.testing.assert_allclose(data.downsample(images, 2), [[[0.5, 0.0], [1.0, 1.0]]])
    with pytest.raises(ValueError, match="factor"):
        data.downsample(images, 3)
    constant = np.full((2, 7, 7), 0.25, np.float32)
    up = data.upsample_bicubic(constant, (14, 14))
    assert up.shape == (2, 14, 14)
    np.testing.assert_allclose(up, 0.25, atol=1e-5)


# Keys' cubic kernel with a = -1/2 (what tf.image.resize's "bicubic" uses) at the distances 1.75, 1.25, 0.75,
# 0.25 from a source pixel to the half-pixel centres of the doubled image: W(1.75), W(1.25), W(0.75), W(0.25).
KEYS_WEIGHTS_HALF = np.array([-0.0234375, -0.0703125, 0.2265625, 0.8671875])
KEYS_WEIGHTS = np.concatenate([KEYS_WEIGHTS_HALF, KEYS_WEIGHTS_HALF[::-1]])


def test_upsample_bicubic_impulse_response_is_the_keys_kernel():
    """Doubling a grey 10x12 image with one brighter pixel at (4, 6): the output is 0.5 + 0.4 * k(row) k(column),
    Keys' weights at output rows 5-12 and columns 9-16 (not transposed, not nearest, not bilinear)."""
    image = np.full((1, 10, 12), 0.5, np.float32)
    image[0, 4, 6] = 0.9
    up = data.upsample_bicubic(image, (20, 24))
    expected = np.full((20, 24), 0.5)
    expected[5:13, 9:17] += 0.4 * np.outer(KEYS_WEIGHTS, KEYS_WEIGHTS)
    assert up.shape == (1, 20, 24) and up.dtype == np.float32
    np.testing.assert_allclose(up[0], expected, atol=1e-5)


def test_upsample_bicubic_reproduces_a_quadratic_ramp_away_from_the_borders():
    """Keys' kernel reproduces quadratics: a ramp f(x) = 0.1 + 0.8 (x / 7)^2 along the width of a 6x8 image,
    doubled, equals f((j + 0.5) / 2 - 0.5) in output column j wherever all four taps lie inside the image
    (j = 3..12), in every row; the same ramp down the height comes out down the height."""
    x = np.arange(8)
    u = (np.arange(16) + 0.5) / 2 - 0.5  # half-pixel centres of the output in input coordinates
    ramp = 0.1 + 0.8 * (x / 7) ** 2
    expected = 0.1 + 0.8 * (u[3:13] / 7) ** 2
    across = data.upsample_bicubic(np.tile(ramp, (1, 6, 1)).astype(np.float32), (12, 16))[0]
    np.testing.assert_allclose(across[:, 3:13], np.tile(expected, (12, 1)), atol=1e-5)
    down = data.upsample_bicubic(np.tile(ramp[:, None], (1, 1, 6)).astype(np.float32), (16, 12))[0]
    np.testing.assert_allclose(down[3:13, :], np.tile(expected[:, None], (1, 12)), atol=1e-5)


def test_subset_and_describe(fashion_folder):
    dataset = data.load_fashion_mnist(download=False, verbose=False).subset(n_train=2, n_val=1, n_test=1)
    assert len(dataset.x_train) == 2 and len(dataset.y_val) == 1 and len(dataset.y_test) == 1
    assert dataset.image_shape == (28, 28)
    assert "2 train + 1 validation + 1 test images of 28x28" in dataset.describe()
    with pytest.raises(ValueError, match="n_train"):
        dataset.subset(n_train=0)


def test_fashion_mnist_accepts_debians_recompressed_copy_and_says_so(fashion_folder, monkeypatch):
    """The offline folder holds Debian's recompressed files: their SHA-256 is accepted, named in the source line,
    and recorded; Zalando's own digests stay the pins for a download."""
    pins = dict(data.PUBLISHER_SHA256)
    debian = {key: pins[key] for key in pins if key.startswith("fashion-mnist/")}
    for key in debian:
        pins[key] = "0" * 64  # the publisher's digest no longer matches the local files
    monkeypatch.setattr(data, "PUBLISHER_SHA256", pins)
    monkeypatch.setattr(data, "DEBIAN_SHA256", debian)
    dataset = data.load_fashion_mnist(download=False)
    assert "Debian's recompressed copy" in dataset.source
    assert data.loaded_datasets()[-1]["sha256"] == dict(sorted(debian.items()))


def test_a_file_matching_no_accepted_digest_is_refused_with_both_named(fashion_folder, monkeypatch):
    pins = {
        key: ("1" * 64 if key.startswith("fashion-mnist/") else value)
        for key, value in data.PUBLISHER_SHA256.items()
    }
    monkeypatch.setattr(data, "PUBLISHER_SHA256", pins)
    monkeypatch.setattr(
        data, "DEBIAN_SHA256", {key: "2" * 64 for key in pins if key.startswith("fashion-mnist/")}
    )
    with pytest.raises(data.ChecksumError, match="expected 1{64} or 2{64}"):
        data.load_fashion_mnist(download=False)


def test_the_pinned_fashion_mnist_digests_are_zalandos_originals():
    """Zalando's README lists these files; Keras' mirror serves them, so a download must match these."""
    assert data.PUBLISHER_SHA256["fashion-mnist/train-images-idx3-ubyte.gz"].startswith("3aede38d")
    assert data.DEBIAN_SHA256["fashion-mnist/train-images-idx3-ubyte.gz"].startswith("b0564c3e")
