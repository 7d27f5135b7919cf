"""Plan prose is Markdown: rendered to sanitised HTML on the plan page and in the printed plan."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse

from apps.org.models import Department
from apps.targets import services
from apps.targets.forms import PlanForm
from apps.targets.richtext import render_markdown
from tests.pdf_checks import assert_cjk_font_embedded, pdf_text


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    """The real elements in `html` (escaped text does not count), with their attributes."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


TRAINING = "培训安排：\n\n- 每月前台服务流程培训\n- 每季度技术培训\n- 新员工入职培训\n"
BUDGET_TABLE = "| 项目 | 金额 |\n| --- | --- |\n| 培训费 | 1000 |\n"


def test_a_list_renders_as_html_list_items():
    html = render_markdown(TRAINING)
    assert "<ul>" in html
    assert "<li>每月前台服务流程培训</li>" in html
    assert "<p>培训安排：</p>" in html


def test_a_numbered_list_and_bold_text_render():
    html = render_markdown("1. **第一步**\n2. 第二步")
    assert "<ol>" in html
    assert "<li><strong>第一步</strong></li>" in html


def test_a_table_renders_with_head_and_body():
    html = render_markdown(BUDGET_TABLE)
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert "<th>项目</th>" in html
    assert "<td>培训费</td>" in html


def test_aligned_table_columns_carry_no_style_attribute():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<td>2</td>" in html
    assert "style" not in html


def test_headings_start_below_the_pages_own_headings():
    html = render_markdown("# 一级\n\n## 二级\n\n###### 六级")
    assert "<h3>一级</h3>" in html
    assert "<h4>二级</h4>" in html
    assert "<h6>六级</h6>" in html
    assert "<h1" not in html and "<h2" not in html


def test_a_script_tag_is_shown_as_text_not_run():
    html = render_markdown("<script>alert(1)</script>\n\n正文")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<p>正文</p>" in html


def test_an_onerror_attribute_never_reaches_the_page():
    html = render_markdown('<img src="x" onerror="alert(1)">\n\n行内 <img src=x onerror=alert(1)>')
    assert [tag for tag, _attrs in elements(html)] == ["p", "p"]
    assert all(not attrs for _tag, attrs in elements(html))
    assert "&lt;img" in html


def test_javascript_links_are_stripped():
    html = render_markdown(
        "[点我](javascript:alert(1)) 和 <javascript:alert(1)> 和 ![图](javascript:alert(1))"
    )
    assert {tag for tag, _attrs in elements(html)} == {"p"}
    assert "href" not in html and "javascript:" not in html.replace("&lt;javascript:", "")
    assert "点我" in html


def test_raw_html_is_escaped_not_interpreted():
    html = render_markdown('<b>粗</b> <div onclick="x">块</div>\n\n<table><tr><td>x</td></tr></table>')
    assert "&lt;b&gt;粗&lt;/b&gt;" in html
    assert "&lt;div" in html
    assert "<b>" not in html and "<div" not in html and "<table>" not in html


def test_plain_lines_keep_their_line_breaks():
    assert render_markdown("第一行\n第二行") == "<p>第一行<br>\n第二行</p>"


@pytest.mark.parametrize("empty", [None, "", "  \n "])
def test_empty_text_renders_nothing_so_default_applies(empty):
    html = Template('{% load targets_richtext %}{{ text|rich|default:"—" }}').render(Context({"text": empty}))
    assert html == "—"


def test_the_filter_output_is_not_escaped_again():
    html = Template("{% load targets_richtext %}{{ text|rich }}").render(Context({"text": "- 甲"}))
    assert "<li>甲</li>" in html


def test_every_prose_field_of_the_plan_form_says_which_markdown_works(admin):
    form = PlanForm(user=admin)
    for name in ["opportunities", "training", "incentives", "policy_proposals"]:
        assert "Markdown" in str(form.fields[name].help_text), name


@pytest.fixture
def plan(db, admin, organisation, store2, manager2):
    dept = Department.objects.create(
        organisation=organisation, store=store2, name="售后服务部", code="aftersales"
    )
    return services.plan_create(
        by=admin,
        department=dept,
        store=store2,
        year=2026,
        responsible=manager2,
        training=TRAINING,
        policy_proposals=BUDGET_TABLE,
        risks="<script>alert(1)</script>",
    )


@pytest.mark.django_db
def test_the_plan_page_shows_markdown_lists_as_html(client_for, manager2, plan):
    response = client_for(manager2).get(reverse("targets:plan", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<li>每季度技术培训</li>" in html
    assert "<td>培训费</td>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_the_plan_form_shows_the_markdown_hint(client_for, admin, plan):
    response = client_for(admin).get(reverse("targets:plan_edit", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_training_helptext"' in html
    assert "Markdown" in html and "| a | b |" in html


@pytest.mark.django_db
def test_the_printed_plan_contains_the_list_items_and_table_in_chinese(client_for, manager2, plan):
    response = client_for(manager2).get(reverse("targets:plan_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert_cjk_font_embedded(response.content)
    text = pdf_text(response.content).replace(" ", "")
    for item in ["培训安排：", "每月前台服务流程培训", "每季度技术培训", "新员工入职培训", "培训费", "1000"]:
        assert item in text, item
    assert "-每月" not in text  # a list bullet, not the Markdown dash
    assert "<script>" in text  # shown as text, never interpreted
