"""Briefing packs made, kept and rebuilt: HTML or PDF, each recorded with its checksum.

:func:`make_pack` builds a pack of one initiative or the portfolio as known on a day, with
the changes since an earlier day (by default the day of the previous pack of the same
scope, so "since the last pack" is a real date), renders it, and records who made it, when,
for which day, and the SHA-256 of the file. :func:`rebuild_pack` makes a recorded pack again
from the database as it stood when it was made: the same bytes, so the same checksum.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from jwmetrics.briefing import PackRequest, build_content
from jwmetrics.db import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, require
from jwmetrics.models_briefing import BriefingPack
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


def render(db: Database, request: PackRequest, file_format: str) -> bytes:
    """The pack's file for ``request``, as HTML or PDF bytes."""
    from jwmetrics.present.pack_html import render_pack  # plotly loads only here

    document = render_pack(build_content(db, request))
    if file_format == "pdf":
        from jwmetrics.present.pdf import html_to_pdf

        return html_to_pdf(document, request.generated_at)
    return document.encode("utf-8")


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
    *,
    since: date | None = None,
    file_format: str = "html",
    by: str = "",
    actor: Actor = LOCAL_USER,
) -> PackFile:
    """Build, render and record a pack; ``since`` defaults to the previous pack's day."""
    require(actor, Action.VIEW)
    if file_format not in FORMATS:
        raise InputError([Problem("brief", None, "format", file_format, "expected html or pdf")])
    slug = None
    if initiative is not None:
        with db.session() as session:
            slug = find_initiative(session, initiative).slug
    since = since if since is not None else last_pack_day(db, slug, before=as_of)
    moment = datetime.now()  # to the microsecond: a figure recorded just before counts
    request = PackRequest(slug, as_of, since, by or actor.name, moment)
    data = render(db, request, file_format)
    digest = hashlib.sha256(data).hexdigest()
    with db.session() as session, session.begin():
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


def rebuild_pack(db: Database, pack_id: int) -> PackFile:
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
        file_format = record.file_format
    data = render(db, request, file_format)
    return PackFile(data, file_format, pack_id, hashlib.sha256(data).hexdigest())


def packs(db: Database) -> list[BriefingPack]:
    """Every pack made, newest first."""
    with db.session() as session:
        return list(session.scalars(select(BriefingPack).order_by(BriefingPack.id.desc())))
