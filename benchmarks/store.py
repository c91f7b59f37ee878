"""The benchmark store: one object owns the database, and all SQL goes through it.

    store = Store("tillit.db")            # or a SQLAlchemy URL; None: --db / TILLIT_DB / user data dir
    store.import_export("exempelby.xlsx", "Exempelby", 2025, redact=lambda t: nlp.redact(t).text)
    store.import_aggregate("jamforelsekommuner_aggregerat.csv")
    table = store.counts(store.wave("Kävlinge"))   # a survey.CountTable, whatever the wave's kind

The schema is brought up to date by the Alembic migrations every time a store opens.
Every import is one transaction (a crash leaves no trace), importing the same file twice
changes nothing, and an existing wave is only overwritten with ``replace=True``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from difflib import get_close_matches
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pandas as pd
import platformdirs
from sqlalchemy import Engine, Integer, and_, create_engine, delete, event, false, func, insert, literal, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateIndex

from tillit.survey import BLANK, CountTable, Instrument, SurveyData, count_by_municipality, load_instrument, read_export

from . import migrations
from .aggregate import AggregateWave, read_aggregate
from .errors import StoreError
from .schema import (actions as actions_table, aggregate_counts, answers, comments, dialogue_notes, instruments, municipalities,
                     wave_groups, waves, workshop_pile_notes, workshop_piles, workshop_rounds, workshop_votes)
from tillit import settings

DB_ENV = settings.env("db")
APP_NAME = "tillit"
DEFAULT_FILE = "tillit.db"
BATCH = 10_000  # rows per bulk write (progress is reported after each)
ANSWER_COLUMNS = ("respondent_id", "group_id", "question_id", "label", "ineligible")
COMMENT_COLUMNS = ("respondent_id", "group_id", "box_id", "text")
COUNT_COLUMNS = ("question_id", "group_id", "label", "n")
RAW, AGGREGATE = "raw", "aggregate"
MAX_NOTE_CHARS = 500  # one proposal per note; longer texts are refused, never cut
MAX_ROUND_NOTES = 400  # a room writes a few hundred notes at most; more is a script, not a room
CODE_ALPHABET = "ACEFHJKLMNPRTUVWXY34679"  # join codes: no look-alikes (0/O, 1/I, 5/S, 2/Z, 8/B)
CODE_LENGTH = 5
OPEN, VOTING, CLOSED = "open", "voting", "closed"
SQLITE_TIMEOUT = 60  # seconds a writer waits for another one to finish its transaction
WRITE_OPTION = "tillit_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)

Redactor = Callable[[str], str]
Progress = Callable[[int, int], None]


def resolve_db_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from --db (a file path or URL), else TILLIT_DB, else the user data dir."""
    raw = value if value not in (None, "") else (os.environ.get(DB_ENV) or None)
    if raw is None:
        return _sqlite_url(platformdirs.user_data_path(APP_NAME) / DEFAULT_FILE)
    raw = raw.strip()
    if "://" not in raw:
        return _sqlite_url(Path(raw).expanduser().resolve())
    for plain in ("postgres://", "postgresql://"):  # psycopg 3 is the driver we ship with
        if raw.startswith(plain):
            raw = "postgresql+psycopg://" + raw[len(plain):]
    try:
        make_url(raw)
    except (ArgumentError, ValueError):
        raise StoreError(f"'{raw}' är ingen giltig databasadress.",
                         hint="Ange en filsökväg (t.ex. tillit.db) eller en URL som "
                              "postgresql+psycopg://användare@värd/databas.") from None
    return raw


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def refuse_comments(text: str) -> str:
    """The default redactor: comments are never stored unredacted by accident."""
    raise StoreError("Kommentarer kan inte sparas utan avidentifiering.",
                     hint="Skicka med en avidentifierare (redact=…), eller hoppa över kommentarerna.")


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC on every backend


def _stored_time(value: datetime | str) -> datetime:
    """A stored naive-UTC time as an aware datetime (SQLite's driver gives the stored text)."""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return at.replace(tzinfo=UTC)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# ---------------------------------------------------------------------------- records


@dataclass
class Wave:
    id: int
    municipality: str
    year: int
    instrument_id: str
    instrument_version: int
    source_name: str
    sha256: str
    imported_at: datetime
    synthetic: bool
    kind: str  # "raw" | "aggregate"
    respondents: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.municipality} {self.year}"

    def to_dict(self) -> dict:
        return {"municipality": self.municipality, "year": self.year,
                "instrument": {"id": self.instrument_id, "version": self.instrument_version},
                "source": self.source_name, "sha256": self.sha256, "imported_at": self.imported_at.isoformat(),
                "synthetic": self.synthetic, "kind": self.kind, "respondents": dict(self.respondents)}


@dataclass
class ImportReport:
    """What an import did: waves imported, replaced, or left as they were (already imported)."""

    source_name: str
    imported: list[Wave] = field(default_factory=list)
    replaced: list[Wave] = field(default_factory=list)
    unchanged: list[Wave] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    group_labels: dict[str, str] = field(default_factory=dict)  # group id -> words for messages

    @property
    def already_imported(self) -> bool:
        return not self.imported and not self.replaced and bool(self.unchanged)

    def lines(self, most: int = 12) -> list[str]:
        """One line per wave; beyond `most` waves of a kind, one line for all of them."""
        out: list[str] = []
        for verb, found in (("Importerade", self.imported), ("Ersatte", self.replaced)):
            if len(found) > most:
                out.append(f"{verb} {len(found)} omgångar: {_few([w.label for w in found])}.")
            else:
                out += [f"{verb} {w.label} ({_people(w, self.group_labels)})." for w in found]
        if len(self.unchanged) > most:
            out.append(f"{len(self.unchanged)} omgångar är redan importerade från {self.source_name} – inget ändrades.")
        else:
            out += [f"{w.label} är redan importerad från {self.source_name} – inget ändrades." for w in self.unchanged]
        return out + self.notes


def _people(w: Wave, labels: dict[str, str]) -> str:
    return ", ".join(f"{n} {labels.get(g, g)}" for g, n in w.respondents.items())


def _few(names: list[str], k: int = 3) -> str:
    return ", ".join(names[:k]) + (f" … och {len(names) - k} till" if len(names) > k else "")


@dataclass
class DialogueNote:
    id: int
    municipality: str
    year: int
    prompt_id: str
    note: str
    created_at: datetime
    hidden: bool = False
    round_id: int | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "municipality": self.municipality, "year": self.year, "prompt_id": self.prompt_id,
                "note": self.note, "created_at": self.created_at.isoformat(), "hidden": self.hidden,
                "round_id": self.round_id}


@dataclass
class WorkshopRound:
    """A live dialogue round: participants join with `code`, post notes while "open", vote while "voting"."""

    id: int
    municipality: str
    year: int
    prompt_id: str
    code: str
    state: str  # "open" | "voting" | "closed"
    dots: int
    opened_at: datetime
    closed_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.state != CLOSED


