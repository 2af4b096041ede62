"""The `fortress` command: play (the default), simulate, content check, scenarios.

`main(argv)` returns an exit code. A problem the user can fix (a bad content file, an unknown
scenario) is printed as one paragraph on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from game import __version__


class UserError(Exception):
    """A mistake in the command or its inputs, explained in one paragraph."""


def _content(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from game.content.problems import ContentError
    from game.session.build import load_content

    folder = getattr(args, "content", None) or os.environ.get("FORTRESS_CONTENT")
    try:
        return load_content(folder)
    except ContentError as exc:
        raise UserError(exc.report()) from None


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.analysis.policies import POLICIES
    from game.analysis.simulate import simulate, table

    pack = _content(args)
    ids = [s.id for s in pack.scenarios]
    if args.scenario not in ids:
        raise UserError(f"Unknown scenario {args.scenario!r}. Scenarios in this pack: {', '.join(ids)}.")
    levels = [d.id for d in pack.difficulties]
    if args.difficulty not in levels:
        raise UserError(f"Unknown difficulty {args.difficulty!r}. Levels: {', '.join(levels)}.")
    names = list(POLICIES) if args.policy == "all" else [args.policy]
    for name in names:
        if name not in POLICIES:
            raise UserError(f"Unknown policy {name!r}. Policies: {', '.join(POLICIES)}, or all.")
    if args.games < 1:
        raise UserError("--games must be at least 1.")
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    summaries = simulate(args.scenario, names, args.games, args.seed, args.difficulty, args.content, jobs)
    if args.json:
        payload = {
            "scenario": args.scenario,
            "difficulty": args.difficulty,
            "games": args.games,
            "seed": args.seed,
            "policies": [s.to_json(args.per_game) for s in summaries],
        }
        print(json.dumps(payload, indent=2))
    else:
        print(f"Scenario {args.scenario}, difficulty {args.difficulty}, {args.games} games per policy, seeds {args.seed}..{args.seed + args.games - 1}")
        print(table(summaries))
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from game.content.loader import default_content_dir
    from game.content.problems import ContentError
    from game.session.build import load_content

    folder = Path(args.dir) if args.dir else default_content_dir()
    try:
        pack = load_content(folder)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(
        f"{folder}: OK. {len(pack.scenarios)} scenarios, {len(pack.providers)} providers, "
        f"{len(pack.investors)} investor types, {len(pack.capacity)} capacity options, "
        f"{len(pack.difficulties)} difficulty levels, {len(pack.events)} events, {len(pack.glossary)} glossary terms."
    )
    return 0


def cmd_content_names(args: argparse.Namespace) -> int:
    from game.engine.events import METRICS, TARGETS

    print("Metrics an event condition may test:")
    print("  " + ", ".join(METRICS))
    print("Targets an event effect may change (allowed operations):")
    for name, ops in TARGETS.items():
        print(f"  {name}: {', '.join(sorted(ops))}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from game.saves.errors import SaveError
    from game.saves.replay import check, load_game

    if args.check:
        failures = 0
        for path in args.saves:
            ok, line = check(path)
            print(line)
            failures += not ok
        return 1 if failures else 0
    if len(args.saves) != 1:
        raise UserError("Give one save to replay (or --check with any number of saves).")
    try:
        game = load_game(args.saves[0])
    except SaveError as exc:
        raise UserError(str(exc)) from None
    print(f"{game.lab_name}: {game.scenario.name} ({game.scenario.id}), {game.difficulty_id}, seed {game.seed}")
    for record in game.turns:
        report = record.report
        print(f"\n== {report.quarter} ==")
        for action in record.actions:
            print(f"  > {action.describe()}")
        for item in report.items:
            print(f"  {item.title}: {item.text}")
            if item.teaching:
                print(f"    ({item.teaching})")
    if game.over:
        summary = game.summary()
        print(f"\nOutcome: {summary.title}. Score {summary.score:.1f}.")
    else:
        print(f"\nIn progress at {game.quarter_label()}.")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    pack = _content(args)
    for s in pack.scenarios:
        print(f"{s.id:<16} {s.name} ({s.quarters} quarters from {s.start_label})")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    parser = build_parser()
    parser.print_help()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fortress",
        description="Fortress: run a frontier AI lab quarter by quarter. With no command, the game starts.",
    )
    parser.add_argument("--version", action="version", version=f"fortress {__version__}")
    parser.add_argument("--content", help="content pack folder (default: the bundled content/, or $FORTRESS_CONTENT)")
    parser.add_argument("--saves", help="save folder (default: $FORTRESS_SAVES, or saves/ in the current folder)")
    sub = parser.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play the game (the default)")
    play.set_defaults(func=cmd_play)

    sim = sub.add_parser("simulate", help="play many games with bot policies and summarise them")
    sim.add_argument("--scenario", required=True)
    sim.add_argument("--policy", default="all", help="a policy name or all")
    sim.add_argument("--games", type=int, default=100)
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--difficulty", default="normal")
    sim.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    sim.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sim.add_argument("--per-game", action="store_true", help="with --json, include every game's result")
    sim.set_defaults(func=cmd_simulate)

    content = sub.add_parser("content", help="work with content packs")
    csub = content.add_subparsers(dest="content_command", required=True)
    check = csub.add_parser("check", help="validate a content pack and list every problem")
    check.add_argument("dir", nargs="?", help="the pack folder (default: the bundled content/)")
    check.set_defaults(func=cmd_content_check)
    names = csub.add_parser("names", help="list the metrics and targets events may use")
    names.set_defaults(func=cmd_content_names)

    replay = sub.add_parser("replay", help="replay a saved game, or verify saves with --check")
    replay.add_argument("saves", nargs="+", metavar="SAVE")
    replay.add_argument("--check", action="store_true", help="verify each save headlessly: one line per file, exit 1 if any fails")
    replay.set_defaults(func=cmd_replay)

    scen = sub.add_parser("scenarios", help="list the scenarios")
    scen.set_defaults(func=cmd_scenarios)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_play)
    try:
        return int(func(args))
    except UserError as exc:
        print(f"fortress: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
