"""Registry of print builders: each app registers the long prints it offers.

    from apps.printing.builders import register_builder

    @register_builder("roles.department_book")
    def department_book(*, job, params, progress) -> tuple[str, bytes]:
        ...
        progress(done, total)  # as often as useful
        return "filename.pdf", pdf_bytes

A job may end in a report instead of a file (an import: what each row did): its builder returns
a JSON-serialisable dict, and names the template that shows it on the job page (the dict is that
template's `report`). The file the job reads is `job.upload` (bytes; see `services.print_job_start`).

    @register_builder("customers.import", report_template="customers/_import_report.html")
    def customers_import_job(*, job, params, progress) -> dict:
        ...

A builder checks what `job.owner` may see itself (it runs in the worker, not in a view).
"""

from collections.abc import Callable

_builders: dict[str, Callable] = {}
_report_templates: dict[str, str] = {}


def register_builder(name: str, *, report_template: str | None = None):
    def decorator(fn):
        _builders[name] = fn
        if report_template:
            _report_templates[name] = report_template
        return fn

    return decorator


def get_builder(name: str) -> Callable:
    return _builders[name]


def report_template_for(name: str) -> str | None:
    """The template showing the report of a job built by `name`; None when it builds a file."""
    return _report_templates.get(name)
