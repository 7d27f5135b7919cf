"""The printed 岗位说明书 (one position, or a department's book) through apps.printing."""

from __future__ import annotations

from apps.org.models import Department, Organisation
from apps.printing.builders import register_builder
from apps.printing.documents import pdf_response, render_pdf, render_pdf_book

from .models import Position, PositionRevision
from .selectors import organisation_ids_for, revision_with_content

TEMPLATE = "roles/pdf/position.html"


def position_pdf_context(position: Position, revision: PositionRevision) -> dict:
    revision = revision_with_content(revision)
    return {"position": position, "revision": revision, "relations": revision.relations or {}}


def position_pdf(position: Position, revision: PositionRevision) -> bytes:
    return render_pdf(TEMPLATE, position_pdf_context(position, revision))


def position_pdf_filename(position: Position, revision: PositionRevision) -> str:
    return f"{position.code}-{revision.title}-v{revision.number}.pdf"


def position_pdf_response(position: Position, revision: PositionRevision):
    return pdf_response(position_pdf(position, revision), position_pdf_filename(position, revision))


def department_book_pdf(department: Department, *, progress=None) -> bytes:
    positions = (
        Position.objects.filter(department=department, is_active=True, current_revision__isnull=False)
        .select_related("current_revision", "department")
        .order_by("title", "pk")
    )
    parts = [(TEMPLATE, position_pdf_context(p, p.current_revision)) for p in positions]
    return render_pdf_book(parts, progress=progress)


@register_builder("roles.department_book")
def department_book(*, job, params, progress) -> tuple[str, bytes]:
    # Runs in the worker: check again that the owner may read this department's positions.
    department = Department.objects.filter(
        pk=params.get("department_id"), organisation_id__in=organisation_ids_for(job.owner)
    ).first()
    if department is None:
        raise PermissionError("department not visible to the job's owner")
    return f"岗位说明书-{department.name}.pdf", department_book_pdf(department, progress=progress)


__all__ = ["Organisation", "department_book", "position_pdf", "position_pdf_response"]
