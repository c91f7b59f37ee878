"""Live workshop rounds: rounds with a join code, frozen piles of notes, dot votes; notes can be hidden.

Revision ID: 0003_workshop
Revises: 0002_actions
Create Date: 2026-11-29

(Written beside 0002_actions and chained after it when main was merged in.)
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_workshop"
down_revision = "0002_actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_id", sa.Integer, sa.ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("prompt_id", sa.String(100), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("dots", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_workshop_rounds_code", "workshop_rounds", ["code"])
    with op.batch_alter_table("dialogue_notes") as batch:
        batch.add_column(sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("round_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_dialogue_notes_round", "workshop_rounds", ["round_id"], ["id"],
                                 ondelete="CASCADE")
    op.create_table(
        "workshop_piles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("workshop_rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_index("ix_workshop_piles_round", "workshop_piles", ["round_id"])
    op.create_table(
        "workshop_pile_notes",
        sa.Column("pile_id", sa.Integer, sa.ForeignKey("workshop_piles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("dialogue_notes.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "workshop_votes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("workshop_rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pile_id", sa.Integer, sa.ForeignKey("workshop_piles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_workshop_votes_round", "workshop_votes", ["round_id"])


def downgrade() -> None:
    for name in ("workshop_votes", "workshop_pile_notes", "workshop_piles"):
        op.drop_table(name)
    with op.batch_alter_table("dialogue_notes") as batch:
        batch.drop_constraint("fk_dialogue_notes_round", type_="foreignkey")
        batch.drop_column("round_id")
        batch.drop_column("hidden")
    op.drop_index("ix_workshop_rounds_code", "workshop_rounds")
    op.drop_table("workshop_rounds")
