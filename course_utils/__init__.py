"""Shared helpers of the course 'Autoencoders, from a single dense layer to the variational autoencoder'.

Modules: ``config`` (modes and folders), ``data`` (datasets), ``plots``, ``metrics``, ``results``
(recorded numbers), ``checks`` (exercise self-checks), ``setup`` (``init``), ``runner`` and ``badges``.
"""

__version__ = "0.1.0"
