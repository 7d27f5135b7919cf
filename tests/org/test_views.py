import re

import pytest
from django.urls import reverse

from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_greets_the_user_in_chinese_and_lists_their_stores(client_for, clerk, store, store2):
    response = client_for(clerk).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "您好，张敏" in body
    assert store.name in body
    assert store2.name not in body


def test_sign_in_and_out(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "demo1234"}, follow=True)
    assert response.wsgi_request.user.is_authenticated
    assert "您好" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "登录" in response.content.decode()


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in body  # Django's own zh-hans message
    assert 'value="clerk"' in body


def test_language_switch_to_english_and_back(client_for, clerk):
    client = client_for(clerk)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Hello, 张敏" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True)
    assert "您好，张敏" in response.content.decode()


def test_password_change_page_is_in_chinese(client_for, clerk):
    response = client_for(clerk).get(reverse("password_change"))
    assert response.status_code == 200
    assert "修改密码" in response.content.decode()


@pytest.mark.parametrize("url_name", ["org:staff", "org:stores"])
@pytest.mark.parametrize("persona", ["clerk", "manager", "aftersales", "manager2"])
def test_organisation_pages_are_forbidden_to_non_admins(request, client_for, url_name, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse(url_name))
    assert response.status_code == 403
    assert "您无权查看此页面" in response.content.decode()


def test_admin_sees_staff_of_every_store(client_for, admin, clerk, manager2):
    body = client_for(admin).get(reverse("org:staff")).content.decode()
    assert "张敏" in body and "赵强" in body


def test_staff_search_keeps_what_was_typed(client_for, admin, clerk, manager2):
    body = client_for(admin).get(reverse("org:staff"), {"q": "张"}).content.decode()
    assert "张敏" in body and "赵强" not in body
    assert 'value="张"' in body


def test_404_page_is_chinese_in_the_base_layout(client_for, clerk):
    response = client_for(clerk).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "navbar" in body


def test_500_page_is_chinese(rf, clerk):
    from apps.org.views import server_error

    request = rf.get("/")
    request.user = clerk
    response = server_error(request)
    assert response.status_code == 500
    assert "系统出现了问题" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 40])
def test_staff_list_query_count_is_constant(client_for, admin, store, django_assert_num_queries, rows):
    for _ in range(rows):
        member(store, "clerk")
    client = client_for(admin)
    with django_assert_num_queries(9):  # +1: the header bell's unread count; +1: who is locked out
        client.get(reverse("org:staff"))


@pytest.mark.parametrize("rows", [3, 30])
def test_store_list_query_count_is_constant(client_for, admin, organisation, django_assert_num_queries, rows):
    for _ in range(rows):
        StoreFactory(organisation=organisation)
    client = client_for(admin)
    with django_assert_num_queries(6):  # +1: the header bell's unread count
        client.get(reverse("org:stores"))


@pytest.mark.parametrize(
    ("tier", "title", "badge"),
    [
        ("clerk", "营业员", "营业员"),  # the tier reads 营业员 in Chinese: once, not "营业员 · 营业员"
        ("clerk", "", "营业员"),
        ("clerk", "营业员（台席）", "营业员（台席）"),
        ("manager", "营业厅经理", "店长 · 营业厅经理"),
    ],
)
def test_the_store_badge_names_tier_and_title_without_repeating_a_word(client_for, store, tier, title, badge):
    from apps.org.models import Membership

    user = member(store, tier, f"{tier}-badge")
    Membership.objects.filter(user=user).update(title=title)
    body = client_for(user).get("/").content.decode()
    found = re.search(r'data-testid="membership-badge">([^<]*)<', body)
    assert found is not None and found.group(1) == badge


def test_home_rows_are_filled_to_the_edge():
    """Panels keep their order; the spare columns of each row go to its panels."""
    from apps.org.navigation import fill_rows, panel_width

    assert fill_rows([4, 5, 4, 4]) == [5, 7, 6, 6]  # the clerk's home: no empty third column
    assert fill_rows([4, 12, 5, 3, 4, 4]) == [12, 12, 5, 3, 4, 12]
    assert fill_rows([4]) == [12]
    assert [panel_width(c) for c in ("col-lg-5", "col-12", None, "w-100")] == [5, 12, 4, 4]


def test_the_clerks_home_leaves_no_empty_column(client_for, clerk, store):
    from apps.org.navigation import GRID

    body = client_for(clerk).get("/").content.decode()
    panels = body.split('data-testid="home-panels"', 1)[1]
    widths = [int(w) for w in re.findall(r'<div class="col-lg-(\d+)">', panels)]
    row = 0
    for w in widths:
        row = w if row + w > GRID else row + w
        if row == GRID:
            row = 0
    assert row == 0, widths
