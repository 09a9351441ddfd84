"""The course's datasets, loaded the same way online and offline, and verified before use.

Each loader returns an :class:`ImageDataset`: float32 images in [0, 1] with integer labels, split into
train, validation and test, plus a line that says where the data came from. Where it looks, in order:

1. the offline folder named by ``COURSE_DATA_DIR`` (the layout of ``shared/datasets``);
2. for Fashion-MNIST, Debian's package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``);
3. the Keras cache (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``) or scikit-learn's cache;
4. the standard Keras / scikit-learn download, when ``download=True``.

The validation split is carved from the training data with a seed (``VALIDATION_SIZE``; for the faces
one image of each person): choose epochs and settings on it, and touch the test split once, for the
recorded number.

Every IDX file and ``mnist.npz`` is checked before it is read: MNIST's against its publisher's SHA-256;
Fashion-MNIST's against Zalando's published SHA-256 or, for the copies that Debian's package
``dataset-fashion-mnist`` recompressed (the course's offline folder holds those), against theirs. The
Olivetti pickle is checked against the SHA-256 pinned here (``OLIVETTI_SHA256``) before it is unpickled,
wherever it is loaded from. Every load is remembered (``loaded_datasets``): the course's runner stamps each notebook
with the data it used.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from course_utils import config, validate

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

# The publishers' SHA-256 of each file: Zalando's Fashion-MNIST files (as its README lists them and as Keras'
# mirror serves them), LeCun's MNIST IDX files and Keras' mnist.npz.
PUBLISHER_SHA256 = {
    "fashion-mnist/train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "fashion-mnist/train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "fashion-mnist/t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "fashion-mnist/t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "mnist/t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "mnist/t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    "mnist/mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
}

# Debian's package dataset-fashion-mnist ships the same images recompressed (other gzip bytes, so other
# checksums); the course's offline folder holds those copies, and its SHA256SUMS lists these values.
DEBIAN_SHA256 = {
    "fashion-mnist/train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "fashion-mnist/train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "fashion-mnist/t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "fashion-mnist/t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}

KERAS_DATASETS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DEBIAN_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
OLIVETTI_FILE = "olivetti/olivetti_py3.pkz"
# scikit-learn's cached Olivetti pickle (a joblib file, as shared/datasets holds it). A pickle runs code when
# it is loaded, so no copy is unpickled before its SHA-256 is this one.
OLIVETTI_SHA256 = "9dbc94bfe9fb4524eb42864d1c91bdf11f6752627cef8a1282a68c44d467dd36"
MNIST_OFFLINE_SPLIT = (8000, 2000)
PUBLISHER_CHECKED = "each file checked against its publisher's SHA-256"
DEBIAN_CHECKED = (
    "each file checked against the SHA-256 of Debian's recompressed copy (as listed in the "
    "course data folder's SHA256SUMS), not of Zalando's originals"
)
# images carved from the training data for validation (seeded); the faces hold out one per person
VALIDATION_SIZE = {"Fashion-MNIST": 5000, "MNIST": 5000, "MNIST offline": 1000}

FIX_HINT = (
    "How to fix: on a machine with internet, call the loader with download=True (the default); "
    "offline, set COURSE_DATA_DIR to a folder laid out like shared/datasets "
    "(see the README's 'Offline data' section)."
)


class DatasetNotFoundError(FileNotFoundError):
    """A dataset is in none of the places the course looks for it."""


class ChecksumError(ValueError):
    """A data file's SHA-256 differs from the one it must have: it is corrupt or not the expected file."""


