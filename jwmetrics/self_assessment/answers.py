"""Importing a filled-in self-assessment template: all or nothing.

The file is the CSV :meth:`~jwmetrics.metrics.face.Metrics.self_assessment_template` writes
(UTF-8, with or without a byte order mark; a file saved by Excel as plain "CSV" in
Windows-1252 is read too). Column names are matched without regard to case or surrounding
spaces; the ``area_name``, ``requirement`` and ``question`` columns are for the reader and
are not read back. A row whose score, evidence and answered_on are all blank is a question not
answered this time and is skipped. Every other row must have:

- an ``initiative`` (its id or name), an ``area_code`` (an ONS code) and a ``question_id``
  that exist;
- a ``score``, a whole number from 1 (not at all) to 4 (fully);
- an ``answered_on`` day, YYYY-MM-DD or DD/MM/YYYY, not after today;
- ``evidence`` of at most :data:`MAX_EVIDENCE_CHARS` characters (blank is allowed);
- no second answer to the same question by the same partnership on the same day, in the
  file or already recorded (a later answer is a new day's answer).

Every problem is collected, by row and column, before anything is written; one problem
refuses the whole file. The first :data:`~jwmetrics.problems.MAX_PROBLEMS` are listed, then
one line counts the rest; each distinct unknown initiative, area code or question id gets its
"did you mean" once (:class:`~jwmetrics.problems.Suggestions`).

Who may import (:func:`require_self_assessment`): a partner (``uploader``) for the
initiatives assigned to them, an ``approver`` (an analyst) for theirs, or an ``admin``;
never a ``viewer``. The answers and one audit event ("self-assessment") are written in one
transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import SelfAssessment
from jwmetrics.db.models import Area, Initiative
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, PermissionDenied, Role, require
from jwmetrics.governance.users import as_stored
from jwmetrics.problems import MAX_PROBLEMS, InputError, Problem, Suggestions, did_you_mean
from jwmetrics.self_assessment.questions import SCALE, question_index
from jwmetrics.tabular import long_field
from jwmetrics.tabular.csv_rows import CsvRow
from jwmetrics.text import plural

REQUIRED_COLUMNS = ("initiative", "area_code", "question_id", "score", "evidence", "answered_on")
MAX_EVIDENCE_CHARS = 2_000  # a paragraph or two of evidence, not a document
MAX_NAME_CHARS = 320  # answered_by, as long as an e-mail address may be
MAX_FILE_BYTES = 5_000_000  # about 20,000 answered rows
DATE_EXAMPLE = "a day such as 2002-03-31 or 31/03/2002"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import recorded."""

    file_name: str
    answers: int
    partnerships: tuple[tuple[str, str], ...]  # (initiative id, area code), sorted
    skipped: int  # rows left blank (questions not answered this time)

    @property
    def message(self) -> str:
        """One sentence: what was recorded from which file."""
        skipped = f"; {plural(self.skipped, 'blank row')} skipped" if self.skipped else ""
        return (
            f"Recorded {plural(self.answers, 'self-assessment answer')} for "
            f"{plural(len(self.partnerships), 'partnership')} from {self.file_name}{skipped}."
        )


def may_self_assess(actor: Actor, initiative: str | None = None) -> bool:
    """True when ``actor`` may record self-assessment answers (for ``initiative``, an id)."""
    try:
        require_self_assessment(actor, initiative)
    except PermissionDenied:
        return False
    return True


