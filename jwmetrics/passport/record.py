"""The measure passport (issue 23, items 4 and 5): one record that says what a measure means.

:func:`passport` builds a :class:`Passport` for a measure: the catalogue's own columns (name,
unit, which direction is good, kind, description, where it is cited from), the passport's
fields (:mod:`jwmetrics.passport.fields`: definition, numerator and denominator
and their sources, frequency, publication lag, revisions policy, rounding, disclosure,
owner, caveats; the newest row loaded, or "Not known" for each), links to the documents
saying how its status, forecast, SPC chart and comparison are worked out, and the revision
statistics measured from the versions kept (:mod:`jwmetrics.store.revisions`).

Like Fingertips' indicator metadata: every field is present and never blank, so a reader
sees what is unknown rather than nothing. See ``docs/passport.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation
from jwmetrics.db.passport_models import MeasurePassport
from jwmetrics.passport.fields import (
    FIELDS,
    NO_PASSPORT,
    SYNTHETIC,
    is_synthetic,
)
from jwmetrics.store.figures import latest_published_on
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.revisions import RevisionStats, revision_stats


@dataclass(frozen=True)
class MethodLink:
    """A method the dashboard applies to the measure, and the document that explains it.

    ``doc`` is the developers' document (a path in the repository, with its section);
    ``help_topic`` the topic of the app's Help page for the same, "" when it has none.
    """

    name: str
    summary: str
    doc: str
    help_topic: str = ""


METHODS: tuple[MethodLink, ...] = (
    MethodLink(
        "Status",
        "Green, Amber or Red from the latest figure against the target and its trajectory; "
        "Grey when there is no target, no figure or the figure is too old.",
        "docs/status.md#the-rules-in-order",
        "status",
    ),
    MethodLink(
        "Forecast",
        "A trend fitted to the figures, projected to the target date within the measure's "
        "natural range, with the chance of meeting the target.",
        "docs/status.md#the-forecast-and-the-chance-of-meeting-the-target",
        "status",
    ),
    MethodLink(
        "SPC",
        "An XmR chart: limits at the mean ± 2.66 × the mean moving range, and the NHS Making "
        "Data Count rules for signal or noise.",
        "docs/spc.md#the-chart-and-its-limits",
        "spc",
    ),
    MethodLink(
        "Comparison",
        "Areas compared fairly: rates per population, funnel-plot limits and allowance for "
        "over-dispersion.",
        "docs/compare.md#what-each-area-gets",
    ),
    MethodLink(
        "Revisions",
        "How far first figures have been revised since, per partner, from the versions kept.",
        "docs/passport.md#revisions-measured",
    ),
)
"""The methods every measure's passport links to, in the order shown."""


@dataclass(frozen=True)
class Passport:
    """Everything a reader needs to know about one measure before reading its figures.

    ``fields`` holds the passport's text fields in :data:`FIELDS` order, none blank;
    ``passport_source`` cites where they come from ("" when none was loaded);
    ``revisions`` has one entry per partner whose figures the measure holds, as known on
    ``as_of``.
    """

    slug: str
    name: str
    initiative: str
    unit: str
    direction: str  # "up" or "down" is better
    kind: str
    description: str
    catalogue_source: str
    fields: dict[str, str]
    passport_source: str
    synthetic: bool
    methods: tuple[MethodLink, ...]
    revisions: tuple[RevisionStats, ...]
    as_of: date

    @property
    def direction_text(self) -> str:
        """Which direction is good, in words."""
        return "Higher is better" if self.direction == "up" else "Lower is better"

    @property
    def headings(self) -> dict[str, str]:
        """Each field's heading, by field name."""
        return FIELDS

    def empty_fields(self) -> list[str]:
        """Required fields that are blank: none, unless something is wrong."""
        return [name for name in FIELDS if not self.fields.get(name, "").strip()]


def passport(db: Database, measure_key: str, as_of: date | None = None) -> Passport:
    """The passport of ``measure_key`` (id or name), with revisions as known on ``as_of``
    (default: the newest publication day, as every view).
    :class:`~jwmetrics.problems.InputError` for an unknown measure."""
    return passports(db, [measure_key], as_of)[0]


def passports(
    db: Database, measure_keys: Sequence[str], as_of: date | None = None
) -> list[Passport]:
    """The passports of several measures (id or name each), in the order given."""
    with db.session() as session:
        measures = [find_measure(session, key) for key in dict.fromkeys(measure_keys)]
        day = as_of or latest_published_on(session) or date.today()  # an index look-up
        return passports_known(session, measures, KnownAt.on(day))


def passports_known(
    session: Session, measures: Sequence[Measure], known: KnownAt
) -> list[Passport]:
    """The passports of ``measures`` as the database stood at ``known``: the passport rows
    recorded by ``known.recorded_by`` and the revisions of the figures that count at
    ``known``. Two queries however many measures; a pack rebuilt from the same ``known``
    gets the same passports."""
    ids = [m.id for m in measures]
    stored = _newest_passports(session, ids, known)
    stats: dict[int, list[RevisionStats]] = {}
    for entry in revision_stats(session, known, Observation.measure_id.in_(ids)):
        stats.setdefault(entry.measure_id, []).append(entry)
    return [
        _one(measure, stored.get(measure.id), tuple(stats.get(measure.id, ())), known.day)
        for measure in measures
    ]


def passports_at(db: Database, measure_slugs: Sequence[str], known: KnownAt) -> list[Passport]:
    """The passports of the measures ``measure_slugs`` (ids) as stood at ``known``, in the
    order given (a briefing pack's annex: the same ``known``, the same passports)."""
    with db.session() as session:
        found = {
            m.slug: m
            for m in session.scalars(select(Measure).where(Measure.slug.in_(list(measure_slugs))))
        }
        return passports_known(
            session, [found[s] for s in dict.fromkeys(measure_slugs) if s in found], known
        )


def _newest_passports(
    session: Session, measure_ids: list[int], known: KnownAt
) -> dict[int, MeasurePassport]:
    """Each measure's newest passport row recorded by ``known.recorded_by`` (a passport is
    about the measure, not a figure: it is not tied to a publication day)."""
    rows = session.scalars(
        select(MeasurePassport)
        .where(
            MeasurePassport.measure_id.in_(measure_ids),
            MeasurePassport.recorded_at <= known.recorded_by,
        )
        .order_by(MeasurePassport.recorded_at, MeasurePassport.id)
    )
    return {row.measure_id: row for row in rows}  # the last of each wins


def _one(
    measure: Measure,
    row: MeasurePassport | None,
    revisions: tuple[RevisionStats, ...],
    as_of: date,
) -> Passport:
    synthetic = is_synthetic(measure.name)
    if row is None:
        fields = dict.fromkeys(FIELDS, NO_PASSPORT)
        if synthetic:
            fields["definition"] = f"{SYNTHETIC} {measure.description}".strip()
            fields["caveats"] = SYNTHETIC
    else:
        fields = {name: getattr(row, name) for name in FIELDS}
        if synthetic and "synthetic" not in fields["caveats"].lower():
            fields["caveats"] = f"{SYNTHETIC} {fields['caveats']}"
    return Passport(
        slug=measure.slug,
        name=measure.name,
        initiative=measure.initiative.name,
        unit=measure.unit,
        direction=measure.direction,
        kind=measure.kind,
        description=measure.description,
        catalogue_source=measure.source,
        fields=fields,
        passport_source=row.source if row is not None else "",
        synthetic=synthetic,
        methods=METHODS,
        revisions=revisions,
        as_of=as_of,
    )
