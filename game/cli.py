"""The `fortress` command: play (the default), simulate, content check, scenarios.

`main(argv)` returns an exit code. A problem the user can fix (a bad content file, an unknown
scenario, a bad argument) is printed as one line on stderr with exit code 2, never as a
traceback; `--debug` adds the traceback of an unexpected failure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from game import __version__

if TYPE_CHECKING:  # the command loads these on use: `fortress` starts without them
    from game.analysis.debrief import ClassDebrief
    from game.session.game import Game


class UserError(Exception):
    """A mistake in the command or its inputs, explained in one paragraph."""


def _quoted(text: str) -> str:
    """A value the user gave, quoted for a message (control characters made safe)."""
    from game.content.names import plain

    return "'" + plain(text, 80) + "'"


def _name(value: str, option: str, limit: int) -> str:
    """A name given on the command line, checked as the game checks a typed one."""
    from game.content.names import BadName, check_name

    try:
        return check_name(value, option, limit)
    except BadName as exc:
        raise UserError(str(exc)) from None


def _write_out(path: Path, text: str) -> None:
    """Write a file the user asked for, atomically; a failure is a UserError naming the file."""
    from game.saves.store import atomic_write

    if path.is_dir():
        raise UserError(f"{_quoted(str(path))} is a folder; give a file name.")
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            f"Cannot write {_quoted(str(path))}: {(exc.strerror or 'the system refused').lower()}."
        ) from None


def _content(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from game.content.problems import ContentError
    from game.session.build import load_content

    folder = getattr(args, "content", None) or os.environ.get("FORTRESS_CONTENT")
    try:
        return load_content(folder)
    except ContentError as exc:
        raise UserError(exc.report()) from None


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.analysis.policies import POLICIES, TRIALS
    from game.analysis.simulate import save_games, simulate, table

    pack = _content(args)
    code = None
    if args.workshop:
        from game.content.workshop import join_code

        if args.sweep:
            raise UserError("--workshop and --sweep do not go together.")
        workshop = _workshop(args, args.workshop, pack)
        args.scenario, args.difficulty, args.seed = workshop.scenario, workshop.difficulty, workshop.seed
        args.turns = workshop.quarters if workshop.quarters is not None else args.turns
        code = join_code(workshop)
        if args.games not in (None, 1):
            raise UserError("A workshop is one world: with --workshop each bot plays it once (leave out --games).")
        args.games = 1
    elif args.games is None:
        args.games = 100
    if args.scenario is None:
        raise UserError("Name a --scenario (or a --workshop).")
    ids = [s.id for s in pack.scenarios]
    if args.scenario not in ids:
        raise UserError(f"Unknown scenario {args.scenario!r}. Scenarios in this pack: {', '.join(ids)}.")
    levels = [d.id for d in pack.difficulties]
    if args.difficulty not in levels:
        raise UserError(f"Unknown difficulty {args.difficulty!r}. Levels: {', '.join(levels)}.")
    names = list(POLICIES) if args.policy == "all" else [n.strip() for n in args.policy.split(",") if n.strip()]
    for name in names:
        if name not in POLICIES and name not in TRIALS:
            raise UserError(
                f"Unknown policy {name!r}. Policies: {', '.join(POLICIES)}, or all; "
                f"loophole and search players, by name: {', '.join(TRIALS)}."
            )
    if args.games < 1:
        raise UserError("--games must be at least 1.")
    if args.jobs > 0:  # the batches' helper processes follow --jobs
        from game.analysis.parallel import ENV

        os.environ[ENV] = str(args.jobs)
    if args.sweep:
        from game.analysis.simulate import SweepError, sweep, sweep_table

        key, _, values = args.sweep.partition("=")
        choices = [v.strip() for v in values.split(",") if v.strip()]
        if not key or not choices:
            raise UserError(
                "--sweep takes KEY=V1,V2,... (KEY is difficulty, a rules value such as rounds.ask_slope, or scenario.market.growth)."
            )
        if key == "difficulty":
            for level in choices:
                if level not in levels:
                    raise UserError(f"Unknown difficulty {level!r} in --sweep. Levels: {', '.join(levels)}.")
        try:
            rows = sweep(args.scenario, names, args.games, key, choices, args.seed, args.difficulty, pack)
        except SweepError as exc:
            raise UserError(str(exc)) from None
        if args.json:
            print(
                json.dumps(
                    {"sweep": key, "rows": [{"value": v, "policies": [s.to_json() for s in ss]} for v, ss in rows]},
                    indent=2,
                )
            )
        else:
            print(
                f"Scenario {args.scenario}, {args.games} games per policy and value, seeds {args.seed}..{args.seed + args.games - 1}"
            )
            print(sweep_table(key, rows))
        return 0
    if args.turns is not None and args.turns < 1:
        raise UserError("--turns must be at least 1.")
    summaries = simulate(
        args.scenario, names, args.games, args.seed, args.difficulty, args.content, pack=pack, quarters=args.turns
    )
    if args.save_dir:
        seeds = list(range(args.seed, args.seed + args.games))
        paths = save_games(pack, args.scenario, names, seeds, args.save_dir, args.difficulty, args.turns, code)
        print(f"Wrote {len(paths)} saves to {args.save_dir} (one per bot and seed).", file=sys.stderr)
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
        print(
            f"Scenario {args.scenario}, difficulty {args.difficulty}, {args.games} games per policy, seeds {args.seed}..{args.seed + args.games - 1}"
        )
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
    from game.analysis.smoke import QUARTERS, play_check

    problems = play_check(pack)
    if problems:
        print(ContentError(problems).report(), file=sys.stderr)
        print(
            f"The pack is valid file by file, but its scenarios do not play for {QUARTERS} quarters as above.",
            file=sys.stderr,
        )
        return 1
    print(
        f"{folder}: OK. {len(pack.scenarios)} scenarios, {len(pack.providers)} providers, "
        f"{len(pack.investors)} investor types, {len(pack.capacity)} capacity options, "
        f"{len(pack.difficulties)} difficulty levels, {len(pack.events)} events, {len(pack.glossary)} glossary terms; "
        f"every scenario plays {QUARTERS} quarters at every level."
    )
    return 0


def cmd_content_names(args: argparse.Namespace) -> int:
    from game.engine.events import METRICS, TARGETS

    print("Metrics an event condition or a learning objective's check may test:")
    print("  " + ", ".join(METRICS))
    print("Targets an event effect may change (allowed operations):")
    for name, ops in TARGETS.items():
        print(f"  {name}: {', '.join(sorted(ops))}")
    return 0


def _check_paths(values: Sequence[str]) -> list[Path]:
    """The files `replay --check` checks: each SAVE, or every `*.json` in a SAVE that is a folder
    (a folder named like a save, `x.json`, is checked as the file it pretends to be)."""
    from game.saves.load import save_files

    out: list[Path] = []
    for value in values:
        path = Path(value)
        if path.is_dir() and path.suffix.lower() != ".json":
            out += save_files(path)
        else:
            out.append(path)
    return out


def cmd_replay(args: argparse.Namespace) -> int:
    from game.saves.errors import SaveError
    from game.saves.replay import check, load_game

    if args.check:
        from game.saves.trust import Reference

        reference = Reference(_content(args), name="this copy's content pack")
        failures = 0
        paths = _check_paths(args.save_files)
        for path in paths:
            ok, line = check(path, reference)
            print(line)
            failures += not ok
        if not paths:
            print("no save to check")
        return 1 if failures else 0
    text = args.text or not sys.stdout.isatty()
    if len(args.save_files) > (1 if text else 2):
        raise UserError(
            "Give one save to replay, or two saves of the same world to compare (on a terminal); "
            "--check takes any number of saves."
        )
    if not text:
        return _replay_screen(args)
    try:
        game = load_game(args.save_files[0])
    except SaveError as exc:
        raise UserError(str(exc)) from None
    from game.content.names import plain

    print(plain(f"{game.lab_name}: {game.scenario.name} ({game.scenario.id}), {game.difficulty_id}, seed {game.seed}"))
    for record in game.turns:
        report = record.report
        print(f"\n== {report.quarter} ==")
        for action in record.actions:
            print(plain(f"  > {game.describe(action)}"))
        for item in report.items:
            print(plain(f"  {item.title}: {item.text}"))
            if item.teaching:
                print(plain(f"    ({item.teaching})"))
    if game.over:
        summary = game.summary()
        print(f"\nOutcome: {summary.title}. Final score {summary.score:.1f}. {summary.scale}")
    else:
        print(f"\nIn progress at {game.quarter_label()}.")
    return 0


def _replay_screen(args: argparse.Namespace) -> int:
    """`fortress replay SAVE [SAVE]` on a terminal: the replay screen, or the comparison of two."""
    from game.saves.errors import SaveError
    from game.saves.load import read_save
    from game.saves.replay import restore
    from game.ui.app import make_app
    from game.ui.screens.compare import same_world

    saves = []
    for path in args.save_files:
        try:
            save = read_save(path)
            restore(save, path)
        except SaveError as exc:
            raise UserError(str(exc)) from None
        saves.append(save)
    if len(saves) == 2 and (problem := same_world(*saves)):
        raise UserError(problem)
    make_app(_content(args), saves=args.saves, replay=tuple(args.save_files)).run()
    return 0


def cmd_workshop_new(args: argparse.Namespace) -> int:
    import secrets

    from game.content.fingerprint import fingerprint
    from game.content.names import MAX_TITLE, plain
    from game.content.problems import ContentError
    from game.content.workshop import MAX_QUARTERS, MAX_SEED, Workshop, check_workshop, join_code, workshop_toml

    pack = _content(args)
    title = _name(args.title, "--title", MAX_TITLE)
    if args.turns is not None and not 1 <= args.turns <= MAX_QUARTERS:
        raise UserError(f"--turns must be between 1 and {MAX_QUARTERS}.")
    if len(args.notes) > 4000:
        raise UserError("--notes must be at most 4,000 characters.")
    seed = args.seed if args.seed is not None else secrets.randbelow(MAX_SEED + 1)
    if not 0 <= seed <= MAX_SEED:
        raise UserError(f"--seed must be between 0 and {MAX_SEED} so that it fits in a join code.")
    ids = [s.id for s in pack.scenarios]
    if args.scenario not in ids:
        raise UserError(f"--scenario: unknown scenario {_quoted(args.scenario)}; known: {', '.join(ids)}")
    levels = [d.id for d in pack.difficulties]
    if args.difficulty not in levels:
        raise UserError(f"Unknown difficulty {_quoted(args.difficulty)}. Levels: {', '.join(levels)}.")
    workshop = Workshop(
        title=title,
        scenario=args.scenario,
        difficulty=args.difficulty,
        seed=seed,
        quarters=args.turns,
        notes=args.notes,
        fingerprint=fingerprint(pack, args.scenario),
    )
    try:
        check_workshop(workshop, pack, "the command line")
    except ContentError as exc:
        raise UserError(exc.report()) from None
    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists; choose another --out or add --force to replace it.")
    _write_out(out, workshop_toml(workshop))
    scenario = pack.scenario(workshop.scenario)
    quarters = workshop.quarters or scenario.quarters
    print(
        plain(f"Workshop written to {out}: {scenario.name}, {workshop.difficulty}, seed {seed}, {quarters} quarters.")
    )
    print(f"Join code: {join_code(workshop)}")
    print(plain(f"Teams start with: fortress play --workshop {join_code(workshop)}   (or --workshop {out})"))
    return 0


def _class_reference(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The world and the content a class's saves are checked against: the workshop's if given
    (its file records its pack's fingerprint), else this copy's pack and the world most saves share."""
    from game.saves.classroom import WorldKey
    from game.saves.trust import Reference

    pack = _content(args)
    if not getattr(args, "workshop", None):
        return None, Reference(pack, name="this copy's content pack"), None
    workshop = _workshop(args, args.workshop, pack)
    world = WorldKey(workshop.scenario, workshop.difficulty, workshop.seed, workshop.quarters)
    return world, Reference(pack, workshop.fingerprint, "the workshop's pack"), workshop


