"""The maintainers' tools of the course: run and stamp notebooks, badges, slides, README blocks, pytest plugin.

Students never import this package; it needs ``nbformat`` and ``nbclient`` (``pip install -e .[tools]``,
which ``requirements.txt`` does). The helpers students import are in ``course_utils``.
"""
