"""The source documents of ../shared/seeds/, read relative to the repository, cut into documents.

The collection is a crawl of web pages: each page starts with its title on a line of its own (short,
no spaces), then its paragraphs, separated by blank lines.
"""

from __future__ import annotations

import csv
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SEEDS = REPOSITORY.parent / "shared" / "seeds" / "service-operations-source-documents.zh.txt"
LABELS = Path(__file__).with_name("seed_labels.tsv")
POSITIONS = Path(__file__).with_name("seed_positions.tsv")


def _is_page_title(line: str) -> bool:
    line = line.strip()
    return bool(line) and len(line) <= 40 and " " not in line and not any(c in line for c in "。；;")


def documents() -> dict[str, str]:
    """{page title: page text} in file order; a page title repeated at once is one page."""
    if not SEEDS.exists():
        raise FileNotFoundError(f"{SEEDS} is missing: the seeds are read from ../shared/seeds/")
    pages: list[tuple[str, list[str]]] = []
    for line in SEEDS.read_text(encoding="utf-8").splitlines():
        if _is_page_title(line) and not (pages and pages[-1][0] == line.strip()):
            pages.append((line.strip(), []))
        if pages:
            pages[-1][1].append(line)
    return {title: "\n".join(lines) for title, lines in pages}


def expected_positions() -> dict[str, list[list[str]]]:
    """{page title: [[accepted titles of position 1], …]} for every role description."""
    with POSITIONS.open(encoding="utf-8") as f:
        return {row[0]: [t.split("|") for t in row[1].split(",")] for row in csv.reader(f, delimiter="\t")}


def labels() -> dict[str, list[tuple[str, str]]]:
    """{page title: [(place, start of the line), …]} in line order."""
    out: dict[str, list[tuple[str, str]]] = {}
    with LABELS.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#"):
                out.setdefault(row[0], []).append((row[1], row[2]))
    return out
