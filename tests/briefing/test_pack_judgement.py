"""The pack shows the delivery confidence judged beside each computed status, as it knew it.

A pack records its moment; a rating recorded after it leaves the pack's rebuild unchanged,
and the next pack shows it. Both backends. The ratings' reasons are synthetic.
"""

from __future__ import annotations

import html
from datetime import date

from jwmetrics.assess.detail import series_detail
from jwmetrics.briefing.packs import make_pack, rebuild_pack
from jwmetrics.briefing.ratings import rate, steps_apart
from jwmetrics.db.engine import Database
from jwmetrics.present.pack.document import pack_file
from jwmetrics.store.lookup import ENGLAND

AS_OF = date(2002, 6, 1)
MEASURE = "nursery-places-4-year-olds"  # Achieved as known on 1 June 2002
REASON = "synthetic: providers report places closing faster than they open"


def test_a_rating_after_a_pack_leaves_its_rebuild_alone_and_the_next_pack_shows_it(
    db: Database,
) -> None:
    status = series_detail(db, MEASURE, ENGLAND, AS_OF).assessment.status
    opposite = "Red" if status in ("Green", "Achieved", "Amber") else "Green"
    apart = steps_apart(opposite, status)
    assert apart is not None and apart >= 2  # far enough apart to be pointed out
    before = make_pack(db, "eydcp", AS_OF, pack_file)
    assert "Delivery confidence" not in before.data.decode()
    assert '<th scope="col">Judged</th>' not in before.data.decode()  # no rating, no column
    rate(db, MEASURE, ENGLAND, opposite, reason=REASON, evidence="synthetic: provider survey",
         as_of=date(2002, 5, 1), by="ann@example.gov.uk")  # fmt: skip
    rate(db, MEASURE, ENGLAND, "Amber", reason="synthetic: made after the pack's day",
         evidence="synthetic", as_of=date(2002, 7, 1), by="ann@example.gov.uk")  # fmt: skip

    rebuilt = rebuild_pack(db, before.pack_id, pack_file)
    assert (rebuilt.sha256, rebuilt.data) == (before.sha256, before.data)

    after = make_pack(db, "eydcp", AS_OF, pack_file)
    page = after.data.decode()
    said = (
        f"Judged {opposite} by ann@example.gov.uk as at 1 May 2002: {REASON} (the judgement "
        f"and the computed status, {status}, are {apart} steps apart on the five-point scale)"
    )
    assert f"<strong>Delivery confidence:</strong> {html.escape(said)}</span></p>" in page
    assert '<th scope="col">Judged</th>' in page  # a column of the summary, with a rating
    assert f'<span class="judged">{opposite} ({apart} steps apart)</span>' in page
    assert "made after the pack&#x27;s day" not in page  # rated as at a day after the pack's
    again = rebuild_pack(db, after.pack_id, pack_file)
    assert (again.sha256, again.data) == (after.sha256, after.data)