@dataclass
class Pile:
    """A frozen cluster of a round's notes, with its dots."""

    id: int
    label: str
    kind: str
    note_ids: list[int]
    notes: list[str]
    votes: int = 0


ACTION_STATUSES = ("open", "done")


@dataclass
class Action:
    """An action decided at a workshop: what, in which area of the instrument, by whom, by when."""

    id: int
    municipality: str
    year: int  # the year it was decided
    area: str  # a dimension id of the municipality's instrument
    text: str  # redacted
    owner: str | None  # redacted
    due: date | None
    status: str  # "open" | "done"

    def to_dict(self) -> dict:
        return {"id": self.id, "municipality": self.municipality, "year": self.year, "area": self.area,
                "text": self.text, "owner": self.owner, "due": self.due.isoformat() if self.due else None,
                "status": self.status}


# ---------------------------------------------------------------------------- the store


def _head() -> str:
    return migrations.HEAD


class Store:
    """The database of waves, answers, counts and dialogue notes."""

    def __init__(self, db: str | None = None):
        self.url = resolve_db_url(db)
        url = make_url(self.url)
        self.display_url = url.render_as_string(hide_password=True)
        self.engine = _engine(url)
        self._instruments: dict[tuple[str, int], Instrument] = {}
        self._counts_cache: dict[int, CountTable] = {}
        self._counts_version: tuple | None = None
        self._waves_cache: tuple[tuple, list[Wave], list[str]] | None = None  # with each wave's municipality key
        try:
            with self.engine.connect() as conn:  # a read: opening a store does not wait for a running import
                up_to_date = migrations.current(conn) == _head()
            if not up_to_date:
                with self._write_transaction() as conn:  # two processes creating one database: one migrates
                    self._migrate(conn)
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"Databasen {self.display_url} kan inte öppnas: {_first_line(exc)}",
                             hint="Kontrollera --db eller TILLIT_DB: finns mappen/servern, och får du skriva där?") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self, conn: Connection) -> None:
        current = migrations.current(conn)
        if current == _head():
            return
        if current is not None and not migrations.known(current):
            raise StoreError(f"Databasen {self.display_url} har schemaversion {current}, som den här versionen av "
                             "Tillit inte känner till.", hint="Uppdatera Tillit till den version som skapade databasen.")
        migrations.upgrade(conn)

    # ------------------------------------------------------------------ imports

    def import_export(self, path: str | Path, municipality: str, year: int, *,
                      instrument: Instrument | str | Path | None = None, codebook: str | Path | None = None,
                      sheet: str | None = None, replace: bool = False, synthetic: bool = False,
                      redact: Redactor = refuse_comments, skip_comments: bool = False,
                      progress: Progress | None = None) -> ImportReport:
        """Import a raw export (any format survey.read_export reads) as one wave."""
        municipality, year = _check_wave_key(municipality, year)
        path = Path(path)
        if path.is_file():
            sha = file_sha256(path)
            same = self._waves_where(waves.c.sha256 == sha, waves.c.kind == RAW)
            if same:
                return ImportReport(path.name, unchanged=same)
        data = read_export(path, instrument=instrument, codebook=codebook, sheet=sheet)
        return self.import_survey(data, municipality, year, replace=replace, synthetic=synthetic, redact=redact,
                                  skip_comments=skip_comments, progress=progress)

    def import_survey(self, data: SurveyData, municipality: str, year: int, *, replace: bool = False,
                      synthetic: bool = False, redact: Redactor = refuse_comments, skip_comments: bool = False,
                      progress: Progress | None = None) -> ImportReport:
        """Import an export that is already read (the tidy model) as one wave, in one transaction."""
        municipality, year = _check_wave_key(municipality, year)
        source_name, sha = Path(data.source.path).name, data.source.sha256
        found = data.municipalities()
        if len(found) > 1:
            raise StoreError(f"Filen innehåller svar från {len(found)} kommuner ({_few(found)}), inte bara {municipality}.",
                             source=source_name,
                             hint="Utelämna --municipality för att importera varje kommun som en egen omgång "
                                  "(antal per svarsalternativ), eller dela upp filen per kommun.")
        same = self._waves_where(waves.c.sha256 == sha, waves.c.kind == RAW)
        if same:
            return ImportReport(source_name, unchanged=same)
        texts = [] if skip_comments else [str(t) for t in data.comments["text"]]
        if texts and redact is refuse_comments:
            refuse_comments("")
        safe = [redact(t) for t in texts]  # before the transaction: a failing redactor writes nothing
        answer_rows = _answer_rows(data)
        comment_rows = [] if skip_comments else [
            (str(r), str(g), str(b), t) for r, g, b, t in zip(data.comments["respondent_id"], data.comments["group"],
                                                             data.comments["box_id"], safe)]
        report = ImportReport(source_name, group_labels=data.instrument.group_words())
        with self._write() as conn:
            wave_id, replaced = self._new_wave(conn, data.instrument, municipality, year, source_name, sha,
                                               synthetic, RAW, data.respondents_per_group(), replace)
            bulk_insert(conn, answers, ANSWER_COLUMNS, answer_rows, wave_id, progress=progress)
            bulk_insert(conn, comments, COMMENT_COLUMNS, comment_rows, wave_id)
            wave = self._wave_by_id(conn, wave_id)
        (report.replaced if replaced else report.imported).append(wave)
        if data.source.warnings:
            report.notes += data.source.warnings
        return report

    def import_aggregate(self, path: str | Path, *, instrument: Instrument | str | Path | None = None,
                         synthetic: bool = False, replace: bool = False) -> ImportReport:
        """Import every wave of an aggregated counts file, all or nothing."""
        path = Path(path)
        if not path.is_file():
            raise StoreError("Filen finns inte.", source=path, hint="Kontrollera sökvägen.")
        inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
        sha = file_sha256(path)
        parsed = read_aggregate(path, inst)
        note = next((w.notes[0] for w in parsed if w.notes), None)
        report = ImportReport(path.name, notes=[note] if note else [], group_labels=inst.group_words())
        return self._import_counts(inst, parsed, path.name, sha, synthetic, replace, report)

    def import_national(self, data: SurveyData, year: int, *, synthetic: bool = False, replace: bool = False,
                        skip: Iterable[str] = ()) -> ImportReport:
        """Import an export with a municipality column as one counts wave per municipality.

        All or nothing, like an aggregate file. Each wave gets its answer counts (blanks
        included) and its true respondents per group; no answers per respondent and no
        comments are stored, since the file speaks for other municipalities' respondents.
        Municipalities in `skip` are left out (e.g. the one analysed from its own answers).
        """
        year = _check_year(year)
        left_out = {_key(m) for m in skip}
        tables = {m: t for m, t in count_by_municipality(data).items() if _key(m) not in left_out}
        if not tables and not left_out:
            raise StoreError("Exporten har ingen kommunkolumn, så den kan inte delas upp per kommun.",
                             source=Path(data.source.path).name,
                             hint="Ange kommunen med --municipality för att importera filen som en omgång.")
        waves_in = [AggregateWave(name, year, t.as_nested(), dict(t.respondents)) for name, t in tables.items()]
        source = Path(data.source.path).name
        report = ImportReport(source, group_labels=data.instrument.group_words(), notes=[
            f"{len(waves_in)} kommuner ur filen lagras som antal per svarsalternativ "
            "(inga enskilda svar, inga kommentarer)."])
        blank_rows = sum(data.respondents["municipality"].isna())
        if blank_rows:
            report.notes.append(f"{blank_rows} svarande saknar kommun och importeras inte.")
        return self._import_counts(data.instrument, waves_in, source, data.source.sha256, synthetic, replace, report)

    def _import_counts(self, inst: Instrument, parsed: Sequence[AggregateWave], source_name: str, sha: str,
                       synthetic: bool, replace: bool, report: ImportReport) -> ImportReport:
        """Store waves of counts in one transaction (the shared end of both counts imports)."""
        with self._write() as conn:
            stored = {(_key(w.municipality), w.year): w for w in self._select_waves(conn)}  # one read, not one per wave
            todo, conflicts = [], []
            for w in parsed:
                existing = stored.get((_key(w.municipality), w.year))
                if existing is not None and existing.sha256 == sha:
                    report.unchanged.append(existing)
                elif existing is not None and not replace:
                    conflicts.append(existing)
                else:
                    todo.append(w)
            if conflicts:
                raise StoreError(_exists_message(conflicts), source=source_name,
                                 hint="Använd --replace för att ersätta dem, eller `tillit remove` först.")
            self._save_instrument(conn, inst)
            known = self._municipality_ids(conn)
            new_ids: list[tuple[int, bool]] = []
            for w in todo:
                new_ids.append(self._new_wave(conn, inst, w.municipality, w.year, source_name, sha, synthetic,
                                              AGGREGATE, w.respondents, replace, known=known, stored=stored))
                rows = [(q, g, lbl, n) for q, gs in w.counts.items() for g, ls in gs.items() for lbl, n in ls.items() if n]
                bulk_insert(conn, aggregate_counts, COUNT_COLUMNS, rows, new_ids[-1][0])
            written = {wv.id: wv for wv in self._select_waves(conn, waves.c.id.in_([i for i, _ in new_ids]))} \
                if len(new_ids) < 500 else {wv.id: wv for wv in self._select_waves(conn)}
            for wave_id, replaced in new_ids:
                (report.replaced if replaced else report.imported).append(written[wave_id])
        if not report.imported and not report.replaced:
            report.notes = []
        return report

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; a lost race or a locked database becomes a clear message."""
        try:
            with self._write_transaction() as conn:
                yield conn
        except IntegrityError:
            raise StoreError("En annan import av samma kommun och år pågick samtidigt; inget sparades.",
                             hint="Kör kommandot igen.") from None
        except OperationalError as err:
            raise StoreError(f"Databasen kunde inte skrivas: {_first_line(err)}; inget sparades.",
                             hint="Är databasen låst av ett annat program? Försök igen.") from None

    @contextmanager
    def _write_transaction(self) -> Iterator[Connection]:
        """A transaction that takes the write lock when it starts (SQLite: BEGIN IMMEDIATE).

        A second writer then waits for the first (up to the connection's timeout) before it
        reads anything, instead of failing with "database is locked" when a read transaction
        it began earlier tries to become a write."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def _new_wave(self, conn: Connection, inst: Instrument, municipality: str, year: int, source_name: str,
                  sha: str, synthetic: bool, kind: str, respondents: dict[str, int], replace: bool, *,
                  known: dict[str, int] | None = None, stored: dict[tuple[str, int], Wave] | None = None,
                  ) -> tuple[int, bool]:
        """Insert a wave (replacing the stored one when asked). `known` (municipality ids by key) and
        `stored` (waves by municipality key and year), when given, are read once by the caller
        and kept up to date here, so that importing many waves does not search the store for each."""
        if known is None:
            self._save_instrument(conn, inst)
            known = self._municipality_ids(conn)
        muni_id = known.get(_key(municipality))
        if muni_id is None:
            muni_id = known[_key(municipality)] = conn.execute(
                insert(municipalities).values(name=municipality).returning(municipalities.c.id)).scalar_one()
        existing = (stored.get((_key(municipality), year)) if stored is not None
                    else self._find_wave(conn, municipality, year))
        if existing is not None:
            if not replace:
                raise StoreError(_exists_message([existing]), source=source_name,
                                 hint="Använd --replace för att ersätta den, eller `tillit remove` först.")
            self._delete_wave(conn, existing.id)
        now = _now()
        wave_id = conn.execute(insert(waves).values(
            municipality_id=muni_id, year=year, instrument_id=inst.id, instrument_version=inst.version,
            source_name=source_name, sha256=sha, imported_at=now, synthetic=bool(synthetic), kind=kind,
        ).returning(waves.c.id)).scalar_one()
        conn.execute(insert(wave_groups), [{"wave_id": wave_id, "group_id": g, "respondents": int(n)}
                                           for g, n in respondents.items()])
        if stored is not None:  # a second wave for the same key in this import finds this one
            stored[(_key(municipality), year)] = Wave(wave_id, municipality, year, inst.id, inst.version, source_name,
                                                      sha, now.replace(tzinfo=UTC), bool(synthetic), kind,
                                                      {g: int(n) for g, n in respondents.items()})
        return wave_id, existing is not None

    @staticmethod
    def _municipality_ids(conn: Connection) -> dict[str, int]:
        """Municipality id by name key (case and spacing forgiven), read in one query."""
        return {_key(name): mid for mid, name in conn.execute(select(municipalities.c.id, municipalities.c.name))}

    def _save_instrument(self, conn: Connection, inst: Instrument) -> None:
        row = conn.execute(select(instruments.c.yaml).where(
            instruments.c.id == inst.id, instruments.c.version == inst.version)).first()
        if row is None:
            conn.execute(insert(instruments).values(id=inst.id, version=inst.version, yaml=inst.raw_text))
        elif row.yaml != inst.raw_text and _parse_instrument(row.yaml) != inst:
            raise StoreError(f"Instrumentet '{inst.id}' version {inst.version} finns redan i databasen med ett "
                             "annat innehåll.", hint="Höj 'version' i instrumentfilen när frågor eller skalor ändras.")

    def _municipality_id(self, conn: Connection, name: str) -> int:
        known = self._municipality_ids(conn)
        if _key(name) in known:
            return known[_key(name)]
        return conn.execute(insert(municipalities).values(name=name).returning(municipalities.c.id)).scalar_one()

    @staticmethod
    def _delete_wave(conn: Connection, wave_id: int) -> None:
        for t in (answers, comments, aggregate_counts, wave_groups):
            conn.execute(delete(t).where(t.c.wave_id == wave_id))
        conn.execute(delete(waves).where(waves.c.id == wave_id))

    # ------------------------------------------------------------------ reading waves

    def waves(self, municipality: str | None = None, *, instrument_id: str | None = None,
              latest: bool = False) -> list[Wave]:
        """Stored waves, by municipality and year (read once per data version: the dashboard asks
        for them several times for every municipality and benchmark it is shown). latest: each
        municipality's latest wave on the instrument only, as a comparison's benchmark set needs."""
        version = self.data_version()
        cached = self._waves_cache
        if cached is None or cached[0] != version:
            every = self._waves_where()
            cached = self._waves_cache = (version, every, [_key(w.municipality) for w in every])
        _, every, keys = cached
        wanted = None if municipality is None else _key(municipality)
        pairs = [(k, w) for k, w in zip(keys, every) if (instrument_id is None or w.instrument_id == instrument_id)
                 and (wanted is None or k == wanted)]
        if latest:
            last: dict[str, int] = {}
            for k, w in pairs:
                last[k] = max(last.get(k, w.year), w.year)
            return [w for k, w in pairs if w.year == last[k]]
        return [w for _, w in pairs]

    def wave(self, municipality: str, year: int | None = None) -> Wave:
        """One wave: the given year, or the latest. StoreError naming what exists otherwise."""
        mine = self.waves(municipality)
        if not mine:
            names = sorted({w.municipality for w in self.waves()})
            near = get_close_matches(municipality, names, n=1, cutoff=0.6)
            raise StoreError(f"Det finns inga enkätomgångar för '{municipality}' i databasen.",
                             hint=(f"Menar du '{near[0]}'? " if near else "")
                             + ("Lagrade kommuner: " + ", ".join(names) + "." if names
                                else "Importera först med `tillit import` eller `tillit import-aggregate`."))
        if year is None:
            return mine[-1]
        for w in mine:
            if w.year == year:
                return w
        raise StoreError(f"{mine[0].municipality} har ingen enkätomgång {year}.",
                         hint="Lagrade år: " + ", ".join(str(w.year) for w in mine) + ".")

    def remove_wave(self, municipality: str, year: int) -> Wave:
        """Delete a wave, with the workshop notes, rounds and votes of that municipality and year."""
        wave = self.wave(municipality, year)
        with self._write() as conn:
            self._delete_wave(conn, wave.id)
            muni_id = next(i for i, name in conn.execute(select(municipalities.c.id, municipalities.c.name))
                           if _key(name) == _key(wave.municipality))
            for table in (dialogue_notes, workshop_rounds):
                conn.execute(delete(table).where(table.c.municipality_id == muni_id, table.c.year == wave.year))
            self._drop_empty_piles(conn)
        return wave

    def _waves_where(self, *conditions) -> list[Wave]:
        with self.engine.connect() as conn:
            return self._select_waves(conn, *conditions)

    def _find_wave(self, conn: Connection, municipality: str, year: int) -> Wave | None:
        hits = [w for w in self._select_waves(conn, waves.c.year == year) if _key(w.municipality) == _key(municipality)]
        return hits[0] if hits else None

    def _wave_by_id(self, conn: Connection, wave_id: int) -> Wave:
        return self._select_waves(conn, waves.c.id == wave_id)[0]

    @staticmethod
    def _select_waves(conn: Connection, *conditions) -> list[Wave]:
        w = waves.c
        q = (select(w.id, municipalities.c.name, w.year, w.instrument_id, w.instrument_version, w.source_name,
                    w.sha256, w.imported_at, w.synthetic, w.kind)
             .join(municipalities, municipalities.c.id == w.municipality_id).where(*conditions))
        # plain tuples from the driver (a comparison reads every wave of the store: SQLAlchemy's
        # row objects and its DateTime parsing were most of that time)
        found = [Wave(i, name, year, iid, iv, src, sha, _stored_time(at), bool(syn), kind)
                 for i, name, year, iid, iv, src, sha, at, syn, kind in _fetch_plain(conn, q)]
        if found:
            by_id = {wv.id: wv for wv in found}
            g = wave_groups.c
            groups = select(g.wave_id, g.group_id, g.respondents)
            if len(by_id) < 500:
                groups = groups.where(g.wave_id.in_(list(by_id)))
            for wave_id, group_id, n in _fetch_plain(conn, groups):
                if wave_id in by_id:
                    by_id[wave_id].respondents[group_id] = n
        keys: dict[str, str] = {}
        found.sort(key=lambda w: (keys.get(w.municipality) or keys.setdefault(w.municipality, _key(w.municipality)),
                                  w.year))
        return found

    # ------------------------------------------------------------------ counts, answers, comments

    def instrument(self, instrument_id: str, version: int) -> Instrument:
        key = (instrument_id, version)
        if key not in self._instruments:
            with self.engine.connect() as conn:
                text = conn.execute(select(instruments.c.yaml).where(
                    instruments.c.id == instrument_id, instruments.c.version == version)).scalar_one()
            self._instruments[key] = _parse_instrument(text)
        return self._instruments[key]

    def counts(self, wave: Wave) -> CountTable:
        """The wave's answer counts, the same shape for raw and aggregated waves."""
        return self.counts_many([wave])[wave.id]

    def counts_many(self, wanted: Sequence[Wave]) -> dict[int, CountTable]:
        """Counts of many waves in a few queries (comparisons read hundreds of waves).

        Tables are kept while the store's data is unchanged (``data_version``), so a second
        comparison reads only the waves it has not seen and reuses what was derived from
        the others (``CountTable.memo``)."""
        version = self.data_version()
        cache = self._counts_cache if self._counts_version == version else {}  # a local: safe across threads
        missing = [w for w in wanted if w.id not in cache]
        if missing:
            cache.update(self._read_counts(missing))
        self._counts_cache, self._counts_version = cache, version
        return {w.id: cache[w.id] for w in wanted}

    def _read_counts(self, wanted: Sequence[Wave]) -> dict[int, CountTable]:
        raw_ids = [w.id for w in wanted if w.kind == RAW]
        agg_ids = [w.id for w in wanted if w.kind != RAW]
        rows: list[tuple] = []
        cut: dict[int, list[tuple]] = {}
        inel: dict[int, dict[str, dict[str, int]]] = {}
        with self.engine.connect() as conn, conn.begin():  # one read transaction for all the reads
            for chunk in _chunks(agg_ids):
                a = aggregate_counts.c
                sizes = []
                if conn.dialect.name == "sqlite":
                    # the rows without their wave id, wave by wave, cut by each wave's number of rows:
                    # no second tuple per row (they are many). In one SQLite read transaction both
                    # reads see the same rows (PostgreSQL's default isolation reads each afresh).
                    sizes = _fetch_plain(conn, select(a.wave_id, func.count()).where(a.wave_id.in_(chunk))
                                         .group_by(a.wave_id).order_by(a.wave_id))
                    got = _fetch_plain(conn, select(a.question_id, a.group_id, a.label, a.n)
                                       .where(a.wave_id.in_(chunk)).order_by(a.wave_id))
                if sizes and sum(k for _, k in sizes) == len(got):
                    start = 0
                    for wid, k in sizes:
                        cut[wid], start = got[start:start + k], start + k
                else:
                    rows += _fetch_plain(conn, select(a.wave_id, a.question_id, a.group_id, a.label, a.n)
                                         .where(a.wave_id.in_(chunk)))
            for chunk in _chunks(raw_ids):
                a = answers.c
                label = func.coalesce(a.label, literal(BLANK))
                rows += _fetch_plain(conn, select(a.wave_id, a.question_id, a.group_id, label, func.count())
                                     .where(a.wave_id.in_(chunk))
                                     .group_by(a.wave_id, a.question_id, a.group_id, label))
                for wid, q, g, n in conn.execute(select(a.wave_id, a.question_id, a.group_id, func.count())
                                                 .where(and_(a.wave_id.in_(chunk), a.ineligible))
                                                 .group_by(a.wave_id, a.question_id, a.group_id)):
                    inel.setdefault(wid, {}).setdefault(q, {})[g] = int(n)
        per_wave: dict[int, list[tuple]] = {w.id: [] for w in wanted} | cut
        # the drivers give n as int already (a count or an integer column); rows mostly come
        # wave by wave, so this is one C-level extend per wave
        for wid, same in groupby(rows, itemgetter(0)):
            per_wave[wid].extend(map(itemgetter(1, 2, 3, 4), same))
        return {w.id: CountTable(self.instrument(w.instrument_id, w.instrument_version), None, dict(w.respondents),
                                 inel.get(w.id, {}), rows=per_wave.get(w.id, [])) for w in wanted}

    def answers(self, wave: Wave) -> pd.DataFrame:
        """respondent_id, group, question_id, label (NA = blank) of a raw wave."""
        a = answers.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.respondent_id, a.group_id, a.question_id, a.label)
                                .where(a.wave_id == wave.id).order_by(a.id)).all()
        return pd.DataFrame(rows, columns=["respondent_id", "group", "question_id", "label"])

    def comments(self, wave: Wave) -> pd.DataFrame:
        """comment_id, respondent_id, group, box_id, text (as redacted at import) of a raw wave."""
        c = comments.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.respondent_id, c.group_id, c.box_id, c.text)
                                .where(c.wave_id == wave.id).order_by(c.id)).all()
        return pd.DataFrame(rows, columns=["comment_id", "respondent_id", "group", "box_id", "text"])

    def data_version(self) -> tuple:
        """Changes whenever a wave is imported, replaced or removed (one small query; for caches)."""
        with self.engine.connect() as conn:
            return _fetch_plain(conn, _DATA_VERSION)[0]

    # ------------------------------------------------------------------ dialogue notes

    def add_note(self, municipality: str, year: int, prompt_id: str, note: str, *,
                 redact: Redactor = refuse_comments, require_wave: bool = False,
                 round_id: int | None = None) -> DialogueNote:
        """Store a workshop note, redacted first (like comments, never stored raw by accident).

        At most MAX_NOTE_CHARS characters (a longer note is refused, nothing stored). With
        `require_wave` (the dashboard) the municipality and year must be a stored wave, so a
        note never creates a municipality."""
        municipality, year = _check_wave_key(municipality, year)
        check_note(note)
        if require_wave:
            municipality = self.wave(municipality, year).municipality
        note = redact(str(note))
        with self._write() as conn:
            if round_id is not None and conn.execute(select(func.count()).where(
                    dialogue_notes.c.round_id == round_id)).scalar_one() >= MAX_ROUND_NOTES:
                raise StoreError(f"Rundan har redan {MAX_ROUND_NOTES} lappar och tar inte emot fler.",
                                 hint="Be samtalsledaren öppna en ny runda.")
            muni_id = self._municipality_id(conn, municipality)
            note_id = conn.execute(insert(dialogue_notes).values(
                municipality_id=muni_id, year=year, prompt_id=str(prompt_id), note=str(note).strip(),
                created_at=_now(), hidden=False, round_id=round_id).returning(dialogue_notes.c.id)).scalar_one()
        return self.note(note_id)

    def notes(self, municipality: str | None = None, year: int | None = None, prompt_id: str | None = None, *,
              include_hidden: bool = False, round_id: int | None = None) -> list[DialogueNote]:
        """Stored notes, oldest first; notes the facilitator hid only with `include_hidden`."""
        return self._notes_where(*([dialogue_notes.c.year == year] if year is not None else []),
                                 *([dialogue_notes.c.prompt_id == prompt_id] if prompt_id is not None else []),
                                 *([dialogue_notes.c.round_id == round_id] if round_id is not None else []),
                                 *([] if include_hidden else [dialogue_notes.c.hidden == false()]),
                                 municipality=municipality)

    def note(self, note_id: int) -> DialogueNote:
        found = self._notes_where(dialogue_notes.c.id == int(note_id))
        if not found:
            raise StoreError(f"Det finns ingen anteckning med nummer {note_id}.",
                             hint="Se numren med `tillit notes list`.")
        return found[0]

    def _notes_where(self, *conditions, municipality: str | None = None) -> list[DialogueNote]:
        d = dialogue_notes.c
        q = (select(d.id, municipalities.c.name, d.year, d.prompt_id, d.note, d.created_at, d.hidden, d.round_id)
             .join(municipalities, municipalities.c.id == d.municipality_id).where(*conditions)
             .order_by(d.created_at, d.id))
        with self.engine.connect() as conn:
            found = [DialogueNote(r.id, r.name, r.year, r.prompt_id, r.note, r.created_at.replace(tzinfo=UTC),
                                  bool(r.hidden), r.round_id) for r in conn.execute(q)]
        return [n for n in found if municipality is None or _key(n.municipality) == _key(municipality)]

    def delete_note(self, note_id: int) -> bool:
        """Delete a note for good (from its pile too; its pile goes when it was the last note)."""
        with self._write() as conn:
            gone = conn.execute(delete(dialogue_notes).where(dialogue_notes.c.id == note_id)).rowcount > 0
            self._drop_empty_piles(conn)
        return gone

    def delete_notes(self, municipality: str, year: int | None = None, prompt_id: str | None = None) -> int:
        """Delete every note of a municipality (one year, one prompt); the number deleted."""
        ids = [n.id for n in self.notes(municipality, year, prompt_id, include_hidden=True)]
        with self._write() as conn:
            for chunk in _chunks(ids):
                conn.execute(delete(dialogue_notes).where(dialogue_notes.c.id.in_(chunk)))
            self._drop_empty_piles(conn)
        return len(ids)

    def hide_note(self, note_id: int, hidden: bool = True) -> bool:
        """Hide a note from every page and output (or show it again); it stays in the store."""
        with self._write() as conn:
            return conn.execute(dialogue_notes.update().where(dialogue_notes.c.id == note_id)
                                .values(hidden=bool(hidden))).rowcount > 0

    def notes_version(self) -> tuple:
        """Changes whenever a note is added, deleted or hidden, or a pile or vote changes (for caches)."""
        d, v, p = dialogue_notes.c, workshop_votes.c, workshop_piles.c
        with self.engine.connect() as conn:
            notes = conn.execute(select(func.count(d.id), func.max(d.id),
                                        func.sum(func.cast(d.hidden, Integer)))).one()
            votes = conn.execute(select(func.count(v.id), func.max(v.id))).one()
            piles = conn.execute(select(func.count(p.id), func.max(p.id))).one()
            moved = conn.execute(select(func.count(), func.sum(workshop_pile_notes.c.pile_id))).one()
        return (*notes, *votes, *piles, *moved)

    # ------------------------------------------------------------------ live workshop rounds

    def open_round(self, municipality: str, year: int, prompt_id: str, *, dots: int = 3) -> WorkshopRound:
        """Open a round for a prompt of a stored wave (the round already open for it, if any)."""
        wave = self.wave(municipality, year)
        for r in self.rounds(wave.municipality, wave.year, active=True):
            if r.prompt_id == prompt_id:
                return r
        taken = {r.code for r in self.rounds(active=True)}
        code = _new_code(taken)
        with self._write() as conn:
            muni_id = self._municipality_id(conn, wave.municipality)
            rid = conn.execute(insert(workshop_rounds).values(
                municipality_id=muni_id, year=wave.year, prompt_id=str(prompt_id), code=code, state=OPEN,
                dots=int(dots), opened_at=_now()).returning(workshop_rounds.c.id)).scalar_one()
        return self.round(rid)

    def round(self, round_id: int) -> WorkshopRound:
        found = self._rounds_where(workshop_rounds.c.id == int(round_id))
        if not found:
            raise StoreError(f"Det finns ingen dialogrunda med nummer {round_id}.",
                             hint="Se rundorna med `tillit workshop list`.")
        return found[0]

    def round_by_code(self, code: str, *, active: bool = True) -> WorkshopRound | None:
        """The active round with this join code (case and spaces ignored), else None; with
        `active=False` the latest round with the code, closed or not."""
        wanted = "".join(str(code or "").split()).upper()
        if not wanted or len(wanted) > 16:
            return None
        found = self._rounds_where(workshop_rounds.c.code == wanted,
                                   *([workshop_rounds.c.state != CLOSED] if active else []))
        return found[-1] if found else None

    def rounds(self, municipality: str | None = None, year: int | None = None, *,
               active: bool = False) -> list[WorkshopRound]:
        r = workshop_rounds.c
        found = self._rounds_where(*([r.year == year] if year is not None else []),
                                   *([r.state != CLOSED] if active else []))
        return [x for x in found if municipality is None or _key(x.municipality) == _key(municipality)]

    def _rounds_where(self, *conditions) -> list[WorkshopRound]:
        r = workshop_rounds.c
        q = (select(r.id, municipalities.c.name, r.year, r.prompt_id, r.code, r.state, r.dots, r.opened_at,
                    r.closed_at).join(municipalities, municipalities.c.id == r.municipality_id)
             .where(*conditions).order_by(r.opened_at, r.id))
        with self.engine.connect() as conn:
            return [WorkshopRound(x.id, x.name, x.year, x.prompt_id, x.code, x.state, x.dots,
                                  x.opened_at.replace(tzinfo=UTC),
                                  x.closed_at.replace(tzinfo=UTC) if x.closed_at else None)
                    for x in conn.execute(q)]

    def start_voting(self, round_id: int, piles: Sequence[tuple[str, str, Sequence[int]]]) -> list[Pile]:
        """Freeze the round's clusters as piles (label, kind, note ids) and open the vote."""
        rnd = self.round(round_id)
        if rnd.state != OPEN:
            raise StoreError("Röstningen kan bara starta i en öppen runda.")
        with self._write() as conn:
            conn.execute(delete(workshop_piles).where(workshop_piles.c.round_id == rnd.id))
            for label, kind, note_ids in piles:
                pid = conn.execute(insert(workshop_piles).values(round_id=rnd.id, label=str(label), kind=str(kind))
                                   .returning(workshop_piles.c.id)).scalar_one()
                if note_ids:
                    conn.execute(insert(workshop_pile_notes), [{"pile_id": pid, "note_id": int(n)} for n in note_ids])
            conn.execute(workshop_rounds.update().where(workshop_rounds.c.id == rnd.id).values(state=VOTING))
        return self.piles(rnd.id)

    def close_round(self, round_id: int) -> WorkshopRound:
        """Close a round: no more notes or votes; its piles and votes stay."""
        with self._write() as conn:
            conn.execute(workshop_rounds.update().where(workshop_rounds.c.id == int(round_id))
                         .values(state=CLOSED, closed_at=_now()))
        return self.round(round_id)

    def piles(self, round_id: int) -> list[Pile]:
        """The round's piles with their visible notes and dots, most dots first (empty piles left out)."""
        p, pn, d, v = workshop_piles.c, workshop_pile_notes.c, dialogue_notes.c, workshop_votes.c
        with self.engine.connect() as conn:
            piles = {x.id: Pile(x.id, x.label, x.kind, [], []) for x in
                     conn.execute(select(p.id, p.label, p.kind).where(p.round_id == round_id).order_by(p.id))}
            for pid, nid, text in conn.execute(select(pn.pile_id, d.id, d.note).join(dialogue_notes, d.id == pn.note_id)
                                               .where(pn.pile_id.in_(list(piles) or [-1]), d.hidden == false())
                                               .order_by(d.id)):
                piles[pid].note_ids.append(nid)
                piles[pid].notes.append(text)
            for pid, n in conn.execute(select(v.pile_id, func.count()).where(v.round_id == round_id)
                                       .group_by(v.pile_id)):
                if pid in piles:
                    piles[pid].votes = int(n)
        shown = [x for x in piles.values() if x.note_ids]
        return sorted(shown, key=lambda x: (-x.votes, -len(x.note_ids), x.id))

    def merge_piles(self, round_id: int, source: int, target: int) -> None:
        """Put pile `source`'s notes and dots on pile `target` (both of this round)."""
        mine = {x.id for x in self.piles(round_id)}
        if source not in mine or target not in mine or source == target:
            raise StoreError("Högarna finns inte i den här rundan.", hint="Välj två olika högar ur listan.")
        with self._write() as conn:
            conn.execute(workshop_pile_notes.update().where(workshop_pile_notes.c.pile_id == source)
                         .values(pile_id=target))
            conn.execute(workshop_votes.update().where(workshop_votes.c.pile_id == source).values(pile_id=target))
            conn.execute(delete(workshop_piles).where(workshop_piles.c.id == source))

    def split_note(self, round_id: int, note_id: int) -> int:
        """Take a note out of its pile into a pile of its own; the new pile's id."""
        pile = next((x for x in self.piles(round_id) if note_id in x.note_ids), None)
        if pile is None:
            raise StoreError("Lappen ligger inte i någon hög i den här rundan.")
        if len(pile.note_ids) == 1:
            return pile.id
        text = pile.notes[pile.note_ids.index(note_id)]
        with self._write() as conn:
            pid = conn.execute(insert(workshop_piles).values(round_id=round_id, label=text, kind=pile.kind)
                               .returning(workshop_piles.c.id)).scalar_one()
            conn.execute(workshop_pile_notes.update().where(workshop_pile_notes.c.note_id == note_id)
                         .values(pile_id=pid))
        return pid

    def add_vote(self, round_id: int, pile_id: int, participant: str) -> None:
        """One dot on a pile; refused when the round is not voting or the participant has no dots left."""
        rnd = self.round(round_id)
        if rnd.state != VOTING:
            raise StoreError("Rundan tar inte emot röster just nu.")
        with self._write() as conn:
            if conn.execute(select(workshop_piles.c.id).where(workshop_piles.c.id == pile_id,
                                                               workshop_piles.c.round_id == rnd.id)).first() is None:
                raise StoreError("Högen finns inte i den här rundan.")
            # insert first, then count: a concurrent vote waits for the write lock and sees this one
            conn.execute(insert(workshop_votes).values(round_id=rnd.id, pile_id=pile_id, participant=participant,
                                                       created_at=_now()))
            used = conn.execute(select(func.count()).where(workshop_votes.c.round_id == rnd.id,
                                                           workshop_votes.c.participant == participant)).scalar_one()
            if used > rnd.dots:
                raise _NoDotsLeft(rnd.dots)

    def remove_vote(self, round_id: int, pile_id: int, participant: str) -> bool:
        v = workshop_votes.c
        with self._write() as conn:
            one = conn.execute(select(v.id).where(v.round_id == round_id, v.pile_id == pile_id,
                                                  v.participant == participant).limit(1)).scalar()
            if one is None:
                return False
            conn.execute(delete(workshop_votes).where(v.id == one))
        return True

    def participant_votes(self, round_id: int, participant: str) -> dict[int, int]:
        v = workshop_votes.c
        with self.engine.connect() as conn:
            return {pid: int(n) for pid, n in conn.execute(
                select(v.pile_id, func.count()).where(v.round_id == round_id, v.participant == participant)
                .group_by(v.pile_id))}

    def _drop_empty_piles(self, conn: Connection) -> None:
        p, pn = workshop_piles.c, workshop_pile_notes.c
        conn.execute(delete(workshop_piles).where(~p.id.in_(select(pn.pile_id).distinct())))

    # ------------------------------------------------------------------ actions

    def add_action(self, municipality: str, year: int, area: str, text: str, *, owner: str | None = None,
                   due: date | str | None = None, redact: Redactor = refuse_comments) -> Action:
        """Store an action decided in `year` for one of the instrument's areas (text and owner redacted).

        Everything is checked before anything is written: the municipality must have a
        stored wave in `year` or earlier (the one the action is followed up against), the
        area must be one of that wave's instrument's dimensions and `due` an ISO date."""
        municipality, year = _check_wave_key(municipality, year)
        baseline = self.baseline_wave(municipality, year)
        area_id = self._check_area(baseline, area)
        due_date = parse_due(due)
        if not str(text or "").strip():
            raise StoreError("Åtgärden saknar text.", hint="Beskriv åtgärden med --text, t.ex. --text \"Visionsdag för KS\".")
        safe_text = redact(str(text)).strip()
        safe_owner = redact(str(owner)).strip() if owner is not None and str(owner).strip() else None
        with self._write() as conn:
            muni_id = self._municipality_id(conn, baseline.municipality)
            action_id = conn.execute(insert(actions_table).values(
                municipality_id=muni_id, year=year, area=area_id, text=safe_text, owner=safe_owner, due=due_date,
                status="open", created_at=_now()).returning(actions_table.c.id)).scalar_one()
        return self.action(action_id)

    def baseline_wave(self, municipality: str, year: int) -> Wave:
        """The municipality's latest wave in `year` or before: what an action decided in `year` is measured from."""
        mine = self.waves(municipality)
        if not mine:
            self.wave(municipality)  # raises the message naming the stored municipalities
        earlier = [w for w in mine if w.year <= year]
        if not earlier:
            raise StoreError(f"{mine[0].municipality} har ingen enkätomgång {year} eller tidigare att följa upp "
                             "åtgärden mot.", hint="Lagrade år: " + ", ".join(str(w.year) for w in mine)
                             + ". Ange ett av dem (eller ett senare år) med --year.")
        return earlier[-1]

    def _check_area(self, wave: Wave, area: str) -> str:
        inst = self.instrument(wave.instrument_id, wave.instrument_version)
        wanted = " ".join(str(area or "").split()).casefold()
        for d in inst.dimensions:
            if wanted in (d.id.casefold(), d.label_sv.casefold(), d.label_en.casefold()):
                return d.id
        valid = ", ".join(f"{d.id} ({d.label_sv})" for d in inst.dimensions)
        raise StoreError(f"Området '{area}' finns inte i instrumentet {inst.id}.",
                         hint=f"Ange ett av områdena: {valid}.")

    def actions(self, municipality: str | None = None) -> list[Action]:
        """Stored actions, by municipality, year and id."""
        a = actions_table.c
        q = (select(a.id, municipalities.c.name, a.year, a.area, a.text, a.owner, a.due, a.status)
             .join(municipalities, municipalities.c.id == a.municipality_id).order_by(a.year, a.id))
        with self.engine.connect() as conn:
            found = [Action(r.id, r.name, r.year, r.area, r.text, r.owner, r.due, r.status) for r in conn.execute(q)]
        found = [x for x in found if municipality is None or _key(x.municipality) == _key(municipality)]
        return sorted(found, key=lambda x: (_key(x.municipality), x.year, x.id))

    def action(self, action_id: int) -> Action:
        found = next((x for x in self.actions() if x.id == action_id), None)
        if found is None:
            raise StoreError(f"Det finns ingen åtgärd med nummer {action_id}.",
                             hint="Se de lagrade åtgärderna och deras nummer med `tillit actions list`.")
        return found

    def mark_action_done(self, action_id: int) -> Action:
        self.action(action_id)  # a clear message when it does not exist
        with self._write() as conn:
            conn.execute(actions_table.update().where(actions_table.c.id == action_id).values(status="done", done_at=_now()))
        return self.action(action_id)


