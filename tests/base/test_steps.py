"""Progress of long work: the steps a check and a commit report, and the CLI's bar."""

from __future__ import annotations

import io
from datetime import date

from jwmetrics.db.engine import Database
from jwmetrics.present.progress_bar import bar_line, terminal_progress
from jwmetrics.returns import check_return, commit_return
from jwmetrics.steps import Step, counted

ROWS = 25_000  # more than two ticks of 10,000


def big_return() -> bytes:
    """A synthetic return of ROWS distinct figures (one measure, areas x months)."""
    lines = ["initiative,measure,area_code,period,value,note"]
    areas = [f"E0900{n:04d}"[:9] for n in range(1, 34)]  # London boroughs E09000001-33
    months = [f"{m:02d}/{y}" for y in range(1900, 2100) for m in range(1, 13)]
    for index in range(ROWS):
        area = areas[index % len(areas)]
        month = months[index // len(areas)]
        lines.append(f"rough-sleepers-unit,rough-sleepers-count,{area},{month},{index},synthetic")
    return ("\n".join(lines) + "\n").encode()


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_counted_reports_every_tick_and_the_end() -> None:
    seen: list[Step] = []
    items = list(counted(range(25), seen.append, "Counting", 25, every=10))
    assert items == list(range(25))
    assert [s.done for s in seen] == [0, 10, 20, 25]
    assert seen[-1].fraction == 1.0 and seen[-1].text == "Counting: 25 of 25 rows"


def test_a_check_and_a_commit_report_their_steps(db: Database) -> None:
    seen: list[Step] = []
    data = big_return()
    check = check_return(db, data, "big.csv", published_on=date(2004, 9, 1), progress=seen.append)
    assert not check.errors, check.errors[:3]
    labels = list(dict.fromkeys(s.label for s in seen))
    assert labels == ["Reading big.csv", "Checking rows", "Comparing with the stored figures"]
    assert seen[0] == Step("Reading big.csv", 0, len(data), "bytes")
    assert Step("Checking rows", ROWS, ROWS) in seen
    seen.clear()
    commit_return(db, check, confirm_warnings=True, progress=seen.append)
    recording = [s.done for s in seen if s.label == "Recording figures"]
    assert recording == [0, 10_000, 20_000, ROWS]
    assert all(s.total == ROWS for s in seen)


def test_the_bar_draws_only_on_a_terminal() -> None:
    piped = io.StringIO()
    terminal_progress(piped)(Step("Recording figures", 5, 10))
    assert piped.getvalue() == ""
    screen = FakeTerminal()
    draw = terminal_progress(screen)
    draw(Step("Recording figures", 5, 10))
    draw(Step("Recording figures", 10, 10))
    frames = screen.getvalue()
    assert frames.startswith("\rRecording figures [############............]  50% 5 of 10 rows")
    assert frames.endswith("100% 10 of 10 rows\n")
    assert bar_line(Step("Reading x.csv", 0, 0, "bytes")).startswith("Reading x.csv [#####")
