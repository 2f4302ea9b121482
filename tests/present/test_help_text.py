"""The Help page's text: written for analysts (docs/help/), no code names, links in-app."""

from __future__ import annotations

import re

import pytest

from jwmetrics.present.help_text import DEFAULT_TOPIC, HELP_TOPICS, help_markdown

CODE_NAMES = re.compile(r"jwmetrics\.|MIN_FIGURES|_at\b|`[a-z_]+\(|\.py\b|status_rules|--format")


@pytest.mark.parametrize("topic", list(HELP_TOPICS))
def test_every_topic_is_for_analysts(topic: str) -> None:
    """No module paths, constants or thresholds by their identifiers; no title repeated
    (the page's topic picker names it); every link to another topic stays in the app."""
    text = help_markdown(topic)
    assert "is missing from this installation" not in text
    assert not CODE_NAMES.search(text), CODE_NAMES.search(text)
    assert not text.startswith("# ")
    assert not re.search(r"\]\([^)]*\.md", text)  # links point at help?topic=…


def test_the_status_topic_gives_the_rules_in_order_and_the_words() -> None:
    text = help_markdown("status")
    assert "1. **Grey** when there is no figure since the baseline" in text
    assert "**Green** when the chance is 4 in 5 (80%) or better" in text
    assert "published**, not the day it was loaded" in text
    assert DEFAULT_TOPIC == "start" and "| Red | ✖ |" in help_markdown("start")
    assert "](help?topic=status)" in help_markdown("start")
