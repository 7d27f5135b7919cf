"""The reader of role descriptions (岗位职责, 岗位说明书, 标准作业指导), as three named steps:

    split(text) → lines · classify(line) → what it is · assemble(lines, kinds) → positions

`parse_document` runs them; every line of the text lands in exactly one place (a field, an area,
a task, a KPI, a relation, a note or a pay line), recorded in `ParsedDocument.placements`.
"""

from __future__ import annotations

from .assemble import assemble
from .classify import classify
from .model import ParsedArea, ParsedDescription, ParsedDocument, ParsedKpi, ParsedTask
from .split import Line, split

__all__ = [
    "Line",
    "ParsedArea",
    "ParsedDescription",
    "ParsedDocument",
    "ParsedKpi",
    "ParsedTask",
    "assemble",
    "classify",
    "parse_document",
    "split",
]


def parse_document(text: str) -> ParsedDocument:
    lines = split(text)
    return assemble(lines, [classify(line) for line in lines])
