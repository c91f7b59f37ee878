"""analys.json against its types: the JSON Schema file and the check on load.

    python -m tillit.analysis.schema > docs/analysis.schema.json

The schema is generated from `tillit.analysis.types` by pydantic (a test keeps the committed
file equal to the generated one). `check` validates a loaded analys.json against the same
types with extra keys forbidden and raises `AnalysisFileError` naming the file and the key.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import SCHEMA_VERSION, AnalysisFileError
from .types import AnalysisDocument

@lru_cache(maxsize=1)
def _adapter():
    from pydantic import TypeAdapter  # loaded only when an analysis is checked (it is slow to import)

    return TypeAdapter(AnalysisDocument)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of analys.json, generated from the types."""
    schema = _adapter().json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "title": "Tillit analys.json", "x-schema-version": SCHEMA_VERSION}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(hela filen)"


def check(data: Any, source: str | Path | None = None) -> None:
    """Raise `AnalysisFileError` unless `data` is an analys.json of this version's shape.

    A file of a newer `schema_version` is refused before its keys are looked at."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise AnalysisFileError("filen är ingen analys (väntade ett JSON-objekt överst).", source=source,
                                hint="Ange analys.json som `tillit analyse` skrev.")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise AnalysisFileError(
            f"analysen har formatversion (schema_version) {version!r}, men den här versionen av Tillit "
            f"läser högst version {SCHEMA_VERSION}.", source=source,
            hint="Uppdatera Tillit, eller kör `tillit analyse` igen med den här versionen.")
    try:
        _adapter().validate_python(data)
    except ValidationError as err:
        first = err.errors()[0]
        more = len(err.errors()) - 1
        what = {"missing": "saknas", "extra_forbidden": "är okänd för den här versionen"}.get(first["type"],
                                                                                          f"har fel värde ({first['msg']})")
        raise AnalysisFileError(
            f"analysen stämmer inte med formatet: nyckeln {_where(first['loc'])} {what}"
            + (f" (och {more} fel till)" if more else "") + ".", source=source,
            hint="Filen är ändrad för hand eller skadad: kör `tillit analyse` igen.") from None


def main() -> None:
    print(schema_text(), end="")


if __name__ == "__main__":
    main()
