"""Build ``data/names_world.txt``: first names and surnames of many origins for redaction.

    python -m tillit.nlp.names_build [--check]

Source: every Latin-script person-name list that Faker ships (its ``person`` providers,
86 locales: Vietnamese, Finnish, Polish, Turkish, Nigerian, Kenyan, Pakistani, Indian
…), with accents also stripped ("Nguyễn" → "Nguyen").  Left out: names of two letters
or fewer, names already in Faker's sv_SE lists (``tillit.nlp.redact`` handles those), and every
name that is a Swedish or English word in simplemma's dictionaries ("Lan", "Will",
"Park", "Lean"), so that a word is never redacted for being a name somewhere.  The file
is sorted and deterministic; ``--check`` fails when it is out of date.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

import click

OUT = Path(__file__).resolve().parent / "data" / "names_world.txt"
LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ][a-zß-öø-ÿĀ-ſḀ-ỿ'-]+")


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _faker_names() -> set[str]:
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr, value in vars(provider).items():
            # first_names, last_names_female, unisex_last_names, middle_names …
            if "name" not in attr or attr.startswith("_") or "format" in attr or "prefix" in attr \
                    or "suffix" in attr:
                continue
            if isinstance(value, dict):
                value = value.keys()
            if not isinstance(value, (list, tuple, set, frozenset, type({}.keys()))):
                continue
            for raw in value:
                for part in str(raw).split():
                    if LATIN_NAME.fullmatch(part):
                        names.add(part)
                        names.add(_strip_accents(part))
    return names


def build() -> list[str]:
    from faker.providers.person.sv_SE import Provider as Swedish
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    words = [factory.get_dictionary("sv"), factory.get_dictionary("en")]
    swedish = set(Swedish.first_names_female) | set(Swedish.first_names_male) | set(Swedish.last_names)
    keep = []
    for name in _faker_names():
        if len(name) <= 2 or name in swedish or not LATIN_NAME.fullmatch(name):
            continue
        lower = name.lower()
        if any(lower in d for d in words) or any(p in d for p in lower.split("-") for d in words):
            continue
        keep.append(name)
    return sorted(keep)


@click.command()
@click.option("--check", is_flag=True, help="Jämför med den sparade filen i stället för att skriva.")
def main(check: bool) -> None:
    """Bygg listan med namn från många språk (Fakers listor minus svenska och engelska ord)."""
    text = "\n".join(build()) + "\n"
    if check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        click.echo("Namnlistan stämmer." if same else "Namnlistan är inaktuell: kör python -m tillit.nlp.names_build.")
        raise SystemExit(0 if same else 1)
    OUT.write_text(text, encoding="utf-8")
    click.echo(f"{text.count(chr(10))} namn. Skrev {OUT}.")


if __name__ == "__main__":
    main()