def cmd_workshop_key(args: argparse.Namespace) -> int:
    from game.analysis.key import answer_key

    pack = _content(args)
    workshop = _workshop(args, args.workshop, pack)
    rollouts = _rollouts(args.rollouts, pack.rules.judgement.live_rollouts)
    text = answer_key(pack, workshop, rollouts, progress=_judging_bar("the reference player"))
    if args.out:
        out = Path(args.out)
        _write_out(out, text)
        print(f"Answer key written to {_quoted(str(out))}.")
    else:
        print(text, end="")
    return 0


def cmd_workshop_status(args: argparse.Namespace) -> int:
    import math
    import time

    from game.saves.classroom import Replays, class_status, status_table

    folder = Path(args.saves_dir)
    if not folder.is_dir():
        raise UserError(f"{_quoted(str(folder))} is not a folder of saves.")
    if not math.isfinite(args.interval) or not 0.2 <= args.interval <= 3600:
        raise UserError("--interval must be between 0.2 and 3600 seconds.")
    world, reference, _ = _class_reference(args)
    replays: Replays = {}
    while True:
        rows, skipped = class_status(folder, reference, world, replays)
        text = status_table(rows, skipped)
        if not args.watch:
            print(text)
            return 0
        print(
            "\033[2J\033[H" + time.strftime("%H:%M:%S") + f"  {_quoted(str(folder))}  (Ctrl+C to stop)\n" + text,
            flush=True,
        )
        time.sleep(args.interval)


