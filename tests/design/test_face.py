"""The face reads as one: ``from jwmetrics import Metrics`` works, lazily, and every earlier
name of a method still answers (users' scripts call them)."""

from __future__ import annotations

import inspect
import subprocess
import sys

from design.imports import ROOT

from jwmetrics import Metrics

EARLIER_NAMES = {
    "write_comment": "add_comment",
    "make_pack": "add_pack",
    "rebuild_pack": "rebuilt_pack",
    "areas_of": "measure_areas",
    "area_choices": "areas",
    "template": "return_template",
    "load_snapshot": "add_snapshot",
    "load_catalogue": "add_catalogue",
    "compare": "comparison",
    "actor_named": "actor",
    "import_self_assessment": "add_self_assessment",
    "measurement_and_timeliness": "measurement_timeliness",
}
WRITE_PREFIXES = ("add_", "remove_", "close_")
RETURN_VERBS = ("check_return", "commit_return", "approve_return", "reject_return")


def test_the_package_exports_the_face_without_loading_it_first() -> None:
    code = (
        "import sys, jwmetrics\n"
        "print('jwmetrics.metrics.face' in sys.modules)\n"
        "from jwmetrics import Metrics\n"
        "print(Metrics.__module__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "jwmetrics.metrics.face"]


def test_every_earlier_name_is_the_new_method() -> None:
    for old, new in EARLIER_NAMES.items():
        assert getattr(Metrics, old) is getattr(Metrics, new), old


def test_no_method_takes_arbitrary_keyword_options() -> None:
    """Every parameter is named, so the type checker sees the face's calls."""
    loose = [
        name
        for name, method in inspect.getmembers(Metrics, inspect.isfunction)
        if not name.startswith("_")
        and any(
            p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
            for p in inspect.signature(method).parameters.values()
        )
    ]
    assert loose == []


def test_the_writes_are_named_by_the_rule() -> None:
    """The methods that act as an ``Actor`` write (or ask ``may_``); each is named add_,
    remove_, close_, a return verb, or is an earlier name kept for scripts."""
    writers = {
        name
        for name, method in inspect.getmembers(Metrics, inspect.isfunction)
        if any(p.annotation == "Actor" for p in inspect.signature(method).parameters.values())
    }
    assert writers  # the walk found the writes
    misnamed = {
        name
        for name in writers - set(EARLIER_NAMES)
        if not name.startswith(WRITE_PREFIXES)
        and name not in RETURN_VERBS
        and name != "withdraw_return"
        and not name.startswith("may_")
    }
    assert misnamed == set()
