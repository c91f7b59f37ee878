"""The benchmark store: round trips to facit.json, idempotence, replace, atomicity, notes."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from tillit.benchmarks import AggregateFileError, Store, StoreError, resolve_db_url
from tillit.benchmarks.schema import VERSION_TABLE, answers, comments, metadata, municipalities, waves
from tillit.benchmarks.store import DB_ENV
from tests.benchmarks_fixtures import (AGGREGATE, EXPORTS, RAW_EXPORTS, db_url, facit, public_copy,  # noqa: F401
                                       public_db, shared_exports, store, tag)
from tests.factory import build_frame, write

ROOT = Path(__file__).resolve().parents[1]


def rows(s: Store, table) -> int:
    with s.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# ------------------------------------------------------------------ URLs and schema


def test_resolve_db_url(tmp_path, monkeypatch):
    monkeypatch.delenv(DB_ENV, raising=False)
    assert resolve_db_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_db_url("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_db_url(str(tmp_path / "flag.db")).endswith("flag.db")  # --db wins over the environment
    monkeypatch.delenv(DB_ENV)
    default = resolve_db_url(None)
    assert default.startswith("sqlite:///") and "tillit" in default and default.endswith("tillit.db")
    with pytest.raises(StoreError, match="ingen giltig databasadress"):
        resolve_db_url("nonsense://:::")


def test_db_env_is_the_declared_setting():
    from tillit.settings import SETTINGS
    assert SETTINGS["db"].env == DB_ENV


def test_migrations_create_exactly_the_declared_schema(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}), metadata) == []


def test_the_head_the_store_checks_is_alembics_and_the_revision_is_read_as_alembic_reads_it(store, tmp_path):
    from sqlalchemy import create_engine

    from tillit.benchmarks import migrations

    assert migrations.HEAD == migrations.head()  # a new revision in versions/ must move HEAD too
    with store.engine.connect() as conn:
        alembic_reads = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()
        assert migrations.current(conn) == alembic_reads == migrations.HEAD
    empty = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with empty.connect() as conn:
        assert migrations.current(conn) is None
    empty.dispose()


def test_reopening_keeps_data_and_does_not_migrate_again(db_url, shared_exports):
    with Store(db_url) as s:
        s.import_aggregate(shared_exports / AGGREGATE)
    with Store(db_url) as s:
        assert len(s.waves()) == 6


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(StoreError, match="kan inte öppnas"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


# ------------------------------------------------------------------ round trips to facit


def test_everything_public_reads_back_to_facit(store, shared_exports):
    truth = facit()
    for name, muni, year, kw in RAW_EXPORTS:
        report = store.import_export(shared_exports / name, muni, year, redact=tag,
                                     **{k: shared_exports / v for k, v in kw.items()})
        assert [w.label for w in report.imported] == [f"{muni} {year}"]
        w = store.wave(muni, year)
        assert w.kind == "raw" and w.respondents == truth[name]["respondents"]
        assert store.counts(w).as_nested() == truth[name]["questions"]
    report = store.import_aggregate(shared_exports / AGGREGATE)
    assert len(report.imported) == len(truth[AGGREGATE]) == 6
    for entry in truth[AGGREGATE]:
        w = store.wave(entry["municipality"], entry["year"])
        assert w.kind == "aggregate" and w.respondents == entry["respondents"]
        assert store.counts(w).as_nested() == entry["questions"]


def test_counts_many_equals_counts_one_by_one(public_db):
    with Store(str(public_db)) as s:
        all_waves = s.waves()
        many = s.counts_many(all_waves)
        for w in all_waves:
            assert many[w.id].as_nested() == s.counts(w).as_nested()
            assert many[w.id].ineligible == s.counts(w).ineligible


def test_ineligible_answers_survive_the_store(public_db, shared_exports):
    from tillit.survey import count_answers, read_export
    direct = count_answers(read_export(shared_exports / "exempelby_2025_netigate.xlsx"))
    with Store(str(public_db)) as s:
        assert s.counts(s.wave("Exempelby")).ineligible == direct.ineligible != {}


def test_no_personal_columns_and_only_redacted_comments(public_db, shared_exports):
    from tillit.survey import read_export
    data = read_export(shared_exports / "sjostad_2025_msforms.xlsx")
    with Store(str(public_db)) as s:
        w = s.wave("Sjöstad")
        stored = s.comments(w)
        assert len(stored) == len(data.comments) > 0
        assert all(t.startswith("[avid] ") for t in stored["text"])
        assert list(s.answers(w).columns) == ["respondent_id", "group", "question_id", "label"]
        cols = {c for t in metadata.sorted_tables for c in t.c.keys()}
        assert not {"E-post", "Namn", "email", "name_of_person"} & cols


def test_comments_are_never_stored_without_a_redactor(store, shared_exports):
    with pytest.raises(StoreError, match="avidentifiering"):
        store.import_export(shared_exports / "exempelby_2025_netigate.xlsx", "Exempelby", 2025)
    assert store.waves() == [] and rows(store, answers) == 0
    store.import_export(shared_exports / "exempelby_2025_netigate.xlsx", "Exempelby", 2025, skip_comments=True)
    assert rows(store, comments) == 0 and rows(store, answers) > 0


def test_nlp_redaction_removes_personal_data(tmp_path):
    nlp = pytest.importorskip("nlp")
    frame = build_frame({"tillit": {"politiker": {"Ja": 0}}}, {"politiker": 5, "tjansteperson": 5})
    frame["Övriga kommentarer"] = ["Ring mig på 070-123 45 67 eller anna.svensson@kommun.se"] + [None] * 9
    path = write(frame, tmp_path / "x.csv")
    with Store(str(tmp_path / "t.db")) as s:
        s.import_export(path, "Testby", 2025, redact=lambda t: nlp.redact(t).text)
        text = s.comments(s.wave("Testby"))["text"].iloc[0]
    assert "070" not in text and "anna.svensson" not in text


# ------------------------------------------------------------------ idempotence and replace


def test_same_file_twice_changes_nothing(store, shared_exports):
    path = shared_exports / "norrvik_2024_googleforms.csv"
    store.import_export(path, "Norrvik", 2024, redact=tag)
    before = (store.waves(), rows(store, answers), rows(store, comments))
    again = store.import_export(path, "Norrvik", 2024, redact=tag)
    assert again.already_imported and "redan importerad" in again.lines()[0]
    assert (store.waves(), rows(store, answers), rows(store, comments)) == before
    store.import_aggregate(shared_exports / AGGREGATE)
    agg_again = store.import_aggregate(shared_exports / AGGREGATE)
    assert agg_again.already_imported and len(agg_again.unchanged) == 6
    assert all("redan importerad" in line for line in agg_again.lines())


def test_existing_wave_is_only_replaced_when_asked(store, tmp_path):
    spec_a = {"tillit": {"politiker": {"Nej": 6}, "tjansteperson": {"Nej": 6}}}
    spec_b = {"tillit": {"politiker": {"Till stor del": 7}, "tjansteperson": {"Till stor del": 6}}}
    a = write(build_frame(spec_a, {"politiker": 6, "tjansteperson": 6}), tmp_path / "a.csv")
    b = write(build_frame(spec_b, {"politiker": 7, "tjansteperson": 6}), tmp_path / "b.csv")
    store.import_export(a, "Testby", 2025)
    with pytest.raises(StoreError, match="redan en enkätomgång för Testby 2025"):
        store.import_export(b, "Testby", 2025)
    assert store.wave("Testby", 2025).source_name == "a.csv"
    report = store.import_export(b, "testby", 2025, replace=True)  # names match case-insensitively
    assert [w.label for w in report.replaced] == ["Testby 2025"]
    w = store.wave("Testby", 2025)
    assert w.source_name == "b.csv" and w.respondents == {"politiker": 7, "tjansteperson": 6}
    assert store.counts(w).count("tillit", "politiker", "Till stor del") == 7
    assert rows(store, answers) == 13 * 8  # the old answers are gone
    assert len(store.waves()) == 1


def test_counts_are_kept_until_the_data_changes(store, tmp_path):
    spec = {"tillit": {"politiker": {"Nej": 6}, "tjansteperson": {"Nej": 6}}}
    a = write(build_frame(spec, {"politiker": 6, "tjansteperson": 6}), tmp_path / "a.csv")
    store.import_export(a, "Testby", 2025)
    w = store.wave("Testby", 2025)
    first = store.counts(w)
    first.memo["derived"] = 1
    assert store.counts(w) is first  # nothing changed: the same table, with what was derived from it
    spec2 = {"tillit": {"politiker": {"Till stor del": 7}, "tjansteperson": {"Till stor del": 6}}}
    b = write(build_frame(spec2, {"politiker": 7, "tjansteperson": 6}), tmp_path / "b.csv")
    store.import_export(b, "Testby", 2025, replace=True)
    again = store.counts(store.wave("Testby", 2025))
    assert again is not first and "derived" not in again.memo
    assert again.count("tillit", "politiker", "Till stor del") == 7
    other = Store(store.url)  # another process or worker writes: the version is read from the database
    try:
        other.import_export(a, "Annanby", 2024)
    finally:
        other.close()
    assert store.counts(store.wave("Testby", 2025)) is not again


def test_national_import_is_one_transaction_on_every_backend(store, tmp_path):
    from tillit.survey import count_by_municipality, read_export
    from tests.factory import national_frame

    data = read_export(write(national_frame(), tmp_path / "nationell.csv"))
    store.import_aggregate(_agg(tmp_path, ["Cvik,2025,tillit,politiker,Nej,9"]))  # Cvik 2025 exists already
    with pytest.raises(StoreError, match="Cvik 2025"):
        store.import_national(data, 2025)
    assert [w.label for w in store.waves()] == ["Cvik 2025"]  # neither Alby nor Bstad was stored
    report = store.import_national(data, 2025, replace=True, skip=["alby"])
    assert [w.label for w in report.imported] == ["Bstad 2025"] and [w.label for w in report.replaced] == ["Cvik 2025"]
    expected = count_by_municipality(data)
    for w in store.waves():
        assert store.counts(w).as_nested() == expected[w.municipality].as_nested()
        assert w.respondents == expected[w.municipality].respondents and w.kind == "aggregate"


def test_remove_wave(store, shared_exports):
    store.import_aggregate(shared_exports / AGGREGATE)
    removed = store.remove_wave("kävlinge", 2022)
    assert removed.label == "Kävlinge 2022"
    assert [w.year for w in store.waves("Kävlinge")] == [2024]
    with pytest.raises(StoreError, match="ingen enkätomgång 2022"):
        store.wave("Kävlinge", 2022)
    with pytest.raises(StoreError, match="Menar du 'Kävlinge'"):
        store.wave("Kävlnge")


# ------------------------------------------------------------------ aggregate file checks


def _agg(tmp_path, lines: list[str]) -> Path:
    path = tmp_path / "agg.csv"
    path.write_text("kommun,ar,fraga,grupp,svarsalternativ,antal\n" + "\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("line,message", [
    ("Testby,2024,tilit,politiker,Nej,3", "rad 2: okänd fråga 'tilit' – menar du 'tillit'"),
    ("Testby,2024,tillit,politiker,Kanske,3", "rad 2: svarsalternativet 'Kanske' finns inte"),
    ("Testby,2024,tillit,väljare,Nej,3", "rad 2: okänd grupp 'väljare'"),
    ("Testby,2024,tillit,politiker,Nej,tre", "rad 2: antal ska vara ett heltal"),
    ("Testby,20x4,tillit,politiker,Nej,3", "rad 2: ar ska vara ett heltal"),
])
def test_bad_aggregate_rows_are_named(store, tmp_path, line, message):
    with pytest.raises(AggregateFileError) as err:
        store.import_aggregate(_agg(tmp_path, [line]))
    assert message in err.value.render() and "agg.csv" in err.value.render()
    assert store.waves() == []


def test_aggregate_missing_columns_and_duplicates(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kommun,ar,fraga,antal\nA,2024,tillit,3\n", "utf-8")
    with pytest.raises(AggregateFileError, match="Kolumner saknas: grupp, svarsalternativ"):
        store.import_aggregate(bad)
    dup = _agg(tmp_path, ["Testby,2024,tillit,politiker,Nej,3", "Testby,2024,tillit,politiker,nej,4"])
    with pytest.raises(AggregateFileError, match="rad 3: 'Nej' för Testby 2024"):
        store.import_aggregate(dup)


def test_aggregate_accepts_texts_aliases_and_explicit_blanks(store, tmp_path):
    path = _agg(tmp_path, ["Testby,2024,Anser du att det finns en hög grad av tillit mellan förtroendevalda och "
                           "tjänstepersoner i kommunen?,Förtroendevald,Vet inte,2",
                           "Testby,2024,tillit,politiker,Till stor del,5",
                           "Testby,2024,tillit,politiker,(blank),1",
                           "Testby,2024,kultur,tjansteperson,Nej,6"])
    store.import_aggregate(path, synthetic=True)
    w = store.wave("Testby")
    assert w.synthetic and w.respondents == {"politiker": 8, "tjansteperson": 6}
    assert store.counts(w).as_nested() == {
        "tillit": {"politiker": {"Vet ej": 2, "Till stor del": 5, "(blank)": 1}, "tjansteperson": {"(blank)": 6}},
        "kultur": {"politiker": {"(blank)": 8}, "tjansteperson": {"Nej": 6}}}


def test_aggregate_respondents_column_gives_exact_totals(store, tmp_path):
    path = tmp_path / "agg.csv"
    path.write_text("kommun;ar;fraga;grupp;svarsalternativ;antal;Antal svarande\n"
                    "Testby;2024;tillit;politiker;Till stor del;5;9\n"
                    "Testby;2024;kultur;politiker;Nej;3;9\n"
                    "Testby;2024;kultur;tjansteperson;Nej;6;\n", "utf-8")  # no total for tjänstepersoner: inferred
    report = store.import_aggregate(path)
    w = store.wave("Testby")
    assert w.respondents == {"politiker": 9, "tjansteperson": 6}
    assert store.counts(w).as_nested()["tillit"]["politiker"] == {"Till stor del": 5, "(blank)": 4}
    assert any("Ange kolumnen svarande" in line for line in report.lines())


@pytest.mark.parametrize("rows,message", [
    (["Testby;2024;tillit;politiker;Nej;5;9", "Testby;2024;kultur;politiker;Nej;3;8"],
     "rad 3: svarande 8 för Testby 2024, politiker skiljer sig från 9 på rad 2"),
    (["Testby;2024;tillit;politiker;Nej;5;4"], "rad 2: svarande 4 för Testby 2024, politiker är färre än de 5 svaren"),
    (["Testby;2024;tillit;politiker;Nej;5;nio"], "rad 2: svarande ska vara ett heltal"),
])
def test_aggregate_respondents_column_is_checked(store, tmp_path, rows, message):
    path = tmp_path / "agg.csv"
    path.write_text("kommun;ar;fraga;grupp;svarsalternativ;antal;svarande\n" + "\n".join(rows) + "\n", "utf-8")
    with pytest.raises(AggregateFileError) as err:
        store.import_aggregate(path)
    assert message in err.value.render() and "agg.csv" in err.value.render()
    assert store.waves() == []


def test_aggregate_conflict_imports_nothing(store, shared_exports, tmp_path):
    store.import_aggregate(_agg(tmp_path, ["Lövby,2024,tillit,politiker,Nej,9"]))
    with pytest.raises(StoreError, match="Lövby 2024"):
        store.import_aggregate(shared_exports / AGGREGATE)
    assert [w.label for w in store.waves()] == ["Lövby 2024"]  # not even the other five waves
    store.import_aggregate(shared_exports / AGGREGATE, replace=True)
    assert len(store.waves()) == 6 and store.wave("Lövby").source_name == AGGREGATE


# ------------------------------------------------------------------ dialogue notes


def test_dialogue_notes(store):
    a = store.add_note("Exempelby", 2025, "styrka", "Korta beslutsvägar", redact=str)
    b = store.add_note("exempelby", 2025, "hinder", "Otydlig uppföljning", redact=str)
    store.add_note("Lövby", 2024, "styrka", "Tillit", redact=str)
    assert [n.note for n in store.notes("Exempelby", 2025)] == ["Korta beslutsvägar", "Otydlig uppföljning"]
    assert [n.id for n in store.notes("Exempelby", prompt_id="hinder")] == [b.id]
    assert store.delete_note(a.id) and not store.delete_note(a.id)
    assert [n.id for n in store.notes("Exempelby")] == [b.id]
    with pytest.raises(StoreError, match="tom anteckning"):
        store.add_note("Exempelby", 2025, "styrka", "   ", redact=str)
    assert store.waves() == []  # notes do not make waves


# ------------------------------------------------------------------ atomicity under kill -9


CHILD = textwrap.dedent("""
    import sys, time
    from tillit.benchmarks import Store
    def progress(done, total):
        print(done, total, flush=True)
        time.sleep(0.05)
    Store(sys.argv[1]).import_export(sys.argv[2], "Stortorp", 2025, skip_comments=True, progress=progress)
    print("done", flush=True)
