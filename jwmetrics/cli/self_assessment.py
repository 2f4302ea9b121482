"""``python -m jwmetrics self-assessment``: the template, importing answers, listing them.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_self_assessment_commands` and lists :func:`cmd_self_assessment` in its
``COMMANDS``.

- ``self-assessment template INITIATIVE FILE.csv [--every-area]`` writes one row per
  question for each area the initiative works in, or every area with a figure (columns in
  :data:`jwmetrics.self_assessment.partnerships.TEMPLATE_COLUMNS`);
- ``self-assessment import FILE.csv [--user WHO]`` records a filled-in template whole, or
  exits 1 listing every problem by row and column with nothing written;
- ``self-assessment list [--format text|json]`` lists every answer, records with
  :data:`jwmetrics.self_assessment.partnerships.RECORD_FIELDS`.
"""

from __future__ import annotations

import argparse
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TextIO

from jwmetrics.cli.args import FORMATS, emit
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError, Problem
from jwmetrics.self_assessment.partnerships import Answer


def add_self_assessment_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``self-assessment template``, ``import`` and ``list`` to the command line."""
    command = commands.add_parser(
        "self-assessment",
        help="partnerships rating the five requirements of joint working: template, import, list",
    )
    actions = command.add_subparsers(
        dest="self_assessment_command", required=True, metavar="ACTION"
    )
    template = actions.add_parser(
        "template", help="write the questions to answer, one row per question per partnership area"
    )
    template.add_argument("initiative", help="initiative id or name")
    template.add_argument("output", type=Path, metavar="FILE.csv", help="the CSV file to write")
    template.add_argument(
        "--every-area",
        action="store_true",
        help="every area with a figure, such as every council of a national collection "
        "(default: the areas the initiative works in)",
    )
    imp = actions.add_parser(
        "import", help="record a filled-in template, all or nothing (errors by row and column)"
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv", help="the filled-in template")
    imp.add_argument(
        "--user",
        default="",
        metavar="WHO",
        help="who is importing (a partner, an approver or an admin once there are users)",
    )
    listing = actions.add_parser("list", help="every answer, oldest first per partnership")
    listing.add_argument(
        "--format", choices=FORMATS[:2], default="text", help="output format (default text)"
    )


def cmd_self_assessment(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """``self-assessment template``, ``import`` and ``list``."""
    if args.self_assessment_command == "template":
        return _template(metrics, args, out)
    if args.self_assessment_command == "import":
        actor, by = acting(metrics, args.user)
        outcome = metrics.add_self_assessment(
            args.file.read_bytes(), args.file.name, by=by, actor=actor
        )
        print(outcome.message, file=out)
        return 0
    found = metrics.self_assessments()
    records = [a.as_record() for a in found]
    emit(records, args.format, out, text=lambda o: o.write(answers_text(found)), ensure_ascii=False)
    return 0


def _template(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Write the template of one initiative."""
    if args.output.suffix.lower() != ".csv":
        message = "the self-assessment template is a CSV file: name it FILE.csv"
        raise InputError([Problem("self-assessment", None, "FILE", str(args.output), message)])
    slug = metrics.initiative_id(args.initiative)
    data = metrics.self_assessment_template(slug, args.every_area)
    args.output.write_bytes(data)
    areas = len(metrics.partnerships(slug, args.every_area))
    questions = len(metrics.self_assessment_questions())
    print(
        f"Wrote the {slug} self-assessment template to {args.output}: {questions} questions "
        f"for each of {areas} partnership area(s).",
        file=out,
    )
    return 0


def answers_text(found: list[Answer]) -> str:
    """Every answer as text: a heading per partnership and day, then one line per answer."""
    if not found:
        return "No self-assessment answers yet.\n"
    lines = []
    for (initiative, code, name, day), group in groupby(found, key=_heading):
        lines.append(f"{initiative} in {name} ({code}), answered on {format_date(day)}:")
        for answer in group:
            by = f" ({answer.answered_by})" if answer.answered_by else ""
            evidence = f": {answer.evidence}" if answer.evidence else ""
            lines.append(f"    {answer.question_id} [{answer.score}]{by}{evidence}")
    return "\n".join(lines) + "\n"


def _heading(answer: Answer) -> tuple[str, str, str, date]:
    """What groups answers under one heading: the partnership and the day."""
    return (answer.initiative, answer.area_code, answer.area_name, answer.answered_on)
