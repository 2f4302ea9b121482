"""The README must agree with the code: every CLI command and option is documented there,
and the README documents no command the CLI lacks."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from jwmetrics.cli.main import build_parser

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def cli_section() -> str:
    """The README's "Command line" section, whitespace folded."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    return " ".join(section.split())


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The CLI's commands by name."""
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def documented_commands() -> list[str]:
    """The commands the README's bullets name: "* `python -m jwmetrics NAME ..."."""
    return re.findall(r"\* `python -m jwmetrics ([a-z-]+)", cli_section())


def bullet(command: str) -> str:
    """The README bullet of one command, up to the next bullet."""
    section = cli_section()
    start = section.index(f"* `python -m jwmetrics {command}")
    following = section.find("* `python -m jwmetrics", start + 1)
    return section[start : following if following > 0 else len(section)]


def test_every_command_is_documented_and_nothing_else() -> None:
    assert sorted(documented_commands()) == sorted(subcommands())


def test_every_option_of_every_command_is_in_its_bullet() -> None:
    missing = []
    for name, parser in subcommands().items():
        text = bullet(name)
        for action in parser._actions:
            longs = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if longs and not any(option in text for option in longs):
                missing.append(f"{name} {longs[0]}")
    assert missing == []


def test_the_checks_can_fail() -> None:
    """A command missing from the README would be caught: the finder sees the bullets."""
    assert "status" in documented_commands()
    assert "--as-of" in bullet("status")
    assert "--published" not in bullet("status")


ROOT = Path(__file__).resolve().parents[2]


def folder_map() -> list[tuple[str, str]]:
    """(folder, name) for every entry of the README's folder map; indented entries are in
    ``jwmetrics/``. Names may be globs (``spc*.py``) or lists (``db.py, models.py``)."""
    section = README.split("## How it fits together", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    entries = []
    for line in block.strip("\n").splitlines()[1:]:  # the first line is "jwmetrics/" itself
        names = re.split(r"\s{2,}", line.strip())[0]
        folder = "jwmetrics" if line.startswith("  ") else "."
        entries += [(folder, name.strip()) for name in names.split(",")]
    return entries


def test_every_entry_of_the_folder_map_exists() -> None:
    entries = folder_map()
    assert ("jwmetrics", "assess/") in entries and (".", "pages/") in entries
    missing = [f"{f}/{n}" for f, n in entries if not list((ROOT / f).glob(n.rstrip("/")))]
    assert missing == []


def test_the_folder_map_names_every_folder_and_base_module() -> None:
    """The map is complete: every folder and module at the top of ``jwmetrics/``, and every
    folder and Python file at the root, has its line."""
    listed = {(f, n.rstrip("/")) for f, n in folder_map()}
    library = {
        ("jwmetrics", p.name)
        for p in (ROOT / "jwmetrics").iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
    }
    root = {(".", p.name) for p in ROOT.glob("*.py")} | {
        (".", name) for name in ("dashboard", "pages", "data", "tests", "bench")
    }
    assert library | root <= listed
