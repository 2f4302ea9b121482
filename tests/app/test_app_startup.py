"""The server's first run: the collector paused then resumed with start-up objects frozen, and
page modules preloaded on a worker thread once per process (``dashboard.startup``)."""

from __future__ import annotations

import gc
import sys
import threading
import types
from collections.abc import Iterator

import pytest

import dashboard.startup as app_startup
from dashboard.chrome import PAGE_MODULES


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if no run had happened in this process yet; the collector's state restored after."""
    monkeypatch.setattr(app_startup, "_process", {"started": False, "preloaded": False})
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()


def test_first_run_pauses_the_collector_then_freezes(fresh_process: None) -> None:
    gc.enable()
    frozen_before = gc.get_freeze_count()
    with app_startup.first_run_without_gc_pauses():
        assert not gc.isenabled()
        kept = [object() for _ in range(100)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(kept)


def test_later_runs_leave_the_collector_alone(fresh_process: None) -> None:
    gc.enable()
    with app_startup.first_run_without_gc_pauses():
        pass
    with app_startup.first_run_without_gc_pauses():
        assert gc.isenabled()


def test_the_collector_resumes_when_the_first_run_stops_early(fresh_process: None) -> None:
    gc.enable()
    with pytest.raises(RuntimeError), app_startup.first_run_without_gc_pauses():
        raise RuntimeError("st.stop and st.rerun are exceptions too")
    assert gc.isenabled()


def test_a_collector_switched_off_stays_off(fresh_process: None) -> None:
    gc.disable()
    with app_startup.first_run_without_gc_pauses():
        pass
    assert not gc.isenabled()


def _wait_for_preload() -> None:
    for thread in threading.enumerate():
        if thread.name == "preload":
            thread.join(timeout=30)


def test_preload_imports_once_and_survives_a_broken_module(
    fresh_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported: list[str] = []

    def fake_import(name: str) -> types.ModuleType:
        imported.append(name)
        if name == "broken":
            raise ImportError("broken on purpose")
        return types.ModuleType(name)

    monkeypatch.setattr(app_startup.importlib, "import_module", fake_import)
    app_startup.preload_modules(["broken", "sys", "not_yet_imported_module"])
    _wait_for_preload()
    assert imported == ["broken", "not_yet_imported_module"]  # "sys" is already imported
    app_startup.preload_modules(["another_module"])  # only the first call preloads
    _wait_for_preload()
    assert imported == ["broken", "not_yet_imported_module"]


def test_every_page_lists_modules_that_exist() -> None:
    """A misspelt name would only cost speed, so check the lists import."""
    assert set(PAGE_MODULES) == {
        "",
        "initiative",
        "upload",
        "returns",
        "returns-due",
        "self-assessment",
        "value-for-money",
        "admin",
        "passport",
        "inbox",
        "help",
    }
    for modules in PAGE_MODULES.values():
        for name in modules:
            __import__(name)
            assert name in sys.modules
