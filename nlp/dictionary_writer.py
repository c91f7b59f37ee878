"""Write simplemma's decoded dictionaries to the cache folder (run as its own process).

    python .../tillit/nlp/dictionary_writer.py FOLDER VERSION LANG [LANG ...]

simplemma ships each language's dictionary front-coded and lzma-compressed; decoding the
Swedish one takes about a second of pure Python on every run that meets a new word. This
script decodes them once and writes them with ``marshal``, which loads in about a third of
that. ``tillit.nlp.cache.start_dictionary_writer`` runs it beside a command, on the other
core, while the command imports and reads its input; the command then loads the file.

Run by path (not ``-m``), so that it imports simplemma and the standard library only, not
the ``tillit.nlp`` package. Each file is written to a temporary name and renamed, so a
reader sees a whole file or none. The files hold simplemma's data and nothing of the user's.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path

FORMAT = 1  # bump when the file's layout changes


def file_name(version: str, lang: str) -> str:
    return f"simplemma-{version}-{lang}-dictionary-v{FORMAT}.marshal"


def decoded(lang: str) -> dict[bytes, bytes]:
    """simplemma's dictionary for ``lang`` as the bytes → bytes dict it decodes to."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)  # simplemma 2.0's MappingStrToByteString holds it
    if isinstance(raw, dict):
        return raw
    return {key.encode(): mapping[key].encode() for key in mapping}


def write(folder: Path, version: str, lang: str) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / file_name(version, lang)
    payload = marshal.dumps((FORMAT, version, lang, decoded(lang)))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    folder, version, langs = Path(argv[0]), argv[1], argv[2:]
    for lang in langs:
        write(folder, version, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