# ---------------------------------------------------------------------------- helpers


def _engine(url) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = url.database or ""
    if database and database != ":memory:":
        path = Path(database)
        if path.is_dir():
            raise StoreError(f"{path} är en mapp, inte en databasfil.", hint="Ange en filsökväg, t.ex. tillit.db.")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _create_private(path)
        engine = create_engine(url, connect_args={"timeout": SQLITE_TIMEOUT})
        file_db = True
    else:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
        file_db = False

    # pysqlite's own transaction handling defers BEGIN and commits before DDL; take it over so
    # that an import (and a migration) is really one transaction.
    # Writers take the lock when their transaction starts (BEGIN IMMEDIATE, see Store._write_transaction),
    # and a file database runs in WAL mode, so that readers (the dashboard) never wait for an import.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        if file_db:
            try:
                dbapi_conn.execute("PRAGMA journal_mode = WAL").fetchall()
            except sqlite3.OperationalError:  # e.g. a read-only copy: keep the rollback journal, reads still work
                pass

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    return engine


def _create_private(path: Path) -> None:
    """Create a new SQLite file readable by its owner only (0600); SQLite gives its journal the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _answer_rows(data: SurveyData) -> list[tuple]:
    """(respondent_id, group_id, question_id, label or None, ineligible) per respondent × question,
    built column-wise from the wide answers (no Python object per cell before the tuples)."""
    ans = data.answers
    qids = list(ans.codes)
    if not qids or data.respondents.empty:
        return []
    n = len(data.respondents)
    rid = [str(r) for r in data.respondents["respondent_id"].tolist()]
    grp = [str(g) for g in data.respondents["group"].tolist()]
    labels = [*ans.labels, None]  # code -1 (blank) picks the last entry
    rows: list[tuple] = []
    for q in qids:
        codes = ans.codes[q].tolist()
        inel = ans.ineligible_of(q).tolist()
        rows += zip(rid, grp, [q] * n, [labels[c] for c in codes], inel)
    return rows


REBUILD_FROM = 50_000  # rows: a bulk insert at least this large into a table holding fewer rows rebuilds its indexes


def _indexes_to_rebuild(cur, table, adding: int) -> list:
    """SQLite: the indexes of ``table`` to drop before inserting ``adding`` rows and build
    again after, when the table holds fewer rows than that (sorting them once is cheaper than
    adding 800,000 entries one by one: 0.15 s against 0.45 s for 100,000 respondents'
    answers). A table already larger keeps its indexes, so the cost never grows with the store."""
    if adding < REBUILD_FROM or not table.indexes:
        return []
    held = cur.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table.name}"').fetchone()[0]  # ≥ rows, O(log n)
    return sorted(table.indexes, key=lambda i: i.name) if held < adding else []


def bulk_insert(conn: Connection, table, columns: Sequence[str], rows: Sequence[tuple], wave_id: int, *,
                progress: Progress | None = None) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) for one wave, inside the open transaction.

    SQLite: the driver's executemany in large batches; PostgreSQL with psycopg: COPY;
    any other backend: SQLAlchemy's multi-row insert. Progress is reported after each batch.
    """
    total = len(rows)
    if not total:
        return
    cols = ("wave_id", *columns)
    dialect = conn.dialect.name
    dbapi = conn.connection.dbapi_connection
    if dialect == "postgresql" and conn.dialect.driver == "psycopg":
        with dbapi.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            for start in range(0, total, BATCH):
                for r in rows[start:start + BATCH]:
                    copy.write_row((wave_id, *r))
                if progress:
                    progress(min(start + BATCH, total), total)
        return
    if dialect == "sqlite":
        sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({int(wave_id)}, {', '.join('?' * len(columns))})"
        cur = dbapi.cursor()
        try:
            rebuild = _indexes_to_rebuild(cur, table, total)
            for index in rebuild:  # inside the transaction: a failure rolls the drop back too
                cur.execute(f'DROP INDEX "{index.name}"')
            for start in range(0, total, BATCH):
                cur.executemany(sql, rows[start:start + BATCH])
                if progress:
                    progress(min(start + BATCH, total), total)
            for index in rebuild:
                cur.execute(str(CreateIndex(index).compile(dialect=conn.dialect)))
        finally:
            cur.close()
        return
    for start in range(0, total, BATCH):
        conn.execute(insert(table), [dict(zip(cols, (wave_id, *r))) for r in rows[start:start + BATCH]])
        if progress:
            progress(min(start + BATCH, total), total)


