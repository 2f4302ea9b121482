"""Briefing packs: the same pack twice, each measure's status and reason, a real PDF,
changes since an earlier day, commentary, provenance, and exact rebuilds (both backends)."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.words import Status
from jwmetrics.briefing.commentary import write_comment
from jwmetrics.briefing.content import PackRequest, build_content, footnotes
from jwmetrics.briefing.packs import last_pack_day, make_pack, rebuild_pack, render
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.present.pack.document import STATUS_ORDER, ordered, pack_file, render_pack
from jwmetrics.returns import check_return, commit_return
from jwmetrics.store.lookup import ENGLAND

AS_OF = date(2002, 6, 1)
PRODUCED = re.compile(r"<p>Produced by .*? with jwmetrics\.</p>")
needs_pdftotext = pytest.mark.skipif(  # under CI it must be there (make test installs it)
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="pdftotext (poppler-utils) is not installed; make test installs it",
)


def request(initiative: str | None, moment: datetime, since: date | None = None) -> PackRequest:
    """A pack request made at ``moment``."""
    return PackRequest(initiative, AS_OF, since, "analyst@hmt.gov.uk", moment)


def test_the_same_pack_twice_differs_only_in_its_generation_time(db: Database) -> None:
    first = render(
        db, request("rough-sleepers-unit", datetime(2026, 12, 3, 9, 0)), "html", pack_file
    )
    second = render(db, request("rough-sleepers-unit", datetime.now()), "html", pack_file)
    assert first != second  # the generation time is on the title page
    assert PRODUCED.sub("", first.decode()) == PRODUCED.sub("", second.decode())


def test_the_pack_holds_every_measures_status_and_reason(db: Database) -> None:
    page = render(db, request(None, datetime.now()), "html", pack_file).decode()
    content = build_content(db, request(None, datetime.now()))
    measures = [m for section in content.initiatives for m in section.measures]  # with a page
    assert len(measures) + sum(len(s.without_pages) for s in content.initiatives) >= 10
    assert any(m.detail.assessment.quality for m in measures)  # some note is checked below
    for brief in measures:
        row = series_detail(db, brief.detail.measure_slug, ENGLAND, AS_OF).assessment
        assert f"<p>{html.escape(row.reason)}</p>" in page, row.measure
        assert row.status in page
        for note in row.quality:  # the status's data-quality notes, beside it in the pack
            assert html.escape(note[0].upper() + note[1:]) in page, (row.measure, note)
    assert page.count('role="img" aria-label="Trend chart of') == len(measures)  # alt text
    # Opens offline: past the inlined plotly.js bundle, nothing is fetched or linked.
    after_bundle = page[page.index("</script>") :]
    assert not re.search(r"""(src|href)=["']?https?:""", after_bundle)
    assert "<link" not in after_bundle
    assert '<th scope="col">' in page


