"""The data model: SQLAlchemy 2 typed declarative tables.

Vocabulary (see README): a ClientGroup is served by Initiatives; an Initiative has
Partners, Spend and Measures; a Measure has Targets per Area and Observations per Area
and period; a Return is one file of observations from one partner.

History is kept by adding rows, never by updating figures: a revised observation or target
is a new row with a later ``recorded_at``; the current one is the latest recorded. Money is
in pounds (GBP), dates are calendar dates, timestamps are naive UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every jwmetrics table."""


class ClientGroup(Base):
    """A group of people an initiative serves, such as rough sleepers (Figure 4)."""

    __tablename__ = "client_group"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200))

    initiatives: Mapped[list[Initiative]] = relationship(back_populates="client_group")


class Initiative(Base):
    """A joined-up programme delivered by several partners (Figure 4, Figure 5)."""

    __tablename__ = "initiative"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    client_group_slug: Mapped[str] = mapped_column(ForeignKey("client_group.slug"))
    purpose: Mapped[str] = mapped_column(Text)
    joint_working_form: Mapped[str] = mapped_column(String(100))
    lead_departments: Mapped[str] = mapped_column(Text)
    key_features: Mapped[str] = mapped_column(Text, default="")
    performance_measurement: Mapped[str] = mapped_column(Text, default="")
    satisfaction_assessment: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200))

    client_group: Mapped[ClientGroup] = relationship(back_populates="initiatives")
    partners: Mapped[list[Partner]] = relationship(back_populates="initiative")
    measures: Mapped[list[Measure]] = relationship(back_populates="initiative")
    spend: Mapped[list[Spend]] = relationship(back_populates="initiative")

    @property
    def key_feature_list(self) -> list[str]:
        """Key features of joint working, one string each (stored ``|``-separated)."""
        return [part.strip() for part in self.key_features.split("|") if part.strip()]