_DATA_VERSION = select(func.count(waves.c.id), func.max(waves.c.id), func.max(waves.c.imported_at))


def _fetch_plain(conn: Connection, query) -> list[tuple]:
    """Rows of a read-only query as plain tuples, straight from the driver's cursor.

    Only for queries whose parameters are ids, years, hashes and constants (rendered inline):
    it skips SQLAlchemy's row objects, which dominate the time of reading counts in bulk.
    """
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
        return rows if not rows or type(rows[0]) is tuple else list(map(tuple, rows))  # sqlite3's rows are tuples
    finally:
        cursor.close()


@lru_cache(maxsize=16)
def _parse_instrument(text: str) -> Instrument:
    """An instrument from the YAML text stored with the waves (through the one public loader);
    parsed once per process (an Instrument is immutable), not once per store opened."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "instrument.yaml"
        path.write_text(text, "utf-8")
        inst = load_instrument(path)
    object.__setattr__(inst, "source", "<instrument lagrat i databasen>")
    return inst


def _check_wave_key(municipality: str, year) -> tuple[str, int]:
    name = " ".join(str(municipality or "").split())
    if not name:
        raise StoreError("Kommunens namn saknas.", hint="Ange --municipality, t.ex. --municipality Exempelby.")
    return name, _check_year(year)


def _check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise StoreError(f"Året '{year}' är inte ett heltal.", hint="Ange året med fyra siffror, t.ex. 2025.") from None
    if not 1900 <= y <= 2200:
        raise StoreError(f"Året {y} är inte rimligt.", hint="Ange året med fyra siffror, t.ex. 2025.")
    return y


def parse_due(value: date | str | None) -> date | None:
    """A due date from an ISO date (YYYY-MM-DD); None for none; StoreError otherwise."""
    if value is None or isinstance(value, date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise StoreError(f"Slutdatumet '{raw}' är inget datum.",
                         hint="Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-06-30 (--due i kommandot, fältet Klart senast i instrumentpanelen).") from None


def _exists_message(existing: Iterable[Wave]) -> str:
    items = [f"{w.label} (från {w.source_name})" for w in existing]
    return ("Det finns redan en enkätomgång för " + ", ".join(items)
            + ". Den skrivs inte över utan att du ber om det.")


def check_note(note) -> str:
    """A note fit to store: not empty, at most MAX_NOTE_CHARS characters (else a StoreError saying so)."""
    text = str(note if note is not None else "")
    if not text.strip():
        raise StoreError("En tom anteckning sparas inte.")
    if len(text) > MAX_NOTE_CHARS:
        raise StoreError(f"Lappen är för lång ({len(text)} tecken); högst {MAX_NOTE_CHARS} tecken får plats. "
                         "Inget sparades.", hint="Skriv ett förslag per lapp, kort.")
    return text


class _NoDotsLeft(StoreError):
    def __init__(self, dots: int):
        super().__init__(f"Du har redan använt dina {dots} prickar.",
                         hint="Ta bort en prick från en annan hög först.")


def _new_code(taken: set[str]) -> str:
    import secrets

    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _first_line(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
