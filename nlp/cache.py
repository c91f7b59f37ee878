"""Caches on disk that make a second run faster; nothing in them changes a result.

- **Words**: simplemma's Swedish dictionary (about 960,000 forms) takes about a second to
  decode, on the first word of every run. Its answers for the words a run meets (the
  lemma, and whether simplemma knows the word) are remembered per simplemma version, so
  a run whose words have all been seen before never decodes the dictionary; from the
  first word not seen before on, simplemma itself answers, as without the cache. The
  answers are simplemma's own. The file is keyed by a hash of the word, and a lemma that
  is the word itself is not written, so the file does not list the comments' words
  (a lemma that differs from its word is written out, e.g. "budget" for "budgetarna").
- **Dictionaries**: simplemma's decoded dictionaries, written once by a separate process
  (``dictionary_writer.py``, started by the commands that read text) and loaded by every
  later run in about a third of the time decoding takes (see ``_Dictionaries``).
- **Sentence embeddings** (``tillit.nlp.embeddings``): vectors of redacted texts, keyed by a hash of
  the model, its version and the text (the text itself is not stored), so a comment or a
  note embedded once is not embedded again.

The folder is the user's cache folder (``platformdirs``) or ``TILLIT_CACHE_DIR``;
``TILLIT_CACHE_DIR=off`` turns both caches off. A cache that cannot be read or written
is skipped silently: the work is then done as without it.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from tillit import settings

OFF = frozenset({"off", "0", "no", "none", "false"})
MAX_WORDS = 200_000  # answers remembered at most (about 10 MB)
SAME = ""  # stored for a lemma that is the word itself, so that the file does not spell the word
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


class _WordMemo:
    """simplemma's answers for the words seen before (a word's lemma, and whether simplemma
    knows it), per simplemma version, looked up word by word until the first word not seen
    before: that one makes simplemma decode its dictionary, after which simplemma answers
    every word itself (as fast as the file would). The new answers are written at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = -1
        self._con: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._simplemma_loaded = False
        self._new: dict[tuple[str, str], str] = {}

    def _read(self, kind: str, word: str) -> str | None:
        if self._pid != os.getpid():  # first use, or a forked process: a connection of its own
            self._pid, self._con, self._new = os.getpid(), None, {}
            where = folder()
            if where is not None:
                self._path = where / f"simplemma-{_simplemma_version()}-words-v1.sqlite"
                atexit.register(self.save)
                try:
                    if self._path.is_file():
                        self._con = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True,
                                                    check_same_thread=False)
                except sqlite3.Error:
                    self._con = None
        if self._con is None or self._simplemma_loaded:
            return None
        try:
            row = self._con.execute("SELECT v FROM words WHERE k = ?", (_word_key(kind, word),)).fetchone()
        except sqlite3.Error:  # unreadable: simplemma answers, and the file is written anew at exit
            self._con = None
            return None
        if row is None:
            return None
        return word if row[0] == SAME else row[0]

    def get(self, kind: str, word: str, compute: Callable[[str], str]) -> str:
        with self._lock:
            value = self._read(kind, word)
            if value is not None:
                return value
            self._simplemma_loaded = True
        value = compute(word)
        with self._lock:
            if self._path is not None and len(self._new) < MAX_WORDS:
                self._new[(kind, word)] = value
        return value

    def save(self) -> None:
        with self._lock:
            if not self._new or self._path is None or self._pid != os.getpid():
                return
            rows = [(_word_key(kind, word), SAME if value == word else value)
                    for (kind, word), value in self._new.items()]
            self._new = {}
            try:
                self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: derived from comments
                con = sqlite3.connect(self._path, timeout=5)
                try:
                    with con:
                        con.execute("CREATE TABLE IF NOT EXISTS words (k BLOB PRIMARY KEY, v TEXT NOT NULL) "
                                    "WITHOUT ROWID")
                        room = MAX_WORDS - con.execute("SELECT count(*) FROM words").fetchone()[0]
                        if room > 0:
                            con.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", rows[:room])
                finally:
                    con.close()
            except (OSError, sqlite3.Error):
                pass  # not remembered this time


def _word_key(kind: str, word: str) -> bytes:
    return hashlib.sha256(f"{kind}\0{word}".encode()).digest()[:16]


_words = _WordMemo()


# ----------------------------------------------------- simplemma's dictionaries


DICTIONARY_LANGS = ("sv", "en")  # the dictionaries the comments and notes are looked up in
WRITER_TIMEOUT_S = 60.0  # a writer that has not finished by then is stopped; this process decodes itself


