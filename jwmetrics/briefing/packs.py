"""Briefing packs made, kept and rebuilt: HTML or PDF, each recorded with its checksum.

:func:`make_pack` builds a pack of one initiative or the portfolio as known on a day, with
the changes since an earlier day (by default the day of the previous pack of the same
scope, so "since the last pack" is a real date), renders it, and records who made it, when,
for which day, and the SHA-256 of the file. :func:`rebuild_pack` makes a recorded pack again
from the database as it stood when it was made: the same bytes, so the same checksum. A
pack leaves out the measures with no figure at all unless asked for every measure
(``include_empty``); the record keeps no column for that choice, so a rebuild makes the
pack both ways if need be and gives the one whose checksum is the recorded one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select

from jwmetrics.briefing.content import PackContent, PackRequest, build_content
from jwmetrics.db.briefing_models import BriefingPack
from jwmetrics.db.engine import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import find_initiative

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class PackFile:
    """A pack as made: its bytes, format, record id and checksum."""

    data: bytes
    file_format: str
    pack_id: int
    sha256: str


Renderer = Callable[[PackContent, str], bytes]
"""Turns a pack's content into a file of a format (``html`` or ``pdf``).

The presentation layer supplies it (:func:`jwmetrics.present.pack.document.pack_file`, passed in by
the face), so this module gathers and records packs without knowing how they look.
"""


def render(db: Database, request: PackRequest, file_format: str, renderer: Renderer) -> bytes:
    """The pack's file for ``request``, as HTML or PDF bytes."""
    return renderer(build_content(db, request), file_format)


def last_pack_day(db: Database, initiative: str | None, before: date | None = None) -> date | None:
    """The as-known-on day of the newest pack of this scope (before ``before``), or None."""
    query = select(BriefingPack.as_of).where(
        BriefingPack.initiative_slug.is_(None)
        if initiative is None
        else BriefingPack.initiative_slug == initiative
    )
    if before is not None:
        query = query.where(BriefingPack.as_of < before)
    with db.session() as session:
        return session.scalar(query.order_by(BriefingPack.as_of.desc()).limit(1))


def make_pack(
    db: Database,
    initiative: str | None,
    as_of: date,
    renderer: Renderer,
    *,
    since: date | None = None,
    file_format: str = "html",
    by: str = "",
    actor: Actor = LOCAL_USER,
    include_empty: bool = False,
) -> PackFile:
    """Build, render and record a pack; ``since`` defaults to the previous pack's day;
    ``include_empty`` gives a page to every measure, also those with no figure yet."""
    authorise(db, actor, Action.VIEW)
    if file_format not in FORMATS:
        raise InputError([Problem("brief", None, "format", file_format, "expected html or pdf")])
    slug = None
    if initiative is not None:
        with db.session() as session:
            slug = find_initiative(session, initiative).slug
    since = since if since is not None else last_pack_day(db, slug, before=as_of)
    moment = datetime.now()  # to the microsecond: a figure recorded just before counts
    request = PackRequest(slug, as_of, since, by or actor.name, moment, include_empty)
    data = render(db, request, file_format, renderer)
    digest = hashlib.sha256(data).hexdigest()
    with db.session() as session, session.begin():
        authorise(session, actor, Action.VIEW)  # again, as stored when the pack is recorded
        record = BriefingPack(
            initiative_slug=slug,
            as_of=as_of,
            since=since,
            file_format=file_format,
            generated_by=request.generated_by,
            generated_at=moment,
            sha256=digest,
        )
        session.add(record)
        session.flush()
        pack_id = record.id
        subject = f"pack {pack_id}: {slug or 'portfolio'} as known on {as_of.isoformat()}"
        audit.append(session, request.generated_by, "brief", subject, digest, moment)
    return PackFile(data, file_format, pack_id, digest)


def rebuild_pack(db: Database, pack_id: int, renderer: Renderer) -> PackFile:
    """Make a recorded pack again, from the database as it stood when it was made."""
    with db.session() as session:
        record = session.get(BriefingPack, pack_id)
        if record is None:
            raise InputError(
                [Problem("brief", None, "pack", str(pack_id), "there is no such pack")]
            )
        request = PackRequest(
            record.initiative_slug,
            record.as_of,
            record.since,
            record.generated_by,
            record.generated_at,
        )
        file_format, recorded = record.file_format, record.sha256
    data = render(db, request, file_format, renderer)
    digest = hashlib.sha256(data).hexdigest()
    if digest != recorded:  # made with a page for every measure, perhaps: try that way too
        every = render(db, replace(request, include_empty=True), file_format, renderer)
        if hashlib.sha256(every).hexdigest() == recorded:
            data, digest = every, recorded
    return PackFile(data, file_format, pack_id, digest)


def packs(db: Database) -> list[BriefingPack]:
    """Every pack made, newest first."""
    with db.session() as session:
        return list(session.scalars(select(BriefingPack).order_by(BriefingPack.id.desc())))