@dataclasses.dataclass(frozen=True)
class ImageDataset:
    """Images in [0, 1] (float32) with integer labels, split into train, validation and test.

    The validation images are carved from the training data: fit on ``x_train``, choose epochs and
    settings on ``x_val``, and use ``x_test`` once, for the number you report.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    class_names: tuple[str, ...] | None = None

    @property
    def image_shape(self) -> tuple[int, ...]:
        """Shape of one image, e.g. (28, 28)."""
        return tuple(self.x_train.shape[1:])

    def subset(
        self, n_train: int | None = None, n_test: int | None = None, n_val: int | None = None
    ) -> ImageDataset:
        """The first ``n_train`` training, ``n_val`` validation and ``n_test`` test images (None keeps
        them all)."""
        for value, name in ((n_train, "n_train"), (n_val, "n_val"), (n_test, "n_test")):
            if value is not None:
                validate.positive_int(value, name)
        return dataclasses.replace(
            self,
            x_train=self.x_train[:n_train],
            y_train=self.y_train[:n_train],
            x_val=self.x_val[:n_val],
            y_val=self.y_val[:n_val],
            x_test=self.x_test[:n_test],
            y_test=self.y_test[:n_test],
        )

    def describe(self) -> str:
        """One line: sizes, image shape, value range and source."""
        size = "x".join(str(side) for side in self.image_shape)
        return (
            f"{self.name}: {len(self.x_train):,} train + {len(self.x_val):,} validation + "
            f"{len(self.x_test):,} test images of {size}, "
            f"{self.x_train.dtype} in [0, 1]; source: {self.source}"
        )


_LOADED: list[dict] = []


def loaded_datasets() -> list[dict]:
    """Every dataset loaded in this process so far: name, source line, sizes and the files' SHA-256."""
    return [dict(entry) for entry in _LOADED]


def shown_path(path: Path) -> str:
    """A path as the course prints it: inside the data folder as ``<folder name>/...``, in the home folder
    as ``~/...``; never this machine's absolute path when it can help it."""
    path = Path(path)
    offline = config.data_dir()
    for base, label in ((offline, offline.name if offline else ""), (Path.home(), "~")):
        if base is not None:
            try:
                return str(Path(label) / path.resolve().relative_to(base.resolve()))
            except ValueError:
                pass
    return str(path)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected) -> str:
    """Raise :class:`ChecksumError` unless the file's SHA-256 is ``expected`` (one hex digest, or a collection of
    accepted ones); return the digest it matched."""
    accepted = [expected] if isinstance(expected, str) else list(expected)
    actual = sha256_of(path)
    if actual not in accepted:
        raise ChecksumError(
            f"{path}: SHA-256 is {actual}, expected {' or '.join(accepted)}. The file is corrupt or not the "
            f"published one. How to fix: delete it and let the loader download it again, or copy a good file "
            f"from the course's offline data folder."
        )
    return actual


def read_sha256sums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum`` listing into {relative path: hex digest}."""
    sums = {}
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ValueError(f"{path}, line {line_number}: expected '<sha256>  <file>', got {line!r}")
        sums[parts[1].lstrip("*").strip()] = parts[0].lower()
    return sums


def read_idx(path: Path) -> np.ndarray:
    """Read a gzipped IDX file (the MNIST format) into a uint8 array."""
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes (its header is {raw[:4]!r})")
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) != header_size + int(np.prod(shape)):
        raise ValueError(
            f"{path}: header says shape {shape}, but the file holds {len(raw) - header_size} values"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def keras_datasets_dir() -> Path:
    """Where Keras caches its downloads: ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``)."""
    return Path(os.environ.get("KERAS_HOME", "~/.keras")).expanduser() / "datasets"


def _to_unit_float(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float32) / np.float32(255.0)).astype(np.float32)


def accepted_sha256(key: str) -> dict[str, str]:
    """The SHA-256 values a file may have, {digest: whose}: its publisher's, and Debian's for Fashion-MNIST."""
    accepted = {PUBLISHER_SHA256[key]: "publisher"}
    if key in DEBIAN_SHA256:
        accepted[DEBIAN_SHA256[key]] = "debian"
    return accepted


def _load_idx_split(
    files: dict[str, Path], checksum_keys: dict[str, str]
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Verify then read each IDX file; images become float32 in [0, 1], labels int64.

    Returns the arrays and {checksum key: the SHA-256 the file matched}."""
    arrays, matched = {}, {}
    for key, path in files.items():
        matched[checksum_keys[key]] = verify_sha256(path, accepted_sha256(checksum_keys[key]))
        raw = read_idx(path)
        arrays[key] = _to_unit_float(raw) if key.startswith("x") else raw.astype(np.int64)
    return arrays, matched