class _Dictionaries:
    """simplemma's dictionaries, loaded from the decoded copies in the cache folder when they
    are there (about 0.3 s for Swedish) and decoded by simplemma otherwise (about 1 s).

    A command that will read comments or notes starts ``dictionary_writer.py`` beside it
    (:func:`start_dictionary_writer`) when the copies are missing: on a machine with a free
    core it has decoded and written them by the time the command meets its first new word,
    and the command waits for it at most ``WRITER_TIMEOUT_S``. Used as simplemma's
    ``dictionary_factory``, so the answers are simplemma's own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, Mapping[str, str]] = {}
        self._writer: subprocess.Popen[bytes] | None = None

    def paths(self) -> dict[str, Path] | None:
        where = folder()
        if where is None:
            return None
        from tillit.nlp.dictionary_writer import file_name

        version = _simplemma_version()
        return {lang: where / file_name(version, lang) for lang in DICTIONARY_LANGS}

    def start_writer(self) -> bool:
        """Start writing the missing copies in a separate process; False when there is
        nothing to write, caching is off or the process cannot start."""
        with self._lock:
            if self._writer is not None:
                return True
            paths = self.paths()
            if paths is None or not sys.executable:  # caching off, or an embedded interpreter
                return False
            missing = [lang for lang, path in paths.items() if not path.is_file()]
            if not missing:
                return False
            from tillit.nlp import dictionary_writer

            folder_ = next(iter(paths.values())).parent
            try:
                self._writer = subprocess.Popen(
                    [sys.executable, "-P", dictionary_writer.__file__, str(folder_), _simplemma_version(), *missing],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                return False
            # Not waited for at exit: a command that ends before it needs the dictionaries leaves
            # the writer to finish for the next run (it writes under a temporary name and renames).
            return True

    def _wait_for_writer(self) -> None:
        writer = self._writer
        if writer is None or writer.poll() is not None:
            return
        for work in _WHILE_WAITING:  # what this run needs next anyway, while the other core decodes
            if writer.poll() is not None:
                break
            work()
        try:
            writer.wait(timeout=WRITER_TIMEOUT_S)
        except subprocess.TimeoutExpired:  # decoded here instead; the copy is not needed now
            writer.kill()
            writer.wait()

    def _load(self, lang: str) -> Mapping[str, str] | None:
        import marshal

        from simplemma.strategies.dictionaries.dictionary_factory import MappingStrToByteString

        from tillit.nlp.dictionary_writer import FORMAT

        paths = self.paths()
        if paths is None or lang not in paths:
            return None
        self._wait_for_writer()
        try:
            data = paths[lang].read_bytes()
        except OSError:
            return None
        try:
            fmt, version, lang_, table = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None  # damaged: simplemma decodes, and the next writer replaces it
        if (fmt, version, lang_) != (FORMAT, _simplemma_version(), lang) or not isinstance(table, dict):
            return None
        return MappingStrToByteString(table)

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        """simplemma's ``DictionaryFactory`` protocol."""
        found = self._loaded.get(lang)
        if found is not None:  # every look-up after the first
            return found
        with self._lock:
            found = self._loaded.get(lang)
            if found is None:
                found = self._load(lang)
                if found is None:
                    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

                    found = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
                self._loaded[lang] = found
            return found


_dictionaries = _Dictionaries()
_WHILE_WAITING: list[Callable[[], object]] = []


def while_waiting_for_dictionaries(work: Callable[[], object]) -> None:
    """Register ``work`` (e.g. an import the caller makes right after its first look-up) to
    run when a look-up would otherwise wait for the dictionary writer."""
    _WHILE_WAITING.append(work)


def start_dictionary_writer() -> bool:
    """Called first by the commands that read comments or notes: when simplemma's decoded
    dictionaries are not in the cache folder yet, decode and write them in a separate process
    while this one starts up. Returns whether such a process runs."""
    return _dictionaries.start_writer()


@lru_cache(maxsize=1)
def _simplemma_version() -> str:
    from importlib.metadata import version  # not simplemma itself: it may not be needed

    return version("simplemma")


@lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_dictionaries))


@lru_cache(maxsize=1)
def _lookup() -> Any:
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(_dictionaries)


def _simplemma_lemma(word: str) -> str:
    return str(_lemmatizer().lemmatize(word, lang="sv"))  # = simplemma.lemmatize(word, lang="sv")


def _simplemma_known(word: str) -> str:
    # = simplemma.is_known(word, lang="sv"), which looks the NFC form up in the dictionary
    return "1" if _lookup().get_lemma(unicodedata.normalize("NFC", word), "sv") is not None else "0"


def _in_dictionary(lang: str) -> Callable[[str], str]:
    def compute(word: str) -> str:
        return "1" if word in _dictionaries.get_dictionary(lang) else "0"

    return compute


def lemmatize(word: str) -> str:
    """``simplemma.lemmatize(word, lang="sv")``, remembered across runs."""
    return _words.get("lemma", word, _simplemma_lemma)


def is_known(word: str) -> bool:
    """``simplemma.is_known(word, lang="sv")``, remembered across runs."""
    return _words.get("known", word, _simplemma_known) == "1"


def in_dictionary(word: str, lang: str) -> bool:
    """``word``, exactly as written, is a form in simplemma's dictionary for ``lang`` ("sv",
    "en"), remembered across runs (redaction asks this of capitalised words)."""
    return _words.get(f"dict-{lang}", word, _in_dictionary(lang)) == "1"


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
            where.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: derived from comments
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
    """Write what is new and forget open cache files and loaded dictionaries (for tests that
    move the folder)."""
    global _embeddings, _words, _dictionaries
    if _embeddings._con is not None:
        _embeddings._con.close()
    _embeddings = _Embeddings()
    _words.save()
    _words = _WordMemo()
    _dictionaries._wait_for_writer()  # not left writing into a folder that is about to go
    _dictionaries = _Dictionaries()
    _lemmatizer.cache_clear()
    _lookup.cache_clear()


def clear() -> list[Path]:
    """Forget both caches and delete their files; returns the files deleted.

    Called when a wave is removed from the store (`tillit remove`): the caches hold lemmas
    and vectors derived from redacted comments, and nothing derived from a removed wave's
    comments should stay behind."""
    global _embeddings, _words
    with _words._lock:
        _words._new = {}  # not written at exit either
        if _words._con is not None:
            _words._con.close()
    if _embeddings._con is not None:
        _embeddings._con.close()
    _embeddings, _words = _Embeddings(), _WordMemo()
    where = folder()
    if where is None or not where.is_dir():
        return []
    removed = []
    for path in [*where.glob("simplemma-*-words-*.sqlite*"), *where.glob(EMBEDDINGS_FILE + "*")]:
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
