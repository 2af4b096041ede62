"""A key-path to line-number index for TOML text.

tomli reports lines for syntax errors only; a schema error found later by pydantic knows the key
path but not the line. This scanner reads the text once and remembers where each table and key
starts, including arrays of tables (`[[event]]`, `[[event.when]]`), so that a pydantic location
such as `("event", 3, "when", 0, "metric")` can be turned back into a line.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")

Path = tuple[str | int, ...]


def _split_dotted(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def key_lines(text: str) -> dict[Path, int]:
    """Map every table and key path in `text` to the line (1-based) where it starts."""
    index: dict[Path, int] = {}
    arrays: dict[Path, int] = {}
    table: Path = ()

    def resolve(names: list[str]) -> Path:
        out: list[str | int] = []
        for name in names:
            out.append(name)
            if tuple(out) in arrays:
                out.append(arrays[tuple(out)])
        return tuple(out)

    in_multiline = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            end = line.find("]]")
            names = _split_dotted(line[2:end])
            parent = resolve(names[:-1])
            key = (*parent, names[-1])
            arrays[key] = arrays.get(key, -1) + 1
            table = (*key, arrays[key])
            index.setdefault(table, lineno)
            index.setdefault(key, lineno)
        elif line.startswith("["):
            end = line.find("]")
            table = resolve(_split_dotted(line[1:end]))
            index.setdefault(table, lineno)
        else:
            match = _KEY.match(line)
            if match:
                index.setdefault((*table, *_split_dotted(match.group(1))), lineno)
                rest = line[match.end() :]
                if rest.count('"""') == 1 or rest.count("'''") == 1:
                    in_multiline = True
    return index


def line_for(index: dict[Path, int], loc: Path) -> int | None:
    """The line of `loc`, or of its nearest enclosing key that has one."""
    path = tuple(loc)
    while path:
        if path in index:
            return index[path]
        path = path[:-1]
    return None