def _download(relative_key: str, cache_subdir: str) -> Path:
    """Download one file with Keras' own downloader into its cache, verified by the publisher's hash."""
    import keras  # imported here: loading data from the offline folder needs no Keras

    file_name = relative_key.split("/")[-1]
    origin = KERAS_DATASETS_URL + file_name  # the origin keras.datasets uses for both datasets
    return Path(
        keras.utils.get_file(
            file_name, origin=origin, file_hash=PUBLISHER_SHA256[relative_key], cache_subdir=cache_subdir
        )
    )


def _not_found(dataset: str, looked: list[str], extra: str = "") -> DatasetNotFoundError:
    places = "\n".join(f"  - {place}" for place in looked)
    return DatasetNotFoundError(f"{dataset} was not found. Looked in:\n{places}\n{extra}{FIX_HINT}")


def _say(verbose: bool, dataset: ImageDataset, checksums: dict[str, str]) -> ImageDataset:
    """Print the dataset's description (with ``verbose``) and remember the load for the runner's stamp."""
    _LOADED.append(
        {
            "name": dataset.name,
            "source": dataset.source,
            "n_train": len(dataset.x_train),
            "n_val": len(dataset.x_val),
            "n_test": len(dataset.x_test),
            "sha256": dict(sorted(checksums.items())),
        }
    )
    if verbose:
        print(dataset.describe())
    return dataset