def cmd_debrief(args: argparse.Namespace) -> int:
    from game.analysis.debrief import class_debrief
    from game.analysis.exports import to_csv, to_html, to_markdown
    from game.content.names import MAX_TITLE, plain
    from game.saves.classroom import collect_games

    folder = Path(args.saves_dir)
    if not folder.is_dir():
        raise UserError(f"{_quoted(str(folder))} is not a folder of saves.")
    title = _name(args.title, "--title", MAX_TITLE) if args.title is not None else None
    if args.out and Path(args.out).suffix.lower() not in (".html", ".htm", ".md", ".csv"):
        raise UserError(f"--out must end in .html, .md or .csv (got {_quoted(Path(args.out).name)}).")
    world, reference, workshop = _class_reference(args)
    if workshop is not None:
        title = title or workshop.title
    games, skipped = collect_games(folder, world, reference)
    if not games:
        reasons = "; ".join(s.line() for s in skipped) or "the folder has no saves"
        raise UserError(f"No game in {_quoted(str(folder))} could be used for a debrief: {reasons}")
    debrief = class_debrief(
        [(g, p.name) for g, p in games],
        [(s.path.name, s.reason) for s in skipped if not s.flagged],
        title or "Class debrief",
        flagged=[(s.path.name, s.reason) for s in skipped if s.flagged],
    )
    interactive = not (args.out or args.text or not sys.stdout.isatty())
    if args.judge and not interactive:
        from game.analysis.debrief import with_decisions
        from game.analysis.judge import Memo
        from game.analysis.judged import judged as judged_once

        rules = games[0][0].pack.rules.judgement
        rollouts = _rollouts(args.rollouts, rules.analyse_rollouts)
        todo = [(g, p) for g, p in games if g.turns]
        judged = {}
        memo: Memo = {}  # teams of one world share their opening: each position is judged once
        stored = 0
        for k, (g, p) in enumerate(todo):
            bar = _class_bar(k, len(todo), stored, g.lab_name)
            judged[p.name], was_stored = judged_once(g, p, g.pack.rules.judgement, rollouts, 0, bar, memo=memo)
            stored += was_stored
        _class_bar(len(todo), len(todo), stored, "")(1, 1)
        debrief = with_decisions(debrief, judged, [g.lab_name for g, _ in games if not g.turns])
    elif not interactive:
        debrief = _stored_decisions(debrief, games, args.rollouts)
    if args.out:
        from game.session.wording import plural

        out = Path(args.out)
        writers = {".html": to_html, ".htm": to_html, ".md": to_markdown, ".csv": to_csv}
        if args.team_pages and out.suffix.lower() in (".html", ".htm"):
            text = to_html(debrief, team_pages=True)
        elif args.team_pages:
            raise UserError("--team-pages goes with an HTML report (--out report.html).")
        else:
            text = writers[out.suffix.lower()](debrief)
        _write_out(out, text)
        flagged = sum(s.flagged for s in skipped)
        print(
            f"Wrote {plain(out)}: {plural(len(debrief.teams), 'team')}, "
            f"{plural(len(skipped) - flagged, 'file')} skipped, {flagged} flagged."
        )
        for s in skipped:
            print(f"  {s.line()}")
        return 0
    if not interactive:
        print(to_markdown(debrief))
        return 0
    from game.analysis.debrief import ClassRoom
    from game.ui.app import make_app

    if args.rollouts is not None:
        _rollouts(args.rollouts, 0)  # refuse a bad --rollouts now, not when judging starts
    classroom = ClassRoom(folder, debrief, {p.name: g for g, p in games}, args.rollouts, judge_now=args.judge)
    make_app(_content(args), saves=folder, classroom=classroom).run()
    return 0


