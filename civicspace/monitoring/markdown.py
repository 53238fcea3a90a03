"""Markdown to safe HTML: the one rule lives in civicspace/core/text.py (comments and raw HTML removed)."""
from civicspace.core.text import clean_markdown, render_markdown  # noqa: F401