def carve_validation(n_images: int, n_validation: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, validation): ``n_validation`` of ``n_images`` training images drawn with ``seed``
    for validation; both sorted, so the training images keep their order."""
    validate.positive_int(n_validation, "n_validation")
    if n_validation >= n_images:
        raise ValueError(
            f"n_validation={n_validation}: expected fewer than the {n_images} training images, so some "
            "remain for training"
        )
    chosen = np.random.default_rng(seed).choice(n_images, size=n_validation, replace=False)
    validation = np.sort(chosen)
    return np.setdiff1d(np.arange(n_images), validation), validation


def _three_splits(x_train, y_train, x_test, y_test, n_validation: int, seed: int) -> dict[str, np.ndarray]:
    train, validation = carve_validation(len(x_train), n_validation, seed)
    return {
        "x_train": x_train[train],
        "y_train": y_train[train],
        "x_val": x_train[validation],
        "y_val": y_train[validation],
        "x_test": x_test,
        "y_test": y_test,
    }


def _pins(keys) -> dict[str, str]:
    return {key: PUBLISHER_SHA256[key] for key in keys}


def load_fashion_mnist(download: bool = True, verbose: bool = True, seed: int = 0) -> ImageDataset:
    """Fashion-MNIST, 28x28 clothing images, labels 0-9: the official 60,000 training images split
    55,000 train + 5,000 validation (drawn with ``seed``), and the official 10,000 test images."""
    folders = []
    offline = config.data_dir()
    if offline is not None:
        folders.append(
            (
                offline / "fashion-mnist",
                f"offline folder {shown_path(offline / 'fashion-mnist')} (COURSE_DATA_DIR)",
            )
        )
    folders.append(
        (DEBIAN_FASHION_MNIST_DIR, f"Debian package dataset-fashion-mnist ({DEBIAN_FASHION_MNIST_DIR})")
    )
    keras_cache = keras_datasets_dir() / "fashion-mnist"
    folders.append((keras_cache, f"Keras cache {shown_path(keras_cache)}"))
    keys = {key: f"fashion-mnist/{name}" for key, name in FASHION_FILES.items()}

    looked = []
    found = None
    for folder, label in folders:
        files = {key: folder / name for key, name in FASHION_FILES.items()}
        if all(path.is_file() for path in files.values()):
            found = files, label
            break
        looked.append(f"{folder} (needs {', '.join(FASHION_FILES.values())})")
    if found is None:
        if not download:
            raise _not_found("Fashion-MNIST", looked)
        try:
            files = {key: _download(relative, "datasets/fashion-mnist") for key, relative in keys.items()}
        except Exception as error:
            raise _not_found("Fashion-MNIST", looked, f"The Keras download failed too: {error}\n") from error
        found = files, f"Keras download into {shown_path(keras_cache)}"
    files, label = found
    arrays, matched = _load_idx_split(files, keys)
    arrays = _three_splits(**arrays, n_validation=VALIDATION_SIZE["Fashion-MNIST"], seed=seed)
    debian = all(accepted_sha256(key)[digest] == "debian" for key, digest in matched.items())
    checked = DEBIAN_CHECKED if debian else PUBLISHER_CHECKED
    dataset = ImageDataset(
        "Fashion-MNIST", **arrays, source=f"{label}; {checked}", class_names=FASHION_MNIST_CLASSES
    )
    return _say(verbose, dataset, matched)


def _load_mnist_npz(path: Path, source: str, seed: int) -> ImageDataset:
    verify_sha256(path, PUBLISHER_SHA256["mnist/mnist.npz"])
    with np.load(path, allow_pickle=False) as archive:
        arrays = _three_splits(
            x_train=_to_unit_float(archive["x_train"]),
            y_train=archive["y_train"].astype(np.int64),
            x_test=_to_unit_float(archive["x_test"]),
            y_test=archive["y_test"].astype(np.int64),
            n_validation=VALIDATION_SIZE["MNIST"],
            seed=seed,
        )
        return ImageDataset(
            "MNIST",
            **arrays,
            source=f"{source}; {PUBLISHER_CHECKED}",
            class_names=tuple(str(digit) for digit in range(10)),
        )


def load_mnist(download: bool = True, verbose: bool = True, seed: int = 0) -> ImageDataset:
    """MNIST digits, 28x28, labels 0-9: 55,000 train + 5,000 validation + 10,000 test from
    ``mnist.npz``, or 7,000 + 1,000 + 2,000 offline.

    The offline folder holds only the official 10,000 test digits. Then they are shuffled with ``seed``
    and split 8,000 for training (1,000 of them carved out for validation) and 2,000 for testing, and
    the loader says so.
    """
    offline = config.data_dir()
    npz_places = []
    if offline is not None:
        npz_places += [offline / "mnist" / "mnist.npz", offline / "mnist.npz"]
    npz_places.append(keras_datasets_dir() / "mnist.npz")
    for path in npz_places:
        if path.is_file():
            return _say(verbose, _load_mnist_npz(path, shown_path(path), seed), _pins(["mnist/mnist.npz"]))
    looked = [str(path) for path in npz_places]

    if offline is not None:
        test_files = {
            "x": offline / "mnist" / "t10k-images-idx3-ubyte.gz",
            "y": offline / "mnist" / "t10k-labels-idx1-ubyte.gz",
        }
        if all(path.is_file() for path in test_files.values()):
            test_keys = {"x": "mnist/t10k-images-idx3-ubyte.gz", "y": "mnist/t10k-labels-idx1-ubyte.gz"}
            arrays, _ = _load_idx_split(test_files, test_keys)
            order = np.random.default_rng(seed).permutation(len(arrays["x"]))
            n_train, n_test = MNIST_OFFLINE_SPLIT
            if len(order) < n_train + n_test:
                raise ValueError(
                    f"{test_files['x']}: expected at least {n_train + n_test} digits, found {len(order)}"
                )
            train, test = order[:n_train], order[n_train : n_train + n_test]
            n_val = VALIDATION_SIZE["MNIST offline"]
            if verbose:
                print(
                    f"NOTE: MNIST's 60,000 training images are not in {shown_path(offline / 'mnist')}; only the official "
                    f"10,000 test digits are. Using those, shuffled (seed {seed}) and split {n_train:,} for "
                    f"training ({n_val:,} of them for validation) and {n_test:,} for "
                    f"testing. With internet, load_mnist() gets the full set."
                )
            dataset = ImageDataset(
                "MNIST",
                **_three_splits(
                    arrays["x"][train],
                    arrays["y"][train],
                    arrays["x"][test],
                    arrays["y"][test],
                    n_validation=n_val,
                    seed=seed,
                ),
                source=(
                    f"offline folder {shown_path(offline / 'mnist')}: the official test split only, "
                    f"split {n_train - n_val}/{n_val}/{n_test}; {PUBLISHER_CHECKED}"
                ),
                class_names=tuple(str(digit) for digit in range(10)),
            )
            return _say(verbose, dataset, _pins(test_keys.values()))
        looked.append(f"{offline / 'mnist'} (t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)")

    if not download:
        raise _not_found("MNIST", looked)
    try:
        path = _download("mnist/mnist.npz", "datasets")
    except Exception as error:
        raise _not_found("MNIST", looked, f"The Keras download failed too: {error}\n") from error
    return _say(
        verbose,
        _load_mnist_npz(path, f"Keras download into {shown_path(path)}", seed),
        _pins(["mnist/mnist.npz"]),
    )


def split_faces(
    images: np.ndarray, people: np.ndarray, test_per_person: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) that hold out ``test_per_person`` images of every person, chosen with ``seed``."""
    validate.positive_int(test_per_person, "test_per_person")
    rng = np.random.default_rng(seed)
    test = []
    for person in np.unique(people):
        own = np.flatnonzero(people == person)
        if len(own) <= test_per_person:
            raise ValueError(
                f"test_per_person={test_per_person}: person {person} has only {len(own)} images; "
                "expected more than that so some remain for training"
            )
        test.extend(rng.choice(own, size=test_per_person, replace=False))
    test_indices = np.sort(np.asarray(test))
    train_indices = np.setdiff1d(np.arange(len(images)), test_indices)
    return train_indices, test_indices


