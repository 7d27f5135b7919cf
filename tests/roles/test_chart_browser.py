"""The org chart in a real browser: the PNG made client-side from the SVG, and the printed page."""

import io
import struct

import pytest
from PIL import Image

from tests.browser_fixtures import screenshot, sign_in
from tests.factories.org import DepartmentFactory
from tests.factories.roles import make_position
from tests.pdf_checks import page_count, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTMENTS = [
    ("aftersales", "售后服务部"),
    ("hall-ops", "营业部"),
    ("branch-ops", "网点营运部"),
    ("admin", "行政部"),
]


@pytest.fixture
def chart(organisation):
    """Four departments (wider than an A4 page at full size); 服务经理 reports to two superiors."""
    depts = {
        code: DepartmentFactory(organisation=organisation, code=code, name=name) for code, name in DEPARTMENTS
    }
    vp = make_position(organisation, "分管副总经理", department=depts["admin"])
    head = make_position(organisation, "服务站长", department=depts["aftersales"], superiors=[vp])
    manager = make_position(organisation, "服务经理", department=depts["aftersales"], superiors=[vp, head])
    make_position(organisation, "服务顾问", department=depts["aftersales"], superiors=[manager])
    make_position(organisation, "跟踪业务员", department=depts["aftersales"], superiors=[manager])
    hall = make_position(organisation, "营业厅经理", department=depts["hall-ops"], superiors=[vp])
    for title in ("营业员", "台席岗", "营业厅保安"):
        make_position(organisation, title, department=depts["hall-ops"], superiors=[hall])
    make_position(organisation, "银行网点营业主管", department=depts["branch-ops"], superiors=[vp])
    return manager


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(1 for v in image.convert("L").crop(box).get_flattened_data() if v < 110)


def open_chart(page, user):
    sign_in(page, user.username)
    page.goto("/roles/chart/")
    page.wait_for_selector("#org-chart svg")


def test_the_org_chart_downloads_as_a_png_with_its_chinese_titles(page, clerk, chart, tmp_path):
    open_chart(page, clerk)
    text = page.text_content("#org-chart")
    assert "服务经理" in text and "售后服务部" in text and "分管副总经理" in text
    with page.expect_download() as info:
        page.click("[data-testid=chart-png]")
    download = info.value
    assert download.failure() is None and download.suggested_filename == "org-chart.png"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    width, height = png_size(data)
    assert width > 200 and height > 100

    # The PNG is the whole chart drawn at twice its size on white, and the Chinese title of the
    # two-superior box is there as ink (an empty canvas or a tainted one would give no file at all).
    box = page.evaluate(
        """pk => {
          const svg = document.querySelector("#org-chart svg");
          const r = svg.querySelector(`[data-position="${pk}"] rect`);
          return {w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height,
                  x: r.x.baseVal.value, y: r.y.baseVal.value, bw: r.width.baseVal.value};
        }""",
        chart.pk,
    )
    assert (width, height) == (round(box["w"]) * 2, round(box["h"]) * 2)
    image = Image.open(io.BytesIO(data))
    assert image.convert("RGB").getpixel((2, 2)) == (255, 255, 255)
    x, y, bw = (round(box[k] * 2) for k in ("x", "y", "bw"))
    title_area = (x + 40, y + 8, x + bw - 40, y + 44)
    assert dark_pixels(image, title_area) > 100


def test_printing_keeps_the_whole_chart_on_the_page(page, clerk, chart):
    open_chart(page, clerk)
    assert page.evaluate("document.querySelector('#org-chart svg').viewBox.baseVal.width") > 800
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 760, "height": 1000})  # about an A4 page's printable width
    assert not page.is_visible("[data-testid=chart-png]")  # the buttons stay off the paper
    svg = page.locator("#org-chart svg").bounding_box()
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= page.evaluate("document.documentElement.clientWidth")
    assert svg["height"] > 100
    screenshot(page, "roles-org-chart-print")
    pdf = page.pdf(format="A4", print_background=True)
    text = pdf_text(pdf).replace(" ", "")
    assert page_count(pdf) == 1
    for _code, name in DEPARTMENTS:
        assert name in text
    assert "服务经理" in text and "营业厅保安" in text