def _stored_decisions(debrief: ClassDebrief, games: list[tuple[Game, Path]], rollouts: int | None) -> ClassDebrief:
    """The debrief with the class's stored judgements, when every team that played has one."""
    from game.analysis.debrief import with_decisions
    from game.analysis.judged import key_of, load

    found = {}
    for g, p in games:
        if g.turns:
            rules = g.pack.rules.judgement
            result = load(p, key_of(g, rules, _rollouts(rollouts, rules.analyse_rollouts), 0, True))
            if result is None:
                return debrief
            found[p.name] = result
    return with_decisions(debrief, found, [g.lab_name for g, _ in games if not g.turns]) if found else debrief


def _workshop(args: argparse.Namespace, value: str, pack=None):  # type: ignore[no-untyped-def]
    """A workshop from a file path or a join code (checked against `pack`, else the --content pack)."""
    from game.content.problems import ContentError
    from game.content.workshop import JoinCodeError, check_workshop, load_workshop, parse_code

    if pack is None:
        pack = _content(args)
    path = Path(value)
    try:
        if path.suffix.lower() == ".toml" or path.exists():
            workshop = load_workshop(path)
            check_workshop(workshop, pack, str(path))
            return workshop
        # a code has no room for a title: a workshop file of the same world here, or in the save
        # folder, gives it its title
        from game.content.workshop import titled
        from game.saves.store import default_folder

        return titled(parse_code(value, pack), [Path.cwd(), default_folder(getattr(args, "saves", None))])
    except ContentError as exc:
        raise UserError(exc.report()) from None
    except JoinCodeError as exc:
        raise UserError(str(exc)) from None


