"""YAML loading for the package's data files (instrument, taxonomies, lexicons).

Uses libyaml's C loader when PyYAML was built with it (several times faster than the
pure-Python loader; same safe subset of YAML), the pure-Python safe loader otherwise.
"""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """Parse YAML text with the safe loader (raises yaml.YAMLError with a problem mark)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
