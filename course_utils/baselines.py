"""Model-free baselines that the autoencoders are measured against (the metrics themselves live in ``metrics``)."""

from __future__ import annotations

import numpy as np

from course_utils import validate


def pca_reconstruction(train_images, test_images, n_components: int, seed: int = 0) -> np.ndarray:
    """The PCA baseline: fit PCA with ``n_components`` on the training images, project and rebuild the
    test images, clipped to [0, 1], in the test images' shape."""
    from sklearn.decomposition import PCA  # imported here: the other metrics need no scikit-learn

    train = validate.images(train_images, "train_images", (2, 3, 4))
    test = validate.images(test_images, "test_images", (2, 3, 4))
    if train.shape[1:] != test.shape[1:]:
        raise ValueError(
            f"train_images and test_images: expected the same image shape, got {train.shape[1:]} and {test.shape[1:]}"
        )
    n_components = validate.positive_int(n_components, "n_components")
    pca = PCA(n_components=n_components, random_state=seed).fit(train.reshape(len(train), -1))
    rebuilt = pca.inverse_transform(pca.transform(test.reshape(len(test), -1)))
    return np.clip(rebuilt, 0.0, 1.0).reshape(test.shape).astype(np.float32)
