"""The first schema: municipalities, waves, answers, comments, aggregated counts, notes.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instruments",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("yaml", sa.Text, nullable=False),
    )
    op.create_table(
        "municipalities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
    )
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_id", sa.Integer, sa.ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("instrument_id", sa.String(200), nullable=False),
        sa.Column("instrument_version", sa.Integer, nullable=False),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.UniqueConstraint("municipality_id", "year", name="uq_waves_municipality_year"),
    )
    op.create_index("ix_waves_sha256", "waves", ["sha256"])
    op.create_table(
        "wave_groups",
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("group_id", sa.String(100), primary_key=True),
        sa.Column("respondents", sa.Integer, nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id", ondelete="CASCADE"), nullable=False),
        sa.Column("respondent_id", sa.String(100), nullable=False),
        sa.Column("group_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("ineligible", sa.Boolean, nullable=False),
    )
    op.create_index("ix_answers_wave", "answers", ["wave_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id", ondelete="CASCADE"), nullable=False),
        sa.Column("respondent_id", sa.String(100), nullable=False),
        sa.Column("group_id", sa.String(100), nullable=False),
        sa.Column("box_id", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_comments_wave", "comments", ["wave_id"])
    op.create_table(
        "aggregate_counts",
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("group_id", sa.String(100), primary_key=True),
        sa.Column("label", sa.String(200), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "dialogue_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_id", sa.Integer, sa.ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("prompt_id", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dialogue_notes_municipality_year", "dialogue_notes", ["municipality_id", "year"])


def downgrade() -> None:
    for name in ("dialogue_notes", "aggregate_counts", "comments", "answers", "wave_groups", "waves",
                 "municipalities", "instruments"):
        op.drop_table(name)