class Partner(Base):
    """An organisation (or kind of organisation) taking part in an initiative."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_slug: Mapped[str] = mapped_column(ForeignKey("initiative.slug"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    initiative: Mapped[Initiative] = relationship(back_populates="partners")


class Area(Base):
    """A place with an ONS code: England, a region or a local authority district."""

    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    area_type: Mapped[str] = mapped_column(String(30))
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)


class Measure(Base):
    """What is counted, in which unit, and which direction is better."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    initiative_slug: Mapped[str] = mapped_column(ForeignKey("initiative.slug"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(30))
    direction: Mapped[str] = mapped_column(String(10))  # "up" or "down" is better
    kind: Mapped[str] = mapped_column(String(20))  # outcome, output, input, satisfaction, cost
    description: Mapped[str] = mapped_column(Text, default="")
    results_expected: Mapped[str] = mapped_column(String(50), default="")
    too_early_note: Mapped[str] = mapped_column(Text, default="")
    status_rules: Mapped[dict[str, float] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    initiative: Mapped[Initiative] = relationship(back_populates="measures")


class Target(Base):
    """What value a measure should reach in an area by when.

    Either ``target_value`` or ``target_change`` (a fraction of the baseline, -2/3 for
    "reduce by two thirds") is given; the other is derived. A revised target is a new row
    with a later ``recorded_at``; the old one stays.
    """

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[str] = mapped_column(String(40), default="")
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_change: Mapped[float | None] = mapped_column(Float)
    target_date_text: Mapped[str] = mapped_column(String(40), default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    wording: Mapped[str] = mapped_column(Text)
    value_qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    milestones: Mapped[list[list[str | float]] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    measure: Mapped[Measure] = relationship()


LIVE_RETURN = "state IN ('submitted', 'approved')"
"""A return that holds its file's place: kept for approval, or counting."""


class Return(Base):
    """One file of observations from one partner, and what became of it."""

    __tablename__ = "data_return"
    __table_args__ = (
        # One live import per file content, even when two people upload it at once; a
        # rejected or withdrawn return no longer holds its file's place.
        Index(
            "uq_data_return_live_sha256",
            "sha256",
            unique=True,
            sqlite_where=text(LIVE_RETURN),
            postgresql_where=text(LIVE_RETURN),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    partner: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[str] = mapped_column(String(200), default="")
    # The stored user who committed it (e-mail as matched; "" in local mode): for four eyes.
    uploaded_by_user: Mapped[str] = mapped_column(String(320), default="", server_default="")
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_revised: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(30))
    published_on: Mapped[date | None] = mapped_column(Date)  # when its figures became public
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="")
    # submitted, approved, rejected or withdrawn (RETURN_STATES); each move is a ReturnEvent.
    state: Mapped[str] = mapped_column(String(20), default="approved")
    # When its figures began to count: the commit (no approval needed) or the approval.
    # None while submitted or once rejected: then none of its figures counts anywhere.
    counts_from: Mapped[datetime | None] = mapped_column(DateTime)


RETURN_STATES = ("submitted", "approved", "rejected", "withdrawn")
"""A return's states: submitted (kept, not counting), approved (counting), rejected (never
counted, with a reason), withdrawn (counted once, no longer)."""


class ReturnEvent(Base):
    """One move of a return into a state: who moved it, when, and why (append-only)."""

    __tablename__ = "return_event"
    __table_args__ = (Index("ix_return_event_return", "return_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("data_return.id"))
    state: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class Observation(Base):
    """One value of one measure for one area and period, as recorded at one time.

    ``value`` is None when ``marker`` says why (".." not available, "x" suppressed, "-"
    nil). ``source`` cites the report paragraph or names the return; ``return_id`` and
    ``row_number`` trace a figure to the row of the file it came from. ``published_on`` is
    the day the figure became public ("as known on D" means published on or before D);
    ``recorded_at`` is when it entered jwmetrics, kept for audit.
    """

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_series", "measure_id", "area_code", "period_end", "recorded_at"),
        Index("ix_observation_return", "return_id"),
        # "When did the data last change?" is asked on every page: without this, a full scan.
        Index("ix_observation_recorded_at", "recorded_at"),
        Index("ix_observation_published", "measure_id", "area_code", "published_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(10), default="exact")
    marker: Mapped[str | None] = mapped_column(String(4))
    data_status: Mapped[str] = mapped_column(String(12), default="final")
    partner: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("data_return.id"))
    row_number: Mapped[int | None] = mapped_column(Integer)
    published_on: Mapped[date] = mapped_column(Date)  # the day it became public
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # when it entered jwmetrics


class CurrentValue(Base):
    """The current version of each period of each series, as the database stands now.

    One row per (measure, area, period): the observation published last (recorded last among
    those published the same day), never one from a withdrawn return. The store keeps it on
    every insert and withdrawal (:mod:`jwmetrics.store.writes`), so the status of every
    series reads it instead of ranking every version of every row. Views of an earlier day
    or moment still rank the versions (:func:`jwmetrics.store.figures.current_versions`).
    """

    __tablename__ = "current_value"
    __table_args__ = (
        # "Is anything newer than D?" and the newest figures first, a page at a time.
        Index("ix_current_value_newest", "published_on", "observation_id"),
        # Each measure's periods, one seek a period (jwmetrics.store.periods_held).
        Index(
            "ix_current_value_measure_period",
            "measure_id",
            "period_start",
            "period_end",
            "observation_id",  # covering: a period's figures without a visit to the table
        ),
        # SQLite: the primary key is the table (no rowid beside it), one b-tree to write.
        {"sqlite_with_rowid": False},
    )

    # Key order (measure, area, period end, start): the key's own index serves "the newest
    # periods of each series", so no second index has to be kept on every insert.
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"))
    published_on: Mapped[date] = mapped_column(Date)  # the version's, to compare newcomers
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Spend(Base):
    """Expenditure on an initiative exactly as stated: a total over a period or a year's."""

    __tablename__ = "spend"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_slug: Mapped[str] = mapped_column(ForeignKey("initiative.slug"), index=True)
    period: Mapped[str] = mapped_column(String(40), default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    amount_gbp: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(20))  # "total" over the period, or "per_year"
    plan_or_actual: Mapped[str] = mapped_column(String(20))  # "stated" or "planned"
    wording: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    initiative: Mapped[Initiative] = relationship(back_populates="spend")


class ChangePoint(Base):
    """A date an analyst says the process changed, so SPC limits start again from there.

    A new segment of the XmR chart starts at the first figure of the series whose period
    ends on or after ``starts_on`` (see :mod:`jwmetrics.spc.xmr`). The note says why.
    """

    __tablename__ = "change_point"
    __table_args__ = (Index("ix_change_point_series", "measure_id", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    starts_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class AppUser(Base):
    """A person who may use a signed-in deployment, by the e-mail their identity provider
    gives, with one role (``viewer``, ``uploader``, ``approver``, ``admin``)."""

    __tablename__ = "app_user"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)

    scopes: Mapped[list[UserScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class UserScope(Base):
    """One assignment of a user: a partner they send returns for, or an initiative they
    upload or approve for. A user with no assignment of a kind is not limited by it."""

    __tablename__ = "user_scope"
    __table_args__ = (Index("ix_user_scope_email", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(ForeignKey("app_user.email", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "partner" or "initiative"
    value: Mapped[str] = mapped_column(String(200))  # a partner's name or an initiative's id

    user: Mapped[AppUser] = relationship(back_populates="scopes")


class AuditEvent(Base):
    """One thing someone did: sign-in, upload, approval, rejection, withdrawal, catalogue
    or role change. Append-only: rows are added, never changed or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(320))  # e-mail, or "local analyst" in local mode
    action: Mapped[str] = mapped_column(String(40))  # see jwmetrics.governance.audit.ACTIONS
    subject: Mapped[str] = mapped_column(String(300), default="")  # "return 12", an e-mail
    detail: Mapped[str] = mapped_column(Text, default="")  # what, in words


class ReturnSchedule(Base):
    """Which partner owes which measure for which areas, how often, and when it is due.

    ``areas`` names the areas owed: one ONS code, or ``E92000001`` for England, or
    ``local-authorities`` for every local authority district. ``frequency`` is monthly,
    quarterly, annual (calendar years) or financial-year (April to March); a period's figure
    is due ``due_days`` days after the period ends.
    """

    __tablename__ = "return_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner: Mapped[str] = mapped_column(String(200))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    areas: Mapped[str] = mapped_column(String(40))
    frequency: Mapped[str] = mapped_column(String(20))
    due_days: Mapped[int] = mapped_column(Integer)
    first_period_start: Mapped[date] = mapped_column(Date)  # the first period owed
    last_period_end: Mapped[date | None] = mapped_column(Date)  # None: still owed
    source: Mapped[str] = mapped_column(String(300), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