@needs_pdftotext
def test_the_pdf_is_a_real_pdf_whose_text_holds_the_statuses_and_reasons(
    db: Database, tmp_path: Path
) -> None:
    made = make_pack(db, "rough-sleepers-unit", AS_OF, pack_file, file_format="pdf", by="analyst")
    assert made.data.startswith(b"%PDF-") and made.data.rstrip().endswith(b"%%EOF")
    path = tmp_path / "pack.pdf"
    path.write_bytes(made.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    row = series_detail(db, "rough-sleepers-count", ENGLAND, AS_OF).assessment
    assert "Briefing: Rough Sleepers Unit" in flat and "As known on 1 June 2002" in flat
    assert row.status in flat and " ".join(row.reason.split()[:12]) in flat
    assert re.search(r"Page 1 of \d+", flat)  # A4 pages, numbered
    # the charts were drawn: their own scripts ran under the printer's policy (pdf.py)
    assert "Trajectory" in flat and "Target" in flat


def test_a_revision_between_packs_is_on_the_first_page_with_both_values(db: Database) -> None:
    first = make_pack(db, "rough-sleepers-unit", date(2002, 1, 1), pack_file, by="analyst")
    data = (
        b"initiative,measure,area_code,period,value,note\n"
        b"rough-sleepers-unit,rough-sleepers-count,E92000001,June 2001,650,synthetic revision\n"
    )
    check = check_return(db, data, "revision.csv", published_on=date(2002, 3, 1))
    commit_return(db, check, confirm_warnings=True, needs_approval=False)
    assert last_pack_day(db, "rough-sleepers-unit") == date(2002, 1, 1)
    second = make_pack(
        db, "rough-sleepers-unit", AS_OF, pack_file, by="analyst"
    )  # since the last pack
    page = second.data.decode()
    changes = page[
        page.index("<h2>Changes since 1 January 2002</h2>") : page.index(
            "</section>", page.index("<h2>Changes since")
        )
    ]
    assert "June 2001" in changes and "<td>700</td><td>650</td>" in changes
    assert "revision.csv" in changes
    assert "Synthetic data" in page  # the revision's note says synthetic: labelled
    assert first.pack_id != second.pack_id


def test_commentary_and_provenance_are_in_the_pack_and_html_never_passes(db: Database) -> None:
    write_comment(
        db,
        "rough-sleepers-count",
        ENGLAND,
        "June 2001",
        "**Two thirds** met early.\n- <script>alert(1)</script>",
        by="lead@hmt.gov.uk",
    )
    page = render(db, request("rough-sleepers-unit", datetime.now()), "html", pack_file).decode()
    assert "<strong>Two thirds</strong> met early." in page
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in page
    assert "by lead@hmt.gov.uk" in page
    assert "Figure 5, paragraph 7" in page  # the report's citation in the sources


def test_a_recorded_pack_rebuilds_to_the_same_bytes(db: Database) -> None:
    made = make_pack(db, None, AS_OF, pack_file, since=date(2001, 6, 1), by="analyst")
    # Later writes do not change the rebuilt pack: it reads the database as it stood.
    write_comment(db, "rough-sleepers-count", ENGLAND, "June 2001", "Written later.")
    rebuilt = rebuild_pack(db, made.pack_id, pack_file)
    assert rebuilt.sha256 == made.sha256 and rebuilt.data == made.data


def test_the_pack_puts_off_track_first_on_one_summary_and_leaves_out_empty_pages(
    db: Database,
) -> None:
    """The summary and the pages run off track first (Awaiting before Achieved before No
    target before Grey); a measure with no figure gets a line, not a page, unless asked."""
    content = build_content(db, request(None, datetime.now()))
    entries = ordered(content)
    ranks = [STATUS_ORDER.index(Status(b.detail.assessment.status)) for _, b in entries]
    assert ranks == sorted(ranks) and entries[0][1].detail.assessment.status == "Awaiting"
    left_out = [b for section in content.initiatives for b in section.without_pages]
    assert left_out and all(b.empty for b in left_out)  # Grey, and not one figure
    assert not any(b.empty for _, b in entries)
    page = render_pack(content)
    title_page = page[: page.index('<section class="page">')]
    for _, brief in ordered(content, with_left_out=True):  # every measure on the title page
        assert html.escape(brief.detail.measure_name) in title_page
    assert "No figure yet, so no page" in title_page
    headings = re.findall(r"<h2>([^<]+) \(\d+\)</h2>", page)
    assert headings[0] == "Result overdue" and headings[-1] != "Too early, no data or data too old"
    assert page.count('role="img" aria-label="Trend chart of') == len(entries)
    every = build_content(db, replace(request(None, datetime.now()), include_empty=True))
    assert sum(len(s.measures) for s in every.initiatives) == len(entries) + len(left_out)


def test_sources_name_the_partner_and_the_people(db: Database) -> None:
    """A return's line names the partner who sent it and who uploaded it; one that counted
    with no approval says so rather than "approved by"; a blank partner is "not recorded"."""
    data = (
        b"initiative,measure,area_code,period,value,note\n"
        b"rough-sleepers-unit,rough-sleepers-count,E92000001,June 2002,560,synthetic figure\n"
    )
    check = check_return(
        db, data, "june.csv", partner="Westminster City Council", published_on=date(2002, 7, 1)
    )
    commit_return(db, check, needs_approval=False)  # the local analyst, no approval needed
    detail = series_detail(db, "rough-sleepers-count", ENGLAND, date(2002, 8, 1))
    (line,) = [n for n in footnotes(db, detail, datetime.now()) if n.startswith("Return")]
    assert line.startswith(
        "Return 1: june.csv; partner: Westminster City Council; uploaded by local analyst on "
    )
    assert line.endswith("; counted on upload (no approval needed).")
    assert "anonymous" not in line and "approved by" not in line


def test_a_history_loaded_return_by_return_is_one_source_line(db: Database) -> None:
    """The snapshot, a return a year: one line for the thirteen, not thirteen lines."""
    load_snapshot(db)
    detail = series_detail(db, "rough-sleeping-snapshot", ENGLAND, date(2023, 3, 1))
    (line,) = [n for n in footnotes(db, detail, datetime.now()) if n.startswith("Return")]
    assert line.startswith(
        "Returns 1 to 13 (13 files, rough_sleeping_snapshot_autumn_2010.csv to "
        "rough_sleeping_snapshot_autumn_2022.csv); partner: Official statistics: rough "
        "sleeping snapshot in England; uploaded by local analyst on "
    )
    assert line.endswith("; counted on upload (no approval needed).")


def test_a_pack_with_every_page_rebuilds_to_the_same_bytes(db: Database) -> None:
    made = make_pack(db, "sure-start", AS_OF, pack_file, by="analyst", include_empty=True)
    rebuilt = rebuild_pack(db, made.pack_id, pack_file)
    assert rebuilt.sha256 == made.sha256 and rebuilt.data == made.data


def test_brief_command_writes_and_refuses(db_url: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "pack.html"
    argv = [
        "--database-url",
        db_url,
        "brief",
        "sure-start",
        "--output",
        str(target),
        "--as-of",
        "2002-06-01",
        "--user",
        "me",
    ]
    assert main(argv, out=out, err=err) == 0, err.getvalue()
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert "Wrote pack 1" in out.getvalue()
    bad = [*argv[:5], str(tmp_path / "pack.docx")]
    assert main(bad, out=out, err=err) == 1
    assert "expected FILE.html or FILE.pdf" in err.getvalue()
