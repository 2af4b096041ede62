"""Load a content pack from a folder of TOML files, reporting every mistake at once.

`load_pack(folder, vocabulary)` reads each file, validates it with the models in
`game.content.models`, then checks the references between files (a scenario naming a provider that
does not exist, an event testing an unknown metric). Nothing is returned half-loaded: any problem
raises `ContentError` with all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import tomli
from pydantic import BaseModel, ValidationError

from game.content.keylines import key_lines, line_for
from game.content.models import (
    CapacityOption,
    Difficulty,
    Event,
    Investor,
    Pack,
    Provider,
    Rules,
    Scenario,
    Term,
)
from game.content.problems import ContentError, Problem

MAX_FILE_BYTES = 2_000_000
"""A content file larger than this is refused (it is certainly not hand-written)."""


@dataclass(frozen=True)
class Vocabulary:
    """The names event conditions and effects may use, and the operations each target allows."""

    metrics: frozenset[str]
    targets: dict[str, frozenset[str]] = field(default_factory=dict)


# file name -> (top-level key or None for the whole file, model)
COLLECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "providers.toml": ("provider", Provider),
    "investors.toml": ("investor", Investor),
    "capacity.toml": ("option", CapacityOption),
    "difficulty.toml": ("level", Difficulty),
    "events.toml": ("event", Event),
    "glossary.toml": ("term", Term),
}


def default_content_dir() -> Path:
    """The content pack shipped with the game: the package `game.pack` (the project's top-level
    `content/` folder, mapped into the package when it is installed)."""
    return Path(str(resources.files("game.pack")))


def _fmt_loc(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _describe(error: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "missing":
        return "this key is required but missing"
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; unknown keys are not allowed)"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "bool_type"):
        expected = {"float": "a number", "int": "a whole number", "bool": "true or false"}
        what = expected[kind.split("_")[0]]
        return f"expected {what}, found {given!r}"
    if kind in ("string_type",):
        return f"expected text in quotes, found {given!r}"
    if kind in ("list_type",):
        return f"expected a list [...], found {given!r}"
    if kind in ("model_type", "dict_type"):
        return f"expected a table of keys, found {given!r}"
    msg = str(error.get("msg", kind))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if given is not None and not isinstance(given, (dict, list)):
        return f"{msg} (found {given!r})"
    return msg


def _nonfinite(data: Any, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Locations of NaN or infinite numbers (TOML allows `nan` and `inf`; the game does not)."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(data, float) and not math.isfinite(data):
        found.append(loc)
    elif isinstance(data, dict):
        for k, v in data.items():
            found += _nonfinite(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _nonfinite(v, (*loc, i))
    return found


class _Reader:
    """Reads files of one pack, collecting problems and key-line indexes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.lines: dict[str, dict[tuple[str | int, ...], int]] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.folder.parent))
        except ValueError:
            return str(path)

    def add(self, file: str, loc: tuple[str | int, ...], message: str) -> None:
        line = line_for(self.lines.get(file, {}), loc)
        self.problems.append(Problem(file, _fmt_loc(loc), message, line))

    def read(self, path: Path) -> dict[str, Any] | None:
        name = self.rel(path)
        if not path.is_file():
            self.problems.append(Problem(name, "", "file is missing from the content pack"))
            return None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.problems.append(Problem(name, "", f"file is larger than {MAX_FILE_BYTES:,} bytes; refused"))
                return None
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is allowed
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(name, "", f"file is not UTF-8 text ({exc.reason})"))
            return None
        except OSError as exc:
            self.problems.append(Problem(name, "", f"cannot read the file ({exc.strerror})"))
            return None
        self.lines[name] = key_lines(text)
        try:
            data: dict[str, Any] = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            msg = getattr(exc, "msg", str(exc))
            lineno = getattr(exc, "lineno", None)
            self.problems.append(Problem(name, "", f"not valid TOML: {msg}", lineno))
            return None
        except RecursionError:
            self.problems.append(Problem(name, "", "not valid TOML: arrays or tables nested far too deeply"))
            return None
        for loc in _nonfinite(data):
            self.add(name, loc, "numbers must be finite (nan and inf are not allowed)")
        return data

    def validate(self, name: str, model: type[BaseModel], data: Any, prefix: tuple[str | int, ...] = ()) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                self.add(name, (*prefix, *err["loc"]), _describe(err))
            return None


