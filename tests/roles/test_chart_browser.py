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


@pytest.fixture
def wide_chart(organisation):
    """Six departments, wider than the window at full size; the root (分管副总经理) sits in 行政部,
    the department drawn last (rightmost)."""
    depts = {
        code: DepartmentFactory(organisation=organisation, code=code, name=name) for code, name in DEPARTMENTS
    }
    depts["hr"] = DepartmentFactory(organisation=organisation, code="hr", name="人事部")
    depts["quality"] = DepartmentFactory(organisation=organisation, code="quality", name="品管部")
    root = make_position(organisation, "分管副总经理", department=depts["admin"])
    for code, dept in depts.items():
        if code == "admin":
            continue
        head = make_position(organisation, f"{dept.name}经理", department=dept, superiors=[root])
        for i in range(3):
            make_position(organisation, f"{dept.name}专员{i + 1}", department=dept, superiors=[head])
    return root


def _box(page, pk):
    return page.locator(f'#org-chart [data-position="{pk}"] rect').bounding_box()


def test_the_org_chart_fits_the_width_so_its_root_is_in_view_then_zooms_and_pans(page, clerk, wide_chart):
    open_chart(page, clerk)
    natural = page.evaluate("document.querySelector('#org-chart svg').viewBox.baseVal.width")
    window = page.evaluate("({w: window.innerWidth, h: window.innerHeight})")
    assert natural > window["w"]  # at its own size the chart would run out of view
    assert page.evaluate("document.documentElement.scrollWidth") <= window["w"]
    root = _box(page, wide_chart.pk)
    assert root["x"] >= 0 and root["x"] + root["width"] <= window["w"], root
    assert root["y"] >= 0 and root["y"] + root["height"] <= window["h"], root
    screenshot(page, "roles-org-chart-fit")

    page.click("[data-testid=chart-zoom-in]")
    zoomed = _box(page, wide_chart.pk)
    assert zoomed["width"] > root["width"] * 1.4

    # Dragging moves the chart with the pointer; a short press still opens a position.
    svg = page.locator("#org-chart svg").bounding_box()
    cx, cy = svg["x"] + svg["width"] / 2, svg["y"] + svg["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 120, cy, steps=6)
    page.mouse.up()
    moved = _box(page, wide_chart.pk)
    assert moved["x"] < zoomed["x"] - 60
    assert page.url.endswith("/roles/chart/")  # the drag did not follow a link

    page.mouse.move(cx, cy)
    page.mouse.wheel(0, 300)  # zoom out under the pointer
    page.click("[data-testid=chart-zoom-fit]")
    assert _box(page, wide_chart.pk) == pytest.approx(root, abs=1)
    page.click(f'#org-chart [data-position="{wide_chart.pk}"] rect')
    page.wait_for_url(f"**{wide_chart.get_absolute_url()}")