def _judging_bar(team: str) -> Callable[[int, int], None]:
    """A progress bar on the terminal (stderr) while a team's quarters are judged."""
    from game.content.names import plain

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            width = 30
            filled = int(width * done / max(total, 1))
            print(
                f"\rJudging {plain(team, 40)}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} quarters",
                end="",
                file=sys.stderr,
                flush=True,
            )
            if done == total:
                print(file=sys.stderr)

    return progress


def _class_bar(done: int, teams: int, stored: int, team: str) -> Callable[[int, int], None]:
    """A progress bar on the terminal (stderr) while a class is judged: the teams judged so far
    (and how many of them were read from their stored judgements), and the team under way."""

    def progress(quarter: int, quarters: int) -> None:
        if not sys.stderr.isatty():
            return
        width = 30
        filled = int(width * (done + quarter / max(quarters, 1)) / max(teams, 1))
        line = f"\rJudging the class: [{'#' * filled}{'.' * (width - filled)}] {done}/{teams} teams"
        if stored:
            line += f" ({stored} stored)"
        line += f", {team}: {quarter}/{quarters} quarters settled" if done < teams else ""
        print(line.ljust(100), end="" if done < teams else "\n", file=sys.stderr, flush=True)

    return progress


def _rollouts(value: int | None, default: int) -> int:
    """Futures per evaluation: `value` from --rollouts, else the content's default."""
    rollouts = default if value is None else value
    if rollouts < 10:
        raise UserError("--rollouts must be at least 10.")
    return rollouts


