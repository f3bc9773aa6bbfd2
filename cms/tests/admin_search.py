"""Wagtail's search index (the admin's search, choosers and listings) on and off in tests.

Wagtail keeps its index up to date by signals on every save and delete of an indexed model. The
suite turns them off (conftest.py, `_no_admin_search_index`): only the admin's search reads the
index, and updating it cost about a sixteenth of `make check`. The site's own search has an index
of its own (cms.search_index), written on publishing, which stays on. The demo site is loaded
with the signals on, as `manage.py load_demo_data` loads it, and a test of what the admin's search
finds is marked `admin_search`.
"""

import contextlib


def admin_search_signals():
    """(signal, handler, model) for each signal Wagtail's index follows."""
    from django.db.models.signals import post_delete, post_save
    from modelsearch import index, signal_handlers

    for model in index.get_indexed_models():
        if getattr(model, "search_auto_update", True):
            yield post_save, signal_handlers.post_save_signal_handler, model
            yield post_delete, signal_handlers.post_delete_signal_handler, model


#: Whether the signals are connected now (they are, as in production, until the suite turns them off).
_connected = True


@contextlib.contextmanager
def _updated(on: bool):
    """Inside the block the index follows saves (`on`) or does not; afterwards, as before the block,
    however blocks nest (the demo site is loaded inside a module that is marked, or is not)."""
    global _connected
    before = _connected
    if on != before:
        _connect(on)
    try:
        yield
    finally:
        if on != before:
            _connect(before)


def _connect(on: bool) -> None:
    global _connected
    for signal, handler, model in admin_search_signals():
        (signal.connect if on else signal.disconnect)(handler, sender=model)
    _connected = on


def admin_search_index_updated():
    """Wagtail's search index updated on every save inside the block, as in production."""
    return _updated(True)


def admin_search_index_off():
    """The suite's default: Wagtail's search index not updated on save."""
    return _updated(False)
