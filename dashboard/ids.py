"""Every component id of the dashboard, in one place (pages and tests import these)."""

from __future__ import annotations


class Ids:
    # app shell: pickers shared by every page
    ROOT = "tillit-root"
    URL = "tillit-url"
    ERROR = "tillit-error"
    MUNICIPALITY = "picker-municipality"
    WAVE = "picker-wave"
    BENCHMARK = "picker-benchmark"
    GROUPS = "picker-groups"
    LANG = "picker-lang"
    WORKSHOP = "picker-workshop"
    NAV = "tillit-nav"
    TITLE = "tillit-title"
    LABEL_MUNICIPALITY = "label-municipality"
    LABEL_WAVE = "label-wave"
    LABEL_BENCHMARK = "label-benchmark"
    LABEL_GROUPS = "label-groups"

    # Översikt
    OVERVIEW_CONTENT = "overview-content"
    OVERVIEW_DIMENSIONS = "overview-dimensions"
    OVERVIEW_BENCHMARK = "overview-benchmark"
    OVERVIEW_RESPONDENTS = "overview-respondents"

    # Frågor
    QUESTION = "question-picker"
    QUESTION_PREV = "question-prev"
    QUESTION_NEXT = "question-next"
    QUESTION_CONTENT = "question-content"
    QUESTION_FIGURE = "question-figure"
    QUESTION_POSITION = "question-position"

    # Jämförelse
    COMPARISON_CONTENT = "comparison-content"
    COMPARISON_RANKING = "comparison-ranking"
    COMPARISON_AREAS = "comparison-areas"
    COMPARISON_TREND = "comparison-trend"
    COMPARISON_TREND_QUESTION = "comparison-trend-question"
    COMPARISON_TABLE = "comparison-table"

    # Kommentarer
    COMMENTS_SEARCH = "comments-search"
    COMMENTS_CONTENT = "comments-content"
    COMMENTS_GRID = "comments-grid"

    # Dialog
    DIALOGUE_PROMPT = "dialogue-prompt"
    DIALOGUE_INPUT = "dialogue-input"
    DIALOGUE_SAVE = "dialogue-save"
    DIALOGUE_STATUS = "dialogue-status"
    DIALOGUE_NOTES = "dialogue-notes"
    DIALOGUE_CLUSTERS = "dialogue-clusters"
    DIALOGUE_PROMPT_TEXT = "dialogue-prompt-text"
    DIALOGUE_SAVED = "dialogue-saved"  # a dcc.Store bumped on each save
    DIALOGUE_HIDE = "dialogue-hide"  # pattern-matching: {"type": DIALOGUE_HIDE, "index": note id}
    DIALOGUE_HIDDEN = "dialogue-hidden"

    # live rounds (controls on the Dialog page)
    ROUND_STATUS = "round-status"
    ROUND_OPEN = "round-open"
    ROUND_VOTE = "round-vote"
    ROUND_CLOSE = "round-close"
    ROUND_PILES = "round-piles"
    MERGE_SOURCE = "round-merge-source"
    MERGE_TARGET = "round-merge-target"
    MERGE = "round-merge"
    SPLIT_NOTE = "round-split-note"
    SPLIT = "round-split"

    # actions decided from the ranked piles (Dialog page, after voting)
    ACTIONS_PANEL = "actions-panel"
    ACTION_PILES = "action-piles"
    ACTION_PILES_TICK = "action-piles-tick"  # dcc.Interval: the dots as they come in
    ACTION_PILES_SHOWN = "action-piles-shown"  # dcc.Store: what the pile list shows (redrawn only on change)
    ACTION_FROM_PILE = "action-from-pile"  # pattern-matching: {"type": ACTION_FROM_PILE, "index": pile id}
    ACTION_LABEL = "action-label"  # pattern-matching: {"type": ACTION_LABEL, "index": text key}
    ACTION_FORM = "action-form"
    ACTION_TEXT = "action-text"
    ACTION_AREA = "action-area"
    ACTION_OWNER = "action-owner"
    ACTION_DUE = "action-due"
    ACTION_SAVE = "action-save"
    ACTION_STATUS = "action-status"
    ACTION_LIST = "action-list"
    ACTION_DONE = "action-done"  # pattern-matching: {"type": ACTION_DONE, "index": action id}
    ACTIONS_SAVED = "actions-saved"  # a dcc.Store bumped on each change to the actions

    # Projektor
    PROJECTOR_TICK = "projector-tick"
    PROJECTOR_CONTENT = "projector-content"
    PROJECTOR_QR = "projector-qr"
    PROJECTOR_CODE = "projector-code"
    PROJECTOR_PILES = "projector-piles"