def cmd_analyse(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from game.analysis.judge import BASELINE
    from game.analysis.judged import judged
    from game.content.names import plain
    from game.saves.errors import SaveError
    from game.saves.replay import load_game

    try:
        game = load_game(args.save)
    except SaveError as exc:
        raise UserError(str(exc)) from None
    if not game.turns:
        raise UserError(f"{args.save} has no finished quarter to analyse yet.")
    rules = game.pack.rules.judgement
    rollouts = _rollouts(args.rollouts, rules.analyse_rollouts)

    result, _ = judged(game, Path(args.save), rules, rollouts, args.seed, _judging_bar(game.lab_name))
    if args.json:
        data = asdict(result)
        data["worst_first"] = [t.turn for t in result.worst_first()]
        print(json.dumps(data, indent=2))
        return 0
    print(
        plain(
            f"{result.lab} in {game.scenario.name}: {len(result.turns)} quarters judged with {rollouts:,} futures each."
        )
    )
    from game.session.wording import SCORE_EXPECTED, SCORE_FINAL, score_scale, signed

    final = SCORE_FINAL if result.over else f"{SCORE_EXPECTED} now"
    print(
        f"{final} {result.final_score:.1f} = expected at the start {result.start:.1f}"
        f" + your decisions {signed(result.decisions_total)} + the dice {signed(result.luck_total)}"
        f" (Monte Carlo error ±{result.error:.1f})."
    )
    print(BASELINE)
    print(score_scale(float(game.params.outcomes.multiplier.max())))
    print()
    for t in result.worst_first():
        print(
            f"{t.quarter}  {t.label.upper():<10} gave up {t.cost:.1f} points against the engine's best alternative"
            f" (±{t.cost_se:.1f}); against the reference player: decisions {signed(t.skill)}, dice {signed(t.luck)}"
        )
        for action in t.actions or ["(no decisions)"]:
            print(plain(f"    > {action}"))
        for reason in t.reasons:
            print(f"    - {reason}")
        if t.label != "best":
            print(f"    engine prefers {t.preferred}")
        print()
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    pack = _content(args)
    for s in pack.scenarios:
        print(f"{s.id:<16} {s.name} ({s.quarters} quarters from {s.start_label})")
    return 0


def _seed(args: argparse.Namespace) -> int | None:
    seed: int | None = getattr(args, "seed", None)
    if seed is not None and seed < 0:
        raise UserError("--seed must be zero or more.")
    return seed


def _lab(args: argparse.Namespace) -> str | None:
    lab: str | None = getattr(args, "lab", None)
    if lab is not None:
        from game.content.names import MAX_NAME

        lab = _name(lab, "--lab", MAX_NAME)
    return lab


def cmd_play(args: argparse.Namespace) -> int:
    from game.ui.app import make_app

    scenario = getattr(args, "scenario", None)
    chosen = getattr(args, "difficulty", None)
    difficulty = chosen or "normal"
    own_content = getattr(args, "content", None) or os.environ.get("FORTRESS_CONTENT")
    if not (own_content or scenario or chosen or getattr(args, "workshop", None)):
        # the bundled pack and nothing to check against it: the title screen comes up first and
        # the pack loads when the game needs it (the suite checks the bundled pack)
        app = make_app(
            seed=_seed(args),
            lab=_lab(args),
            high_contrast=bool(getattr(args, "high_contrast", False)),
            saves=getattr(args, "saves", None),
        )
        app.run()
        return 0
    pack = _content(args)
    if scenario is not None and scenario not in [s.id for s in pack.scenarios]:
        raise UserError(
            f"Unknown scenario {scenario!r}. Scenarios in this pack: {', '.join(s.id for s in pack.scenarios)}."
        )
    if difficulty not in [d.id for d in pack.difficulties]:
        raise UserError(f"Unknown difficulty {difficulty!r}. Levels: {', '.join(d.id for d in pack.difficulties)}.")
    seed = _seed(args)
    lab = _lab(args)
    workshop = None
    if getattr(args, "workshop", None):
        given = [f"--{name}" for name in ("scenario", "difficulty", "seed") if getattr(args, name, None) is not None]
        if given:
            raise UserError(f"--workshop fixes the scenario, difficulty and seed: leave out {' and '.join(given)}.")
        workshop = _workshop(args, args.workshop, pack)
    app = make_app(
        pack,
        scenario=scenario,
        difficulty=difficulty,
        seed=seed,
        lab=lab,
        high_contrast=bool(getattr(args, "high_contrast", False)),
        saves=getattr(args, "saves", None),
        workshop=workshop,
    )
    app.run()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import secrets

    from game.content.workshop import join_code
    from game.saves.store import default_folder

    pack = _content(args)
    workshop_arg = None
    about = "a new game in every tab (each team picks its own world)"
    title = "Fortress"
    if args.workshop:
        workshop = _workshop(args, args.workshop, pack)
        path = Path(args.workshop)
        workshop_arg = str(path.resolve()) if path.exists() else join_code(workshop)
        scenario = pack.scenario(workshop.scenario)
        quarters = workshop.quarters or scenario.quarters
        about = (
            f"the workshop {workshop.title!r} ({scenario.name}, {workshop.difficulty}, seed {workshop.seed}, "
            f"{quarters} quarters; join code {join_code(workshop)})"
        )
        title = f"Fortress: {workshop.title}"
    if args.max_sessions < 1:
        raise UserError("--max-sessions must be at least 1.")
    if not 0 < args.port < 65536:
        raise UserError("--port must be between 1 and 65535.")
    saves = default_folder(getattr(args, "saves", None)).resolve()
    try:
        saves.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot use {saves} as the save folder: {exc.strerror or exc}.") from None
    from game.ui.serve import ServeOptions, is_loopback, run, session_command

    options = ServeOptions(
        command=session_command(
            saves=saves, workshop=workshop_arg, content=str(Path(args.content).resolve()) if args.content else None
        ),
        host=args.host,
        port=args.port,
        title=title,
        max_sessions=args.max_sessions,
        token=None if is_loopback(args.host) else secrets.token_urlsafe(12),
        public_url=args.public_url,
        saves=saves,
        about=about,
    )
    try:
        return run(options)
    except OSError as exc:
        raise UserError(
            f"Cannot serve on {args.host}:{args.port}: {exc.strerror or exc}. Choose another --port or --host."
        ) from None


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line (`fortress: ...`, exit code 2), not usage and a message."""

    def error(self, message: str) -> NoReturn:
        from game.content.names import plain

        hint = f" (see `{self.prog} --help`)"
        self.exit(2, f"fortress: {plain(message)}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fortress",
        description="Fortress: run a frontier AI lab quarter by quarter. With no command, the game starts.",
    )
    parser.add_argument("--version", action="version", version=f"fortress {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure")
    parser.add_argument("--content", help="content pack folder (default: the bundled content/, or $FORTRESS_CONTENT)")
    parser.add_argument("--saves", help="save folder (default: $FORTRESS_SAVES, or saves/ in the current folder)")
    sub = parser.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play the game (the default)")
    play.add_argument("--scenario", help="open the new-game screen on this scenario (see `fortress scenarios`)")
    play.add_argument("--difficulty", default=None, help="easy, normal or hard (default: normal)")
    play.add_argument(
        "--workshop",
        metavar="FILE|CODE",
        help="join a classroom workshop: its file or join code (asks only the team name)",
    )
    play.add_argument("--seed", type=int, help="the world's seed, to share one world with a class (default: random)")
    play.add_argument("--lab", help="your lab's name (default: the scenario's)")
    play.add_argument("--high-contrast", action="store_true", help="start in the high-contrast theme")
    play.add_argument("--saves", default=argparse.SUPPRESS, help="save folder (as the global --saves)")
    play.set_defaults(func=cmd_play)

    sim = sub.add_parser("simulate", help="play many games with bot policies and summarise them")
    sim.add_argument("--scenario", help="the scenario (or take scenario, difficulty, seed and length from --workshop)")
    sim.add_argument("--workshop", metavar="FILE|CODE", help="play the world of this workshop")
    sim.add_argument("--turns", type=int, default=None, help="play fewer quarters than the scenario has")
    sim.add_argument(
        "--save-dir",
        metavar="DIR",
        help="also write every bot game as an ordinary save in DIR (to rehearse a class debrief)",
    )
    sim.add_argument(
        "--policy",
        default="all",
        help="a policy name, several separated by commas, or all (the bots and the reference); loophole and search players by name",
    )
    sim.add_argument("--games", type=int, default=None, help="games per policy (default 100; 1 with --workshop)")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--difficulty", default="normal")
    sim.add_argument(
        "--jobs", type=int, default=0, help="processes to play in (default: $FORTRESS_PROCESSES, else one per core)"
    )
    sim.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sim.add_argument("--per-game", action="store_true", help="with --json, include every game's result")
    sim.add_argument(
        "--sweep",
        metavar="KEY=V1,V2",
        help="repeat for each value of difficulty or of a content value (e.g. rounds.ask_slope=4,6,8)",
    )
    sim.set_defaults(func=cmd_simulate)

    content = sub.add_parser("content", help="work with content packs")
    csub = content.add_subparsers(dest="content_command", required=True)
    check = csub.add_parser("check", help="validate a content pack and list every problem")
    check.add_argument("dir", nargs="?", help="the pack folder (default: the bundled content/)")
    check.set_defaults(func=cmd_content_check)
    names = csub.add_parser("names", help="list the metrics and targets events may use")
    names.set_defaults(func=cmd_content_names)

    replay = sub.add_parser(
        "replay", help="replay and debrief a saved game (two saves: compare them), or verify saves with --check"
    )
    replay.add_argument("save_files", nargs="+", metavar="SAVE")
    replay.add_argument(
        "--check", action="store_true", help="verify each save headlessly: one line per file, exit 1 if any fails"
    )
    replay.add_argument(
        "--text", action="store_true", help="print the replay as text (also what happens when output is not a terminal)"
    )
    replay.set_defaults(func=cmd_replay)

    workshop = sub.add_parser("workshop", help="run a classroom workshop")
    wsub = workshop.add_subparsers(dest="workshop_command", required=True)
    wnew = wsub.add_parser("new", help="write a workshop file and print its join code")
    wnew.add_argument("--scenario", required=True)
    wnew.add_argument("--difficulty", default="normal")
    wnew.add_argument("--seed", type=int, default=None, help="the shared seed (default: random)")
    wnew.add_argument("--turns", type=int, default=None, help="play fewer quarters than the scenario has")
    wnew.add_argument("--title", default="Fortress workshop")
    wnew.add_argument("--notes", default="", help="facilitator notes kept in the file")
    wnew.add_argument("--out", required=True, help="the workshop file to write (.toml)")
    wnew.add_argument("--force", action="store_true", help="replace an existing file")
    wnew.set_defaults(func=cmd_workshop_new)
    wkey = wsub.add_parser(
        "key", help="the answer key of a workshop's world: key decisions, the reference player's play, the shocks"
    )
    wkey.add_argument("workshop", metavar="FILE|CODE", help="the workshop file or its join code")
    wkey.add_argument("--out", help="write the key to this Markdown file (default: print it)")
    wkey.add_argument(
        "--rollouts",
        type=int,
        default=None,
        help="futures per evaluation (default: the content's judgement.live_rollouts)",
    )
    wkey.set_defaults(func=cmd_workshop_key)
    wstat = wsub.add_parser("status", help="each team's quarter, cash, valuation against the rival and outcome")
    wstat.add_argument("saves_dir", metavar="SAVES_DIR")
    wstat.add_argument("--watch", action="store_true", help="refresh as autosaves land")
    wstat.add_argument("--interval", type=float, default=3.0, help="seconds between refreshes with --watch")
    wstat.add_argument(
        "--workshop", help="the workshop file or join code (default: the world most saves share, this copy's pack)"
    )
    wstat.set_defaults(func=cmd_workshop_status)

    debrief = sub.add_parser("debrief", help="compare every team's save of a workshop; export a report")
    debrief.add_argument("saves_dir", metavar="SAVES_DIR")
    debrief.add_argument("--workshop", help="the workshop file or join code (default: the world most saves share)")
    debrief.add_argument("--out", help="write report.html, report.md or results.csv instead of showing it")
    debrief.add_argument(
        "--text",
        action="store_true",
        help="print the report as Markdown (also what happens when output is not a terminal)",
    )
    debrief.add_argument(
        "--judge",
        action="store_true",
        help="judge every team's decisions first (seconds per team), to rank them by decision quality too",
    )
    debrief.add_argument(
        "--rollouts",
        type=int,
        default=None,
        help="futures per evaluation when judging (default: the content's judgement.analyse_rollouts, as `analyse`)",
    )
    debrief.add_argument(
        "--team-pages",
        action="store_true",
        help="with --out report.html: add one page per team (each printed on a page of its own)",
    )
    debrief.add_argument("--title", default=None)
    debrief.set_defaults(func=cmd_debrief)

    analyse = sub.add_parser("analyse", aliases=["analyze"], help="judge every decision of a saved game, worst first")
    analyse.add_argument("save", metavar="SAVE")
    analyse.add_argument(
        "--rollouts",
        type=int,
        default=None,
        help="futures per evaluation (default: the content's judgement.analyse_rollouts)",
    )
    analyse.add_argument("--seed", type=int, default=0, help="seed of the evaluation's own randomness")
    analyse.add_argument("--json", action="store_true")
    analyse.set_defaults(func=cmd_analyse)

    serve = sub.add_parser("serve", help="serve the game to a class's browsers (one game per tab)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--workshop", metavar="FILE|CODE", help="every tab plays this workshop's world")
    serve.add_argument(
        "--saves", default=argparse.SUPPRESS, help="save folder of every tab's game (as the global --saves)"
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=40,
        help="games at once; past it a newcomer is told the game is full (default: 40)",
    )
    serve.add_argument("--public-url", help="the address students use, if not this machine's own (a proxy or tunnel)")
    serve.set_defaults(func=cmd_serve)

    scen = sub.add_parser("scenarios", help="list the scenarios")
    scen.set_defaults(func=cmd_scenarios)
    return parser


def _check_processes() -> None:
    """Refuse a bad FORTRESS_PROCESSES before any work starts, not at the first evaluation."""
    from game.analysis.parallel import ProcessesError, processes

    try:
        processes()
    except ProcessesError as exc:
        raise UserError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_play)
    try:
        _check_processes()
        return int(func(args))
    except UserError as exc:
        print(f"fortress: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output went to a pager or `head` that has stopped reading
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for a user, unless asked for
        if args.debug:
            import traceback

            traceback.print_exc()
        print(
            f"fortress: {args.command or 'play'} failed unexpectedly ({_what_failed(exc)}); "
            "run it again with --debug to see where.",
            file=sys.stderr,
        )
        return 2


def _one_line(text: str) -> str:
    from game.content.names import plain

    return plain(" ".join(text.split()))


def _what_failed(exc: BaseException) -> str:
    """An unexpected failure in words, without the program's own internals."""
    if isinstance(exc, OSError):
        return (exc.strerror or "a file or folder could not be used").lower()
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, RecursionError):
        return "input nested too deeply"
    return "an internal error"


if __name__ == "__main__":
    raise SystemExit(main())
