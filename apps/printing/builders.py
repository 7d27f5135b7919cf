"""Registry of print builders: each app registers the long prints it offers.

    from apps.printing.builders import register_builder

    @register_builder("roles.department_book")
    def department_book(*, job, params, progress) -> tuple[str, bytes]:
        ...
        progress(done, total)  # as often as useful
        return "filename.pdf", pdf_bytes

A builder checks what `job.owner` may see itself (it runs in the worker, not in a view).
"""

from collections.abc import Callable

_builders: dict[str, Callable] = {}


def register_builder(name: str):
    def decorator(fn):
        _builders[name] = fn
        return fn

    return decorator


def get_builder(name: str) -> Callable:
    return _builders[name]