def mirror_horizontally(images: np.ndarray) -> np.ndarray:
    """Each image mirrored left to right: ``images[:, :, ::-1]`` (not ``images[::-1]``, which reorders them)."""
    array = validate.as_array(images, "images")
    validate.check_ndim(array, "images", (3, 4))
    return array[:, :, ::-1]


def load_olivetti_faces(
    test_per_person: int = 2,
    val_per_person: int = 1,
    augment_flip: bool = False,
    seed: int = 0,
    download: bool = True,
    verbose: bool = True,
) -> ImageDataset:
    """The Olivetti faces: 400 images (64x64) of 40 people; labels are the person (0-39).

    ``test_per_person`` images of every person are held out as the test set, then ``val_per_person`` of
    each person's remaining images as the validation set (both drawn with ``seed``; the test images do
    not depend on ``val_per_person``). With ``augment_flip``, the training set (only) is doubled with
    each training face mirrored left to right.
    """
    # imported here: only this loader needs scikit-learn
    from sklearn.datasets import fetch_olivetti_faces, get_data_home

    offline = config.data_dir()
    looked = []
    if offline is not None and (offline / OLIVETTI_FILE).is_file():
        verify_sha256(offline / OLIVETTI_FILE, OLIVETTI_SHA256)
        bunch = fetch_olivetti_faces(data_home=str(offline / "olivetti"), download_if_missing=False)
        checksums = {OLIVETTI_FILE: OLIVETTI_SHA256}
        source = (
            f"offline folder {shown_path(offline / 'olivetti')} (COURSE_DATA_DIR); the pickle checked "
            "against the SHA-256 pinned in course_utils.data (the data folder's SHA256SUMS) before "
            "unpickling"
        )
    else:
        if offline is not None:
            looked.append(shown_path(offline / OLIVETTI_FILE))
        cache = Path(get_data_home()) / Path(OLIVETTI_FILE).name
        looked.append(f"scikit-learn's data home ({shown_path(cache)})")
        if cache.is_file():
            verify_sha256(cache, OLIVETTI_SHA256)
            bunch = fetch_olivetti_faces(download_if_missing=False)
            checksums = {OLIVETTI_FILE: OLIVETTI_SHA256}
            source = f"scikit-learn's cache {shown_path(cache)}, the pickle checked against the SHA-256 pinned in course_utils.data before unpickling"
        elif not download:
            raise _not_found("The Olivetti faces", looked)
        else:
            bunch = _download_olivetti_faces(cache, looked)
            checksums = {}  # scikit-learn checked the downloaded .mat file against its own pin
            source = "scikit-learn's fetch_olivetti_faces download (its own checksum of the .mat file)"

    faces = np.asarray(bunch.images, dtype=np.float32)
    people = np.asarray(bunch.target, dtype=np.int64)
    train, test = split_faces(faces, people, test_per_person=test_per_person, seed=seed)
    kept, held = split_faces(faces[train], people[train], test_per_person=val_per_person, seed=seed + 1)
    train, validation = train[kept], train[held]
    x_train, y_train = faces[train], people[train]
    if augment_flip:
        x_train = np.concatenate([x_train, mirror_horizontally(x_train)])
        y_train = np.concatenate([y_train, y_train])
        source += "; training set doubled by horizontal flips"
    dataset = ImageDataset(
        "Olivetti faces",
        x_train=x_train,
        y_train=y_train,
        x_val=faces[validation],
        y_val=people[validation],
        x_test=faces[test],
        y_test=people[test],
        source=source,
        class_names=tuple(f"person {person}" for person in range(int(people.max()) + 1)),
    )
    return _say(verbose, dataset, checksums)