def require_self_assessment(actor: Actor, initiative: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may record answers for
    ``initiative``: an uploader (a partner) or approver (an analyst) with that initiative
    among their assignments (or none assigned), or an admin. A viewer never may."""
    if actor.role is Role.VIEWER:
        raise PermissionDenied(
            f"{actor.email} is a viewer and may not record a self-assessment; partners "
            "(uploaders), approvers and admins may"
        )
    action = Action.UPLOAD if actor.role is Role.UPLOADER else Action.APPROVE
    require(actor, action, initiative=initiative)


def decode(data: bytes, file_name: str) -> str:
    """The text of an uploaded CSV: UTF-8 (byte order mark allowed), else Windows-1252;
    :class:`InputError` for a workbook or other binary file."""
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        message = "not a CSV file (a workbook or binary file); save it as CSV UTF-8"
        raise InputError([Problem(file_name, None, None, None, message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            message = "not readable as text; save it as CSV UTF-8"
            raise InputError([Problem(file_name, None, None, None, message)]) from None


def read_rows(text: str, file_name: str) -> list[CsvRow]:
    """The data rows of ``text``, each with its spreadsheet row number (the header is row
    1), blank rows skipped; :class:`InputError` for a missing or repeated column."""
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as exc:
        raise InputError([_unreadable(exc, text, 0, [], file_name, 0)]) from None
    problems = [
        Problem(file_name, 1, name, None, "repeated column")
        for n, name in enumerate(header)
        if name and name in header[:n]
    ]
    problems += [
        Problem(file_name, 1, name, None, "missing column; use the self-assessment template")
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    if problems:
        raise InputError(problems)
    rows = []
    start = buffer.tell()  # where the record being read starts
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(
                    CsvRow(file_name, reader.line_num, dict(zip(header, cells, strict=False)))
                )
            start = buffer.tell()
    except csv.Error as exc:
        raise InputError(
            [_unreadable(exc, text, start, header, file_name, reader.line_num)]
        ) from None
    return rows


def _unreadable(
    exc: csv.Error, text: str, start: int, header: list[str], file_name: str, line: int
) -> Problem:
    """The problem of a record the csv module stopped at: a cell over its field limit (it
    stops before building the cell), named by row and column, or another error."""
    if "field limit" not in str(exc):
        return Problem(file_name, line + 1, None, None, f"not readable as CSV from here on ({exc})")
    limit = csv.field_size_limit()
    index = long_field(text, start, ",", limit)
    column = header[index] if index is not None and index < len(header) else None
    row = text.count("\n", 0, start) + 1  # the row the record starts on
    message = (
        f"a cell of more than {limit:,} characters; evidence may be at most "
        f'{MAX_EVIDENCE_CHARS:,} characters, and a quote (") left open makes the rest of the '
        "file one cell"
    )
    return Problem(file_name, row, column, None, message)


class _Checker:
    """Checks answer rows against the catalogue and the answers recorded; collects problems."""

    def __init__(self, session: Session, file_name: str, today: date) -> None:
        self.file_name = file_name
        self.today = today
        self.problems: list[Problem] = []
        initiatives = list(session.scalars(select(Initiative)))
        self.initiatives = {i.slug: i.slug for i in initiatives}
        self.initiatives.update({i.name.lower(): i.slug for i in initiatives})
        self.areas = set(session.scalars(select(Area.code)))
        self.questions = question_index()
        self.session = session
        self.seen: dict[tuple[str, str, str, date], int] = {}
        self._recorded: dict[tuple[str, str, str, date], tuple[str, int | None]] | None = None
        self.unlisted = 0  # problems past MAX_PROBLEMS: counted, not listed

    @property
    def full(self) -> bool:
        """Whether :data:`MAX_PROBLEMS` are listed already (so no hint is worth working out)."""
        return len(self.problems) >= MAX_PROBLEMS

    def fail(self, row: CsvRow, column: str, message: str) -> None:
        """List a problem, or once :data:`MAX_PROBLEMS` are listed only count it."""
        if self.full:
            self.unlisted += 1
        else:
            self.problems.append(row.problem(column, message))

    def summarise(self) -> None:
        """One line saying how many problems there were beyond those listed, if any."""
        if self.unlisted:
            message = (
                f"and {self.unlisted:,} more problem(s) not listed: only the first "
                f"{MAX_PROBLEMS:,} are shown; fix these and import the file again"
            )
            self.problems.append(Problem(self.file_name, None, None, None, message))

    @cached_property
    def initiative_hints(self) -> Suggestions:
        """The initiatives' ids indexed for "did you mean" (built at the first unknown one)."""
        return Suggestions(sorted(set(self.initiatives.values())), did_you_mean)

    @cached_property
    def area_hints(self) -> Suggestions:
        """The area codes indexed for "did you mean" (built at the first unknown one)."""
        return Suggestions(sorted(self.areas), did_you_mean)

    @cached_property
    def question_hints(self) -> Suggestions:
        """The question ids indexed for "did you mean" (built at the first unknown one)."""
        return Suggestions(self.questions, did_you_mean)

    def initiative(self, row: CsvRow) -> str | None:
        value = row.get("initiative")
        slug = self.initiatives.get(value) or self.initiatives.get(value.lower())
        if slug is None:
            hint = "" if self.full else self.initiative_hints(value)
            self.fail(row, "initiative", f"unknown initiative{hint}")
        return slug

    def area(self, row: CsvRow) -> str | None:
        code = row.get("area_code").upper()
        if code in self.areas:
            return code
        hint = self.area_hints(code) if code and not self.full else ""
        self.fail(row, "area_code", f"unknown area code{hint}; expected an ONS code")
        return None

    def question(self, row: CsvRow) -> str | None:
        value = row.get("question_id")
        if value in self.questions:
            return value
        hint = "" if self.full else self.question_hints(value)
        self.fail(row, "question_id", f"unknown question{hint}; use the template's ids")
        return None

    def score(self, row: CsvRow) -> int | None:
        text = row.get("score")
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number in SCALE:
            return int(number)
        scale = ", ".join(f"{n} ({words})" for n, words in SCALE.items())
        self.fail(row, "score", f"expected a whole number from 1 to 4: {scale}")
        return None

    def day(self, row: CsvRow) -> date | None:
        text = row.get("answered_on")
        for reads in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
            try:
                day = reads(text)
            except ValueError:
                continue
            if day > self.today:
                self.fail(row, "answered_on", "in the future; expected the day it was answered")
                return None
            return day
        self.fail(row, "answered_on", f"expected {DATE_EXAMPLE}")
        return None

    def texts(self, row: CsvRow) -> None:
        if len(row.get("evidence")) > MAX_EVIDENCE_CHARS:
            self.fail(row, "evidence", f"longer than {MAX_EVIDENCE_CHARS:,} characters")
        if len(row.get("answered_by")) > MAX_NAME_CHARS:
            self.fail(row, "answered_by", f"longer than {MAX_NAME_CHARS} characters")

    def unique(self, row: CsvRow, key: tuple[str, str, str, date]) -> None:
        """Refuse a second answer by one partnership to one question on one day."""
        if key in self.seen:
            message = f"question {key[2]} is answered for this partnership on this day in row "
            self.fail(row, "question_id", f"{message}{self.seen[key]} too")
            return
        self.seen[key] = row.number
        earlier = self.recorded().get(key)
        if earlier is not None:
            where = f"{earlier[0]}, row {earlier[1]}" if earlier[0] else ""
            self.fail(
                row,
                "question_id",
                f"question {key[2]} was already answered for this partnership on this day"
                + (f" ({where})" if where else "")
                + "; a new answer needs a new day",
            )

    def recorded(self) -> dict[tuple[str, str, str, date], tuple[str, int | None]]:
        """Every answer already recorded, by (initiative, area, question, day): the file and
        row it came from. Read once, on the first row that needs it."""
        if self._recorded is None:
            query = select(
                SelfAssessment.initiative_slug,
                SelfAssessment.area_code,
                SelfAssessment.question_id,
                SelfAssessment.answered_on,
                SelfAssessment.file_name,
                SelfAssessment.row_number,
            )
            self._recorded = {
                (slug, area, question, day): (file_name, number)
                for slug, area, question, day, file_name, number in self.session.execute(query)
            }
        return self._recorded


def _is_blank(row: CsvRow) -> bool:
    """A question not answered this time: no score, evidence or day."""
    return not (row.get("score") or row.get("evidence") or row.get("answered_on"))


def check_rows(
    session: Session, rows: list[CsvRow], file_name: str, by: str, today: date
) -> list[SelfAssessment]:
    """The answers of ``rows`` ready to add (``recorded_at`` unset), or :class:`InputError`
    with every problem by row and column."""
    checker = _Checker(session, file_name, today)
    staged = []
    for row in rows:
        if _is_blank(row):
            continue
        initiative, area, question = (
            checker.initiative(row),
            checker.area(row),
            checker.question(row),
        )
        score, day = checker.score(row), checker.day(row)
        checker.texts(row)
        if initiative and area and question and day:
            checker.unique(row, (initiative, area, question, day))
        if initiative and area and question and score and day:
            staged.append(
                SelfAssessment(
                    initiative_slug=initiative,
                    area_code=area,
                    question_id=question,
                    score=score,
                    evidence=row.get("evidence"),
                    answered_on=day,
                    answered_by=row.get("answered_by") or by,
                    file_name=file_name,
                    row_number=row.number,
                )
            )
    checker.summarise()
    if not staged and not checker.problems:
        message = "no answers: give a score, the evidence and the day for at least one question"
        checker.problems.append(Problem(file_name, None, "score", None, message))
    if checker.problems:
        raise InputError(checker.problems)
    return staged


def import_self_assessment(
    db: Database,
    data: bytes,
    file_name: str,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> ImportOutcome:
    """Check a filled-in template and record its answers, all or nothing.

    :class:`InputError` lists every problem by row and column and nothing is written;
    :class:`PermissionDenied` when ``actor`` (as stored now) may not record answers for an
    initiative in the file. ``by`` is the name recorded (default the actor's; also
    ``answered_by`` where the file leaves it blank)."""
    require_self_assessment(actor)  # a viewer is refused before the file is read
    if len(data) > MAX_FILE_BYTES:
        message = f"larger than {MAX_FILE_BYTES // 1_000_000} MB; split it by area"
        raise InputError([Problem(file_name, None, None, None, message)])
    rows = read_rows(decode(data, file_name), file_name)
    who = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        actor = as_stored(session, actor)  # the role as stored now, not as the page had it
        require_self_assessment(actor)
        staged = check_rows(session, rows, file_name, who, now.date())
        for slug in sorted({answer.initiative_slug for answer in staged}):
            require_self_assessment(actor, slug)
        for answer in staged:
            answer.recorded_at = now
            session.add(answer)
        keys = tuple(sorted({(a.initiative_slug, a.area_code) for a in staged}))
        outcome = ImportOutcome(file_name, len(staged), keys, len(rows) - len(staged))
        shown = ", ".join(f"{slug} in {code}" for slug, code in keys[:10])
        more = f" and {len(keys) - 10:,} more" if len(keys) > 10 else ""
        detail = f"{len(staged):,} answer(s) for {shown}{more}"
        audit.append(session, who, "self-assessment", file_name, detail, now)
    return outcome
