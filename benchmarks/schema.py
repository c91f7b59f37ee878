"""The tables of the benchmark store (SQLAlchemy Core).

The schema itself is created and changed by the Alembic migrations in
``benchmarks/migrations/versions``; this module describes the same tables for queries, and
a test checks that the two agree.

No table holds names, e-mail addresses or any column the export reader dropped: answers
keep only the anonymous respondent id, the group, the question and the answer label, and
comments are stored only after redaction.
"""

from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, false)

metadata = MetaData()

VERSION_TABLE = "tillit_alembic_version"

instruments = Table(
    "instruments", metadata,
    Column("id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("yaml", Text, nullable=False),  # the instrument file, so stored waves stay readable without it
)

municipalities = Table(
    "municipalities", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
)

waves = Table(
    "waves", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("instrument_id", String(200), nullable=False),
    Column("instrument_version", Integer, nullable=False),
    Column("source_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("imported_at", DateTime, nullable=False),  # UTC
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("kind", String(20), nullable=False),  # "raw" | "aggregate"
    UniqueConstraint("municipality_id", "year", name="uq_waves_municipality_year"),
)

wave_groups = Table(
    "wave_groups", metadata,
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", String(100), primary_key=True),
    Column("respondents", Integer, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="CASCADE"), nullable=False),
    Column("respondent_id", String(100), nullable=False),
    Column("group_id", String(100), nullable=False),
    Column("question_id", String(100), nullable=False),
    Column("label", String(200), nullable=True),  # NULL = left blank
    Column("ineligible", Boolean, nullable=False, default=False),
    Index("ix_answers_wave", "wave_id"),
)

comments = Table(
    "comments", metadata,
    Column("id", Integer, primary_key=True),
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="CASCADE"), nullable=False),
    Column("respondent_id", String(100), nullable=False),
    Column("group_id", String(100), nullable=False),
    Column("box_id", String(100), nullable=False),
    Column("text", Text, nullable=False),  # redacted
    Index("ix_comments_wave", "wave_id"),
)

aggregate_counts = Table(
    "aggregate_counts", metadata,
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(100), primary_key=True),
    Column("group_id", String(100), primary_key=True),
    Column("label", String(200), primary_key=True),  # "(blank)" for blanks
    Column("n", Integer, nullable=False),
)

dialogue_notes = Table(
    "dialogue_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("prompt_id", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),  # UTC
    Column("hidden", Boolean, nullable=False, default=False, server_default=false()),  # hidden by the facilitator
    Column("round_id", Integer, ForeignKey("workshop_rounds.id", ondelete="CASCADE", name="fk_dialogue_notes_round"),
           nullable=True),  # posted by a participant in a live round
    Index("ix_dialogue_notes_municipality_year", "municipality_id", "year"),
)

# ---- live workshop rounds (migration 0003_workshop)

workshop_rounds = Table(
    "workshop_rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("prompt_id", String(100), nullable=False),
    Column("code", String(16), nullable=False),  # the join code shown on the projector
    Column("state", String(20), nullable=False),  # "open" (posting) | "voting" | "closed"
    Column("dots", Integer, nullable=False),  # votes per participant
    Column("opened_at", DateTime, nullable=False),  # UTC
    Column("closed_at", DateTime, nullable=True),
    Index("ix_workshop_rounds_code", "code"),
)

workshop_piles = Table(  # the round's clusters, frozen when voting starts (then merged/split by hand)
    "workshop_piles", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("workshop_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("label", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Index("ix_workshop_piles_round", "round_id"),
)

workshop_pile_notes = Table(
    "workshop_pile_notes", metadata,
    Column("pile_id", Integer, ForeignKey("workshop_piles.id", ondelete="CASCADE"), primary_key=True),
    Column("note_id", Integer, ForeignKey("dialogue_notes.id", ondelete="CASCADE"), primary_key=True),
)

workshop_votes = Table(  # one row per dot; the participant is a random token, no identity
    "workshop_votes", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("workshop_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("pile_id", Integer, ForeignKey("workshop_piles.id", ondelete="CASCADE"), nullable=False),
    Column("participant", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),  # UTC
    Index("ix_workshop_votes_round", "round_id"),
)

actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),  # the year the action was decided
    Column("area", String(100), nullable=False),  # a dimension id of the municipality's instrument
    Column("text", Text, nullable=False),  # redacted
    Column("owner", String(200), nullable=True),  # redacted; a role or body, not a person's name
    Column("due", Date, nullable=True),
    Column("status", String(20), nullable=False),  # "open" | "done"
    Column("created_at", DateTime, nullable=False),  # UTC
    Column("done_at", DateTime, nullable=True),  # UTC
    Index("ix_actions_municipality", "municipality_id"),
)