def _download_olivetti_faces(cache: Path, looked: list[str]):
    """Download the faces with scikit-learn into a fresh folder (it checks the download's SHA-256) and load
    them from there; keep the pickle it wrote in its cache only when it has the pinned SHA-256, so that a
    later load can verify it."""
    from sklearn.datasets import fetch_olivetti_faces

    with tempfile.TemporaryDirectory() as fresh:
        try:
            bunch = fetch_olivetti_faces(data_home=fresh, download_if_missing=True)
        except Exception as error:
            raise _not_found(
                "The Olivetti faces", looked, f"scikit-learn's download failed: {error}\n"
            ) from error
        written = Path(fresh) / cache.name
        if written.is_file() and sha256_of(written) == OLIVETTI_SHA256:
            cache.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(written, cache)
    return bunch


def add_gaussian_noise(images, sigma, seed: int = 0, clip: bool = True) -> np.ndarray:
    """``images`` plus Gaussian noise (seeded), clipped to [0, 1].

    ``sigma`` is one standard deviation for all images, or one per image (a 1-D array of length n).
    """
    array = validate.images(images, "images")
    sigmas = np.asarray(sigma, dtype=np.float64)
    if sigmas.ndim > 1 or (sigmas.ndim == 1 and len(sigmas) != len(array)):
        raise ValueError(
            f"sigma: expected a number or one value per image ({len(array)}), got shape {sigmas.shape}"
        )
    if not np.all(np.isfinite(sigmas)) or np.any(sigmas < 0):
        raise ValueError(f"sigma: expected finite standard deviations >= 0, got {sigma!r}")
    scale = sigmas.reshape((-1,) + (1,) * (array.ndim - 1)) if sigmas.ndim == 1 else sigmas
    noise = np.random.default_rng(seed).normal(0.0, 1.0, size=array.shape) * scale
    noisy = array.astype(np.float32) + noise.astype(np.float32)
    return np.clip(noisy, 0.0, 1.0) if clip else noisy


def downsample(images, factor: int) -> np.ndarray:
    """Shrink each image by ``factor`` in height and width by averaging ``factor x factor`` blocks."""
    array = validate.images(images, "images")
    factor = validate.positive_int(factor, "factor")
    n, height, width = array.shape[:3]
    if height % factor or width % factor:
        raise ValueError(f"factor: expected a divisor of the image size {height}x{width}, got {factor}")
    blocks = array.reshape(n, height // factor, factor, width // factor, factor, *array.shape[3:])
    return blocks.mean(axis=(2, 4)).astype(np.float32)


def upsample_bicubic(images, size: tuple[int, int]) -> np.ndarray:
    """Enlarge each image to ``size`` (height, width) by bicubic interpolation, clipped to [0, 1]."""
    import keras  # imported here: the rest of this module needs no Keras

    array = validate.images(images, "images")
    if len(size) != 2 or any(not isinstance(side, (int, np.integer)) or side < 1 for side in size):
        raise ValueError(f"size: expected (height, width) as two positive integers, got {size!r}")
    batch = array[..., None] if array.ndim == 3 else array
    resized = keras.ops.convert_to_numpy(
        keras.ops.image.resize(batch.astype(np.float32), tuple(size), interpolation="bicubic")
    )
    resized = np.clip(resized, 0.0, 1.0).astype(np.float32)
    return resized[..., 0] if array.ndim == 3 else resized