""")


@pytest.mark.slow
def test_kill_9_during_import_leaves_no_trace(db_url, tmp_path):
    big = write(build_frame({"tillit": {"politiker": {"Nej": 1000}, "tjansteperson": {"Ja": 0}}},
                            {"politiker": 1200, "tjansteperson": 800}, seed=3), tmp_path / "big.csv")
    with Store(db_url) as s:
        s.add_note("Stortorp", 2024, "p", "finns före importen", redact=str)
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, str(big)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = child.stdout.readline().split()
    assert first and first[0] != "done", child.stderr.read()
    done, total = int(first[0]), int(first[1])
    assert 0 < done < total  # rows were written inside the open transaction
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with Store(db_url) as s:
        assert s.waves() == [] and rows(s, answers) == 0 and rows(s, waves) == 0
        assert rows(s, municipalities) == 1 and len(s.notes("Stortorp")) == 1
        s.import_export(big, "Stortorp", 2025, skip_comments=True)  # the database is intact
        assert s.wave("Stortorp").respondents == {"politiker": 1200, "tjansteperson": 800}


def _sqlite_indexes(store: Store, table: str) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(r[0] for r in conn.exec_driver_sql(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL"))


def test_a_large_first_import_rebuilds_the_answer_index_and_a_failed_one_keeps_it(tmp_path, monkeypatch):
    """SQLite bulk load: a large insert into a smaller table drops its indexes and builds them
    once at the end, in the same transaction; the store reads the same afterwards, and a
    failure in the middle leaves table and indexes as they were."""
    from tillit.benchmarks import store as store_mod

    monkeypatch.setattr(store_mod, "REBUILD_FROM", 40)  # 12 respondents × 8 questions = 96 rows
    spec = {"tillit": {"politiker": {"Nej": 6}, "tjansteperson": {"Till stor del": 6}}}
    a = write(build_frame(spec, {"politiker": 6, "tjansteperson": 6}), tmp_path / "a.csv")
    s = Store(f"sqlite:///{tmp_path / 'bulk.db'}")
    try:
        before = _sqlite_indexes(s, "answers")
        assert "ix_answers_wave" in before

        s.import_export(a, "Bulkby", 2025)
        assert _sqlite_indexes(s, "answers") == before
        assert rows(s, answers) == 96
        w = s.wave("Bulkby", 2025)
        assert s.counts(w).count("tillit", "politiker", "Nej") == 6
        assert len(s.answers(w)) == 96

        real = store_mod._answer_rows
        monkeypatch.setattr(store_mod, "_answer_rows",
                            lambda data: [*real(data), *real(data), ("x",)])  # 193 > 96 rows: rebuilt; the last fails
        b = write(build_frame(spec, {"politiker": 7, "tjansteperson": 6}), tmp_path / "b.csv")
        with pytest.raises(Exception, match="bindings"):
            s.import_export(b, "Annanby", 2025)
        assert _sqlite_indexes(s, "answers") == before  # the drop was rolled back with the rows
        assert rows(s, answers) == 96 and [x.municipality for x in s.waves()] == ["Bulkby"]
    finally:
        s.close()
