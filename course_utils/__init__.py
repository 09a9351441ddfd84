"""Shared helpers of the course 'Autoencoders, from a single dense layer to the variational autoencoder'.

What the notebooks import: ``config`` (modes and folders), ``setup`` (``init``), ``data`` (verified datasets),
``plots``, ``metrics``, ``baselines`` (PCA), ``results`` (recorded numbers), ``checks`` (exercise
self-checks), ``codes``, ``models`` and ``explorer``. The maintainers' tools (runner, badges, slides) are in
the separate package ``course_tools``.
"""

__version__ = "0.1.0"
