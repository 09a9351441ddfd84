"""``init()``: the first call of every notebook. Seeds, determinism, versions, mode and data folder."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import platform
import re
import sys
from pathlib import Path

import numpy as np

from course_utils import config

# Keras 3.6 is the first whose fit() honours TensorFlow's op determinism on a GPU.
MINIMUM_VERSIONS = {"tensorflow": (2, 16), "keras": (3, 6), "numpy": (1, 26)}


@dataclasses.dataclass(frozen=True)
class Environment:
    """What ``init`` found: mode, platform, versions and devices."""

    quick: bool
    in_colab: bool
    seed: int
    versions: dict
    devices: tuple[str, ...]
    data_dir: str | None


def in_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def version_tuple(version: str) -> tuple[int, ...]:
    """'2.21.0rc1' -> (2, 21, 0): the leading numbers of a version string."""
    numbers = []
    for part in version.split("."):
        match = re.match(r"\d+", part)
        if match is None:
            break
        numbers.append(int(match.group()))
        if match.end() != len(part):
            break
    return tuple(numbers)


def check_versions(versions: dict[str, str], minimums: dict[str, tuple[int, ...]] = MINIMUM_VERSIONS) -> None:
    """Raise RuntimeError naming every package older than the course needs."""
    too_old = [
        f"{name} {versions[name]} (needs >= {'.'.join(map(str, minimum))})"
        for name, minimum in minimums.items()
        if version_tuple(versions[name]) < minimum
    ]
    if too_old:
        raise RuntimeError(
            "This course needs newer packages: "
            + "; ".join(too_old)
            + ". Run `python -m pip install -r requirements.txt` and restart the kernel."
        )


@contextlib.contextmanager
def quiet_native_stderr():
    """Send the process's native stderr (file descriptor 2) to /dev/null for the block, then restore it.

    TensorFlow's C++ start-up lines (oneDNN notes, "could not find cuda drivers") are written there before
    any log level applies; ``init`` prints the devices itself instead.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no file descriptor 2 (some embedded interpreters): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def allow_gpu_memory_growth(tf) -> None:
    """Let TensorFlow take GPU memory as it needs it, not all at once (no-op without a GPU).

    Must run before TensorFlow first uses the GPU; later it is too late, and TensorFlow says so with a
    RuntimeError, which is ignored here (the variable TF_FORCE_GPU_ALLOW_GROWTH, set before the import,
    has then already done the same).
    """
    for gpu in tf.config.list_physical_devices("GPU"):
        with contextlib.suppress(RuntimeError):
            tf.config.experimental.set_memory_growth(gpu, True)


def init(seed: int = 42, verbose: bool = True) -> Environment:
    """Seed Python, NumPy and Keras, make TensorFlow deterministic, check versions and say where we run.

    ``COURSE_SEED``, when set, replaces ``seed`` (to run the whole course with another seed).
    """
    override = config.seed_override()
    seed_source = "COURSE_SEED" if override is not None else "notebook"
    seed = override if override is not None else seed
    for name, value in config.kernel_environment().items():
        os.environ.setdefault(name, value)
    with quiet_native_stderr():
        import keras
        import tensorflow as tf

        physical_devices = tf.config.list_physical_devices()
        allow_gpu_memory_growth(tf)
    import matplotlib

    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            f"Keras runs on the {keras.backend.backend()!r} backend; this course needs 'tensorflow'. "
            "Set KERAS_BACKEND=tensorflow before starting Jupyter, or restart the kernel and run this cell first."
        )
    versions = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
    }
    check_versions(versions)
    keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy's global generator and TensorFlow
    tf.config.experimental.enable_op_determinism()
    from course_utils import plots

    plots.apply_style()  # the course's palette, value map, font sizes and dpi
    devices = tuple(f"{device.device_type}:{device.name.split(':')[-1]}" for device in physical_devices)
    data_dir = config.data_dir()
    environment = Environment(
        quick=config.quick_mode(),
        in_colab=in_colab(),
        seed=seed,
        versions=versions,
        devices=devices,
        data_dir=str(data_dir) if data_dir else None,
    )
    if verbose:
        print(", ".join(f"{name} {version}" for name, version in versions.items()))
        gpus = [device for device in devices if device.startswith("GPU")]
        print(
            f"devices: {', '.join(devices)} ({'GPU available' if gpus else f'CPU only, {os.cpu_count()} cores'})"
        )
        print(
            f"platform: {'Google Colab' if environment.in_colab else platform.system()}; "
            f"seed {seed}{' (from COURSE_SEED)' if seed_source == 'COURSE_SEED' else ''}; TensorFlow op determinism on"
        )
        mode = (
            "QUICK (COURSE_QUICK=1: few epochs and samples, numbers are not meaningful)"
            if environment.quick
            else "FULL (real training)"
        )
        print(f"mode: {mode}")
        if environment.data_dir:
            # the folder's own name, never this machine's absolute path
            print(f"data: offline folder {Path(environment.data_dir).name}/ (COURSE_DATA_DIR)")
        else:
            print("data: standard Keras / scikit-learn downloads and caches (COURSE_DATA_DIR not set)")
    return environment
