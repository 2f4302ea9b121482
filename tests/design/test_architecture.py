"""The library stays usable without the UI: nothing in jwmetrics/ imports Streamlit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "jwmetrics"


def test_no_library_module_imports_streamlit() -> None:
    offenders = [
        path.relative_to(LIBRARY.parent).as_posix()
        for path in LIBRARY.rglob("*.py")
        if any(
            line.lstrip().startswith(("import streamlit", "from streamlit"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_importing_every_library_module_loads_no_streamlit() -> None:
    """Also catches an indirect import, in a fresh interpreter."""
    modules = sorted(
        "jwmetrics." + p.relative_to(LIBRARY).with_suffix("").as_posix().replace("/", ".")
        for p in LIBRARY.rglob("*.py")
        if p.stem not in ("__init__", "__main__") and "migrations" not in p.parts
    )
    assert "jwmetrics.present.status" in modules  # subpackages are imported too
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print('streamlit' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=LIBRARY.parent, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
