import datetime as dt

from apps.roles.models import PositionHolder
from apps.roles.services import position_create


def content(title, areas=None, kpis=None, **fields):
    """Position content: areas as {"area": [(text, frequency), ...]} or [(text) ...]."""
    areas = areas if areas is not None else {"岗位职责": [f"{title}的日常工作"]}
    return {
        "title": title,
        **fields,
        "areas": [
            {
                "name": name,
                "tasks": [
                    {"text": t, "frequency": "as_needed"}
                    if isinstance(t, str)
                    else {"text": t[0], "frequency": t[1]}
                    for t in tasks
                ],
            }
            for name, tasks in areas.items()
        ],
        "kpis": [{"name": n, "target": t, "definition": "", "unit": ""} for n, t in (kpis or [])],
    }


def make_position(organisation, title, *, superiors=(), department=None, author=None, areas=None, **fields):
    return position_create(
        organisation=organisation,
        content=content(title, areas, **fields),
        department=department,
        superiors=superiors,
        effective_date=dt.date(2025, 1, 1),
        approver="李行政",
        author=author,
    )


def hold(position, user, store):
    return PositionHolder.objects.create(position=position, user=user, store=store)
