"""From the store to a comparison: picks the waves, reads their counts, calls compare().

The default benchmark set is every other municipality's latest wave on the same
instrument; ``with_`` names the benchmark municipality instead of taking the best.
"""

from __future__ import annotations

from tillit.survey import DEFAULT_THRESHOLD

from .compare import INDEX, Comparison, WaveCounts, compare
from .errors import ComparisonError
from .store import Store, Wave, _key


def benchmark_waves(waves: list[Wave], target: Wave) -> list[Wave]:
    """Latest wave per other municipality, on the target's instrument."""
    latest: dict[str, Wave] = {}
    own = _key(target.municipality)
    for w in waves:
        k = _key(w.municipality)
        if w.instrument_id != target.instrument_id or k == own:
            continue
        if k not in latest or w.year > latest[k].year:
            latest[k] = w
    return [latest[k] for k in sorted(latest)]  # by municipality (one wave each)


def comparison(store: Store, municipality: str, *, year: int | None = None, with_: str | None = None,
               with_year: int | None = None, threshold: int = DEFAULT_THRESHOLD,
               scale_mismatch: str = INDEX) -> Comparison:
    own = store.waves(municipality)
    target = own[-1] if own and year is None else next((w for w in own if w.year == year), None)
    if target is None:
        target = store.wave(municipality, year)  # not stored: StoreError naming what is
    chosen = store.wave(with_, with_year) if with_ else None  # may use another instrument
    if chosen is not None and _key(chosen.municipality) == _key(target.municipality):
        raise ComparisonError(f"{target.municipality} kan inte vara sin egen jämförelsekommun.",
                              hint="Ange en annan kommun med --with, eller utelämna --with för att välja den bästa.")
    field = benchmark_waves(store.waves(instrument_id=target.instrument_id, latest=True), target)
    history = [w for w in own if w.instrument_id == target.instrument_id and w.year < target.year]
    needed = {w.id: w for w in [target, *field, *history, *([chosen] if chosen else [])]}
    tables = store.counts_many(list(needed.values()))

    def counts(w: Wave) -> WaveCounts:
        return WaveCounts(w.municipality, w.year, tables[w.id], w.synthetic)

    return compare(counts(target), [counts(w) for w in field], benchmark=counts(chosen) if chosen else None,
                   history=[counts(w) for w in history], threshold=threshold, scale_mismatch=scale_mismatch)
