"""Roles benchmark: one 岗位说明书 PDF vs a bare one-line WeasyPrint page, and a department book.

Run: scripts/services.sh .venv/bin/python benchmarks/roles_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 7
BOOK_SIZE = 50


def median_time(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    call_command("migrate", verbosity=0)
    from weasyprint import HTML

    from apps.org.models import Department, Organisation
    from apps.printing.documents import CJK_FONT_STACK
    from apps.roles.documents import department_book_pdf, position_pdf
    from apps.roles.services import position_create

    org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
    dept, _ = Department.objects.get_or_create(
        organisation=org, code="bench-dept", defaults={"name": "基准部门"}
    )
    existing = dept.positions.count()
    for i in range(existing, BOOK_SIZE):
        position_create(
            organisation=org,
            department=dept,
            content={
                "title": f"营业员{i:02d}",
                "summary": "在营业厅前台为客户办理业务和咨询，按时完成本职工作。" * 2,
                "education": "中专及以上",
                "areas": [
                    {
                        "name": f"职责{a}",
                        "tasks": [
                            {
                                "text": f"营业前准备、核对卡品库存及营收款项、交接班 {a}-{t}",
                                "frequency": "per_shift",
                            }
                            for t in range(5)
                        ],
                    }
                    for a in range(4)
                ],
                "kpis": [{"name": "满意率", "target": "≥98%", "definition": "", "unit": "%"}],
            },
        )
    position = dept.positions.order_by("pk").first()
    html = f"<html><body style='font-family: {CJK_FONT_STACK}'>岗位说明书</body></html>"
    HTML(string=html).write_pdf()  # warm fonts
    position_pdf(position, position.current_revision)
    bare = median_time(lambda: HTML(string=html).write_pdf())
    one = median_time(lambda: position_pdf(position, position.current_revision))
    start = time.perf_counter()
    book = department_book_pdf(dept)
    book_time = time.perf_counter() - start
    print(f"database: {django.db.connection.vendor}")
    print(f"bare one-line Chinese page (median of {RUNS}): {bare * 1000:.1f} ms")
    print(f"one 岗位说明书 PDF, 4 areas x 5 tasks (median of {RUNS}): {one * 1000:.1f} ms")
    print(f"ratio 岗位说明书 / bare page: {one / bare:.1f}x")
    print(f"department book of {BOOK_SIZE} positions: {book_time:.2f} s ({len(book) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
