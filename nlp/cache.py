"""Caches on disk that make a second run faster; nothing in them changes a result.

- **Lemmas**: simplemma's Swedish dictionary (about 960,000 forms) is decoded from its
  compressed file in about a second on every run. The first run writes it, in the
  background, to a SQLite table in the cache folder; later runs look words up there one
  by one (a few hundred for a municipality's comments) and, past
  :data:`LOOKUPS_BEFORE_LOADING` look-ups, load the whole dictionary into memory as
  simplemma does by default. The lemmas are the same either way: the table holds
  simplemma's own entries, read through simplemma's own strategies.
- **Sentence embeddings** (``nlp.embeddings``): vectors of redacted texts, keyed by a hash of
  the model, its version and the text (the text itself is not stored), so a comment or a
  note embedded once is not embedded again.

The folder is the user's cache folder (``platformdirs``) or ``TILLIT_CACHE_DIR``;
``TILLIT_CACHE_DIR=off`` turns both caches off. A cache that cannot be read or written
is skipped silently (the work is then done as without it); a cache file is only ever
replaced whole, so an interrupted run leaves none half-written.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from tillit import settings

OFF = frozenset({"off", "0", "no", "none", "false"})
LOOKUPS_BEFORE_LOADING = 20_000
EMBEDDINGS_FILE = "embeddings-v1.sqlite"
MAX_EMBEDDINGS = 200_000  # about 300 MB of vectors at most; the oldest go first


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    raw = settings.value("cache_dir")
    if raw is not None and raw.strip().casefold() in OFF:
        return None
    if raw:
        return Path(raw).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("tillit")


# ---------------------------------------------------------------- lemmas


def _lemma_file(lang: str) -> Path | None:
    where = folder()
    if where is None:
        return None
    import simplemma

    return where / f"simplemma-{simplemma.__version__}-{lang}.sqlite"


class _TableMapping(Mapping[str, str]):
    """simplemma's dictionary for one language, looked up in the cache table; after
    :data:`LOOKUPS_BEFORE_LOADING` look-ups it loads simplemma's in-memory dictionary."""

    def __init__(self, path: Path, lang: str) -> None:
        self._path = path
        self._lang = lang
        self._lookups = 0
        self._memory: Mapping[str, str] | None = None
        self._lock = threading.Lock()
        self._con = self._open()
        self._con.execute("SELECT v FROM lemmas LIMIT 1").fetchall()  # fails here if unreadable

    def _open(self) -> sqlite3.Connection:
        self._pid = os.getpid()  # a connection is not carried into a forked process
        return sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)

    def get(self, key: str, default: Any = None) -> Any:
        if self._memory is not None:
            return self._memory.get(key, default)
        with self._lock:
            self._lookups += 1
            if self._lookups > LOOKUPS_BEFORE_LOADING:  # a big job: the whole dictionary pays off
                self._memory = _default_dictionary(self._lang)
                self._con.close()
                return self._memory.get(key, default)
            try:
                if self._pid != os.getpid():
                    self._con = self._open()
                row = self._con.execute("SELECT v FROM lemmas WHERE k = ?", (key.encode(),)).fetchone()
            except sqlite3.Error:  # the file went away or broke mid-run: simplemma's own copy
                self._memory = _default_dictionary(self._lang)
                return self._memory.get(key, default)
        return row[0].decode() if row is not None else default

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._memory if self._memory is not None else _default_dictionary(self._lang))

    def __len__(self) -> int:
        return len(self._memory if self._memory is not None else _default_dictionary(self._lang))


def _default_dictionary(lang: str) -> Mapping[str, str]:
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


def _byte_items(dictionary: Mapping[str, str]) -> Iterable[tuple[bytes, bytes]]:
    raw = getattr(dictionary, "_dict", None)  # simplemma keeps the entries as bytes
    if isinstance(raw, dict):
        return raw.items()
    return ((k.encode(), v.encode()) for k, v in dictionary.items())