def _check_unique(reader: _Reader, file: str, key: str, items: list[Any], attr: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            reader.add(file, (key, i, attr), f"duplicate {attr} {value!r}")
        seen.add(value)


def load_pack(folder: Path | str | None = None, vocabulary: Vocabulary | None = None) -> Pack:
    """Load and cross-check the pack in `folder`; raise `ContentError` listing every problem."""
    folder = Path(folder) if folder is not None else default_content_dir()
    reader = _Reader(folder)
    if not folder.is_dir():
        raise ContentError([Problem(str(folder), "", "content folder does not exist")])

    rules: Rules | None = None
    data = reader.read(folder / "model.toml")
    if data is not None:
        rules = reader.validate(reader.rel(folder / "model.toml"), Rules, data)

    parsed: dict[str, list[Any]] = {}
    # ids written in each file, valid or not, so that one bad entry is reported once and not again
    # by every reference to it; None when the file itself could not be read
    written: dict[str, set[str] | None] = {}
    for filename, (key, model) in COLLECTIONS.items():
        path = folder / filename
        name = reader.rel(path)
        data = reader.read(path)
        items: list[Any] = []
        written[filename] = None
        if data is not None:
            raw = data.get(key, [])
            written[filename] = (
                {str(e.get("id")) for e in raw if isinstance(e, dict)} if isinstance(raw, list) else None
            )
            extra = sorted(set(data) - {key})
            for k in extra:
                reader.add(name, (k,), f"unknown top-level key; this file holds [[{key}]] tables")
            entries = data.get(key, [])
            if not isinstance(entries, list):
                reader.add(name, (key,), f"expected a list of [[{key}]] tables")
                entries = []
            for i, entry in enumerate(entries):
                item = reader.validate(name, model, entry, (key, i))
                if item is not None:
                    items.append(item)
            if not entries:
                reader.add(name, (key,), f"no [[{key}]] entries found")
        parsed[filename] = items

    scenarios: list[Scenario] = []
    scenario_files: dict[str, str] = {}
    scen_dir = folder / "scenarios"
    paths = sorted(scen_dir.glob("*.toml")) if scen_dir.is_dir() else []
    if not paths:
        reader.problems.append(Problem(reader.rel(scen_dir), "", "no scenario files (*.toml) found"))
    for path in paths:
        data = reader.read(path)
        if data is None:
            continue
        scenario = reader.validate(reader.rel(path), Scenario, data)
        if scenario is not None:
            if scenario.id in scenario_files:
                reader.add(
                    reader.rel(path),
                    ("id",),
                    f"scenario id {scenario.id!r} is also used by {scenario_files[scenario.id]}",
                )
            scenario_files[scenario.id] = reader.rel(path)
            scenarios.append(scenario)

    providers: list[Provider] = parsed["providers.toml"]
    investors: list[Investor] = parsed["investors.toml"]
    capacity: list[CapacityOption] = parsed["capacity.toml"]
    difficulties: list[Difficulty] = parsed["difficulty.toml"]
    events: list[Event] = parsed["events.toml"]
    glossary: list[Term] = parsed["glossary.toml"]

    rel = reader.rel
    _check_unique(reader, rel(folder / "providers.toml"), "provider", providers, "id")
    _check_unique(reader, rel(folder / "investors.toml"), "investor", investors, "id")
    _check_unique(reader, rel(folder / "capacity.toml"), "option", capacity, "id")
    _check_unique(reader, rel(folder / "difficulty.toml"), "level", difficulties, "id")
    _check_unique(reader, rel(folder / "events.toml"), "event", events, "id")
    _check_unique(reader, rel(folder / "glossary.toml"), "term", glossary, "term")

    _check_capacity(reader, rel(folder / "capacity.toml"), capacity)
    _check_events(reader, rel(folder / "events.toml"), events, vocabulary)
    _check_glossary(reader, rel(folder / "glossary.toml"), glossary)
    if rules is not None and rules.bots is not None and written["investors.toml"] is not None:
        known = written["investors.toml"]
        for where, iid in rules.bots.investors():
            if iid not in known:
                reader.add(
                    rel(folder / "model.toml"), where, f"unknown investor {iid!r}; known: {', '.join(sorted(known))}"
                )
    for scenario in scenarios:
        _check_scenario(
            reader, scenario_files[scenario.id], scenario, written, capacity, vocabulary.metrics if vocabulary else None
        )

    if reader.problems:
        raise ContentError(reader.problems)
    assert rules is not None
    return Pack(
        rules=rules,
        providers=providers,
        investors=investors,
        capacity=capacity,
        difficulties=difficulties,
        events=events,
        glossary=glossary,
        scenarios=scenarios,
    )


def _check_capacity(reader: _Reader, file: str, options: list[CapacityOption]) -> None:
    kinds: list[str] = [o.kind for o in options]
    for kind in ("own_dc", "chips", "reserved", "spot"):
        if kind not in kinds and options:
            reader.add(file, ("option",), f"the pack needs an option of kind {kind!r}")
    for kind in ("reserved", "spot"):
        if kinds.count(kind) > 1:
            reader.add(file, ("option",), f"only one option of kind {kind!r} is allowed")


def _check_events(reader: _Reader, file: str, events: list[Event], vocab: Vocabulary | None) -> None:
    if vocab is None:
        return
    metrics = sorted(vocab.metrics)
    for i, event in enumerate(events):
        for j, cond in enumerate(event.when):
            if cond.metric not in vocab.metrics:
                reader.add(
                    file,
                    ("event", i, "when", j, "metric"),
                    f"event {event.id!r}: unknown metric {cond.metric!r}; known metrics: {', '.join(metrics)}",
                )
        for j, eff in enumerate(event.effects):
            ops = vocab.targets.get(eff.target)
            if ops is None:
                reader.add(
                    file,
                    ("event", i, "effects", j, "target"),
                    f"event {event.id!r}: unknown effect target {eff.target!r}; known targets: "
                    + ", ".join(sorted(vocab.targets)),
                )
            elif eff.op not in ops:
                reader.add(
                    file,
                    ("event", i, "effects", j, "op"),
                    f"event {event.id!r}: target {eff.target!r} allows {', '.join(sorted(ops))}, not {eff.op!r}",
                )


def _check_glossary(reader: _Reader, file: str, terms: list[Term]) -> None:
    names = {t.term.lower() for t in terms}
    for i, term in enumerate(terms):
        for j, other in enumerate(term.see_also):
            if other.lower() not in names:
                reader.add(
                    file, ("term", i, "see_also", j), f"{term.term!r} refers to {other!r}, which is not in the glossary"
                )


def _check_scenario(
    reader: _Reader,
    file: str,
    s: Scenario,
    written: dict[str, set[str] | None],
    capacity: list[CapacityOption],
    metrics: frozenset[str] | None = None,
) -> None:
    provider_ids = written["providers.toml"]
    investor_ids = written["investors.toml"]
    event_ids = written["events.toml"]
    options = written["capacity.toml"]
    own_ids = None
    if options is not None:
        valid = {o.id for o in capacity}
        own_ids = {o.id for o in capacity if o.kind in ("own_dc", "chips")} | (options - valid)

    def need(loc: tuple[str | int, ...], value: str, known: set[str] | None, what: str) -> None:
        if known is None:  # the file it refers to is already reported as unreadable
            return
        if value not in known:
            options = ", ".join(sorted(known)) or "none"
            reader.add(file, loc, f"unknown {what} {value!r}; known: {options}")

    for i, pid in enumerate(s.providers):
        need(("providers", i), pid, provider_ids, "provider")
    for i, iid in enumerate(s.investors):
        need(("investors", i), iid, investor_ids, "investor")
    if s.events != "all":
        for i, eid in enumerate(s.events):
            need(("events", i), eid, event_ids, "event")
    in_play = set(s.providers) & provider_ids if provider_ids is not None else None
    for i, r in enumerate(s.lab.reserved):
        need(("lab", "reserved", i, "provider"), r.provider, in_play, "provider (not in this scenario's providers)")
    for i, c in enumerate(s.lab.commitments):
        need(("lab", "commitments", i, "provider"), c.provider, in_play, "provider (not in this scenario's providers)")
    for key in s.lab.own_gw:
        need(("lab", "own_gw", key), key, own_ids, "owned capacity option")
    if investor_ids is not None and in_play is not None:
        holders = {"founders"} | (set(s.investors) & investor_ids) | in_play
        for key in s.lab.cap_table:
            need(("lab", "cap_table", key), key, holders, "cap-table holder")
    for i, pid in enumerate(s.lab.board_seats):
        need(("lab", "board_seats", i), pid, in_play, "provider")
    if s.lab.exclusive is not None:
        need(("lab", "exclusive"), s.lab.exclusive, in_play, "provider")
    for i, objective in enumerate(s.objectives):
        if objective.check is None:
            reader.add(file, ("objectives", i), "objective has no `check`: every objective is marked met or not met")
        else:
            if not objective.check.label:
                reader.add(file, ("objectives", i, "check", "label"), "the objective's check needs a `label`")
            for key, check in (("check", objective.check), ("also", objective.also)):
                if check is not None and metrics is not None and check.metric not in metrics:
                    reader.add(
                        file,
                        ("objectives", i, key, "metric"),
                        f"unknown metric {check.metric!r}; known metrics: {', '.join(sorted(metrics))}",
                    )
    ids: set[str] = set()
    for i, rival in enumerate(s.rivals):
        need(("rivals", i, "home_provider"), rival.home_provider, in_play, "provider")
        if rival.id in ids:
            reader.add(file, ("rivals", i, "id"), f"duplicate rival id {rival.id!r}")
        ids.add(rival.id)
