"""The walker itself: it reaches pages, fragments and forms, so the generated rules have something to walk."""

from tests.walks.crawl import all_routes, crawl, route_of


def test_the_crawl_reaches_the_main_pages_and_their_forms_as_a_manager(demo, db):
    site = crawl(demo.client("manager"))
    routes = site.routes()
    for route in ("", "customers/", "customers/<int:pk>/", "tickets/", "handovers/", "followups/"):
        assert route in routes, route
    assert any(f.method == "post" for f in site.forms)
    assert all(p.status < 500 for p in site.pages.values())


def test_every_app_route_resolves_back_to_itself():
    for route, name, _pattern in all_routes():
        if "<" not in route and not route.startswith("admin/") and name:
            assert route_of("/" + route) == route