def _write_table(path: Path, items: Iterable[tuple[bytes, bytes]]) -> None:
    """Write the table beside its final name and move it into place when complete."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("CREATE TABLE lemmas (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT OR REPLACE INTO lemmas VALUES (?, ?)", items)
            con.commit()
        finally:
            con.close()
        tmp.replace(path)
    except (OSError, sqlite3.Error):
        pass  # no cache this time; the next run tries again
    finally:
        tmp.unlink(missing_ok=True)


class LemmaDictionaries:
    """A simplemma ``DictionaryFactory`` reading the cache table when there is one; otherwise
    simplemma's own dictionary, with the table written in a background thread (the
    SQLite work runs outside the interpreter lock, on the other core)."""

    def __init__(self) -> None:
        self._built: dict[str, Mapping[str, str]] = {}
        self.writers: list[threading.Thread] = []

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang not in self._built:
            self._built[lang] = self._load(lang)
        return self._built[lang]

    def _load(self, lang: str) -> Mapping[str, str]:
        path = _lemma_file(lang)
        if path is not None and path.is_file():
            try:
                return _TableMapping(path, lang)
            except sqlite3.Error:
                pass  # unreadable: written anew below
        dictionary = _default_dictionary(lang)
        if path is not None:
            writer = threading.Thread(target=_write_table, args=(path, _byte_items(dictionary)),
                                      name=f"tillit-lemma-cache-{lang}")
            writer.start()  # not a daemon: the process waits for it, so the file is complete
            self.writers.append(writer)
        return dictionary


@lru_cache(maxsize=1)
def dictionaries() -> LemmaDictionaries:
    return LemmaDictionaries()


@lru_cache(maxsize=1)
def lemmatizer() -> Any:
    """A simplemma Lemmatizer like ``simplemma.lemmatize``'s (same strategies, not greedy),
    reading the dictionary through :class:`LemmaDictionaries`."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=dictionaries()))


@lru_cache(maxsize=1)
def _lookup() -> Any:
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(dictionaries())


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang)`` for one language, through the same dictionaries."""
    from simplemma.utils import normalize_token

    return _lookup().get_lemma(normalize_token(word), lang) is not None


# ------------------------------------------------------------ embeddings


def text_key(model: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\0{text}".encode()).digest()


class _Embeddings:
    def __init__(self) -> None:
        self._con: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._broken = False
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection | None:
        if self._pid != os.getpid():  # a connection is not carried into a forked process
            self._con, self._pid = None, os.getpid()
        if self._con is not None or self._broken:
            return self._con
        where = folder()
        if where is None:
            self._broken = True
            return None
        try:
            where.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(where / EMBEDDINGS_FILE, timeout=5, check_same_thread=False)
            con.execute("CREATE TABLE IF NOT EXISTS vectors (k BLOB PRIMARY KEY, v BLOB NOT NULL)")
            con.commit()
        except (OSError, sqlite3.Error):
            self._broken = True
            return None
        self._con = con
        return con

    def get(self, keys: list[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        with self._lock:
            con = self._connect()
            if con is None or not keys:
                return {}
            try:
                for at in range(0, len(keys), 500):
                    chunk = keys[at:at + 500]
                    marks = ",".join("?" * len(chunk))
                    found.update(con.execute(f"SELECT k, v FROM vectors WHERE k IN ({marks})", chunk).fetchall())
            except sqlite3.Error:
                return {}
        return found

    def put(self, rows: list[tuple[bytes, bytes]]) -> None:
        with self._lock:
            con = self._connect()
            if con is None or not rows:
                return
            try:
                with con:
                    con.executemany("INSERT OR REPLACE INTO vectors (k, v) VALUES (?, ?)", rows)
                    con.execute("DELETE FROM vectors WHERE rowid <= (SELECT max(rowid) FROM vectors) - ?",
                                (MAX_EMBEDDINGS,))
            except sqlite3.Error:
                pass  # e.g. another process holds the write lock for long: not cached this time


_embeddings = _Embeddings()


def cached_vectors(keys: list[bytes]) -> dict[bytes, bytes]:
    """The stored vectors (raw float32 bytes) of those keys that are in the cache."""
    return _embeddings.get(keys)


def store_vectors(rows: list[tuple[bytes, bytes]]) -> None:
    _embeddings.put(rows)


def reset() -> None:
    """Forget open cache files and built dictionaries (for tests that move the folder)."""
    global _embeddings
    if _embeddings._con is not None:
        _embeddings._con.close()
    _embeddings = _Embeddings()
    for cached in (dictionaries, lemmatizer, _lookup):
        cached.cache_clear()
