"""The org chart as server-side SVG: one column block per department, one row per reporting level,
a connector from every superior to every subordinate (a position with two superiors gets two)."""

from __future__ import annotations

from collections import defaultdict

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from apps.printing.documents import CJK_FONT_STACK

BOX_W, BOX_H = 150, 46
H_GAP, V_GAP = 18, 46
DEPT_PAD, DEPT_GAP, HEADER = 14, 26, 34
MARGIN = 20
SKIP_OFFSET = 10


def _levels(positions) -> dict[int, int]:
    ids = {p.pk for p in positions}
    ups = {p.pk: [s.pk for s in p.superiors.all() if s.pk in ids] for p in positions}
    level: dict[int, int] = {}

    def depth(pk: int, trail: frozenset) -> int:
        if pk in level:
            return level[pk]
        if pk in trail:  # a loop slipped in (never through the editor): cut it
            return 0
        value = 1 + max((depth(s, trail | {pk}) for s in ups[pk]), default=-1)
        level[pk] = value
        return value

    for pk in ids:
        depth(pk, frozenset())
    return level


def _wrap(text: str, width: int = 9) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)][:2] or [""]


def chart_svg(positions, *, standalone: bool = False) -> str:
    positions = list(positions)
    if not positions:
        return ""
    level = _levels(positions)
    by_dept: dict[str, list] = defaultdict(list)
    for p in positions:
        by_dept[p.department.name if p.department else _("No department")].append(p)
    max_level = max(level.values())

    boxes: dict[int, tuple[float, float]] = {}
    dept_rects = []
    x = MARGIN
    for name in sorted(by_dept, key=lambda n: (n == _("No department"), n)):
        rows: dict[int, list] = defaultdict(list)
        for p in sorted(by_dept[name], key=lambda p: p.title):
            rows[level[p.pk]].append(p)
        cols = max(len(r) for r in rows.values())
        width = cols * BOX_W + (cols - 1) * H_GAP + 2 * DEPT_PAD
        for lvl, row in rows.items():
            row_width = len(row) * BOX_W + (len(row) - 1) * H_GAP
            start = x + (width - row_width) / 2
            for i, p in enumerate(row):
                boxes[p.pk] = (
                    start + i * (BOX_W + H_GAP),
                    MARGIN + HEADER + DEPT_PAD + lvl * (BOX_H + V_GAP),
                )
        dept_rects.append((name, x, width))
        x += width + DEPT_GAP
    total_w = x - DEPT_GAP + MARGIN
    total_h = MARGIN + HEADER + 2 * DEPT_PAD + (max_level + 1) * (BOX_H + V_GAP) - V_GAP + MARGIN

    lines = []
    ids = set(boxes)
    for p in positions:
        sups = [s for s in p.superiors.all() if s.pk in ids]
        bx, by = boxes[p.pk]
        for s in sups:
            sx, sy = boxes[s.pk]
            x1, y1 = sx + BOX_W / 2, sy + BOX_H
            x2, y2 = bx + BOX_W / 2, by
            # The horizontal run lies in the gap just above the subordinate's row, so a line that
            # skips a level (a second superior higher up) never runs through the boxes of the rows
            # in between; it leaves its superior off-centre and takes its own lane in that gap, so
            # it does not merge with the ordinary connectors.
            skips = y2 - y1 > V_GAP
            if skips:
                x1 += SKIP_OFFSET
            mid = y2 - V_GAP / 2 + (SKIP_OFFSET if skips else 0)
            lines.append(
                {
                    "two": len(sups) > 1,
                    "from": s.pk,
                    "to": p.pk,
                    "d": f"M{x1:.0f},{y1:.0f} V{mid:.0f} H{x2:.0f} V{y2:.0f}",
                }
            )
    nodes = []
    for p in positions:
        bx, by = boxes[p.pk]
        titles = _wrap(p.title)
        top = by + (17 if len(titles) == 1 else 14)
        nodes.append(
            {
                "position": p,
                "two": len([s for s in p.superiors.all() if s.pk in ids]) > 1,
                "x": f"{bx:.0f}",
                "y": f"{by:.0f}",
                "centre": f"{bx + BOX_W / 2:.0f}",
                "titles": [(line, f"{top + i * 14:.0f}") for i, line in enumerate(titles)],
                "code_y": f"{by + BOX_H - 6:.0f}",
            }
        )
    # The markup is a template, so every title, code and department name is escaped by Django.
    svg = render_to_string(
        "roles/_org_chart.svg",
        {
            "width": f"{total_w:.0f}",
            "height": f"{total_h:.0f}",
            "font_stack": CJK_FONT_STACK,
            "departments": [
                {
                    "name": name,
                    "x": f"{dx:.0f}",
                    "width": f"{width:.0f}",
                    "label_x": f"{dx + DEPT_PAD:.0f}",
                }
                for name, dx, width in dept_rects
            ],
            "top": MARGIN,
            "label_y": MARGIN + 22,
            "dept_height": f"{total_h - 2 * MARGIN:.0f}",
            "box_w": BOX_W,
            "box_h": BOX_H,
            "lines": lines,
            "nodes": nodes,
        },
    )
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg
    return svg
