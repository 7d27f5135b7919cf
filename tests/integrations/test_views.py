"""The integrations pages: admins only (manager, clerk: 403), their own organisation's stores only;
the secret shown once; the delivery log and its retry; hostile input answered with form errors."""

import pytest
from django.conf import settings
from django.urls import reverse

from apps.integrations.models import Delivery, DeliveryStatus, Endpoint, EndpointKind
from apps.integrations.services import event_record
from apps.notifications import events
from apps.org.models import Organisation, RoleTier
from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db
PUBLIC_URL = "https://93.184.216.34/hooks"


@pytest.fixture(autouse=True)
def offline_dns(monkeypatch):
    monkeypatch.setattr("apps.integrations.addresses.resolve", lambda host, port: ["93.184.216.34"])


@pytest.fixture
def hook(store, admin):
    return Endpoint.objects.create(
        store=store, kind=EndpointKind.WEBHOOK, name="CRM", url=PUBLIC_URL, secret="whsec_x",
        events=[events.TICKET_CREATED], created_by=admin,
    )  # fmt: skip


@pytest.fixture
def failed(hook, store):
    event_record(event=events.TICKET_CREATED, store=store, key="ticket:1", payload={})
    Delivery.objects.update(
        status=DeliveryStatus.FAILED, attempts=8, response_code=500, last_error="HTTP 500"
    )
    return Delivery.objects.get()


@pytest.fixture
def other_admin(db):
    """The admin of another organisation."""
    elsewhere = StoreFactory(organisation=Organisation.objects.create(name="别家", code="other"))
    return member(elsewhere, RoleTier.ADMIN, "admin_other")


def test_managers_clerks_and_after_sales_staff_are_refused_every_page(
    client_for, hook, failed, manager, clerk, aftersales
):
    urls = [
        ("get", reverse("integrations:list")),
        ("get", reverse("integrations:new")),
        ("get", reverse("integrations:detail", args=[hook.pk])),
        ("get", reverse("integrations:edit", args=[hook.pk])),
        ("post", reverse("integrations:rotate", args=[hook.pk])),
        ("post", reverse("integrations:retry", args=[hook.pk, failed.pk])),
    ]
    for user in (manager, clerk, aftersales):
        client = client_for(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, url)
    assert Endpoint.objects.get().secret == "whsec_x"


def test_another_organisations_admin_sees_nothing_of_this_one(client_for, hook, failed, other_admin):
    client = client_for(other_admin)
    assert "CRM" not in client.get(reverse("integrations:list")).content.decode()
    assert client.get(reverse("integrations:detail", args=[hook.pk])).status_code == 404
    assert client.post(reverse("integrations:rotate", args=[hook.pk])).status_code == 404
    assert client.post(reverse("integrations:retry", args=[hook.pk, failed.pk])).status_code == 404
    page = client.get(reverse("integrations:new")).content.decode()
    assert hook.store.name not in page


def test_an_admin_registers_a_webhook_and_sees_its_secret_once(client_for, admin, store):
    client = client_for(admin)
    response = client.post(
        reverse("integrations:new"),
        {"store": store.pk, "kind": "webhook", "name": "DMS", "url": PUBLIC_URL,
         "events": [events.TICKET_CREATED, events.FOLLOWUP_COMPLAINT]},
    )  # fmt: skip
    endpoint = Endpoint.objects.get(name="DMS")
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    first = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in first
    assert endpoint.secret not in client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in client.get(reverse("integrations:list")).content.decode()


def test_rotating_the_secret_replaces_it_and_shows_the_new_one_once(client_for, admin, hook):
    client = client_for(admin)
    response = client.post(reverse("integrations:rotate", args=[hook.pk]), follow=True)
    hook.refresh_from_db()
    assert hook.secret != "whsec_x" and hook.secret in response.content.decode()
    assert hook.secret_rotated_at is not None
    assert hook.secret not in client.get(hook.get_absolute_url()).content.decode()
    assert not any("whsec" in str(h.__dict__) for h in hook.history.all())  # not copied into history


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"kind": "webhook", "url": "https://169.254.169.254/latest"}, "url", "internal address"),
        ({"kind": "webhook", "url": "http://93.184.216.34/x"}, "url", "https://"),
        ({"kind": "wecom", "url": "json://93.184.216.34/x"}, "url", "wecombot://"),
        ({"kind": "wecom", "url": "wecombot://abcdef0123456789", "events": [events.TICKET_CREATED]}, "events",
         "group robot"),
        ({"kind": "webhook", "events": []}, "events", ""),
        ({"kind": "ftp"}, "kind", ""),
    ],
)  # fmt: skip
def test_a_bad_endpoint_is_refused_with_a_message_on_its_field(client_for, admin, store, data, field, says):
    post = {"store": store.pk, "name": "x", "url": PUBLIC_URL, "events": [events.TICKET_ESCALATED], **data}
    client = client_for(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are checked by their English words
    response = client.post(reverse("integrations:new"), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and says in " ".join(errors[field])
    assert not Endpoint.objects.exists()


def test_a_store_of_another_organisation_cannot_be_chosen(client_for, admin, other_admin):
    foreign = other_admin.memberships.get().store
    post = {
        "store": foreign.pk,
        "kind": "webhook",
        "name": "x",
        "url": PUBLIC_URL,
        "events": [events.TICKET_CREATED],
    }
    response = client_for(admin).post(reverse("integrations:new"), post)
    assert response.status_code == 200 and "store" in response.context["form"].errors
    assert not Endpoint.objects.exists()


def test_the_delivery_log_shows_status_attempts_code_and_error_and_retries_by_hand(
    client_for, admin, hook, failed
):
    client = client_for(admin)
    page = client.get(hook.get_absolute_url()).content.decode()
    for shown in (str(failed.idempotency_key), "HTTP 500", ">8<", ">500<"):
        assert shown in page
    response = client.post(reverse("integrations:retry", args=[hook.pk, failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING and failed.next_attempt_at is not None


def test_a_delivery_of_another_endpoint_cannot_be_retried_through_this_one(
    client_for, admin, store, hook, failed
):
    other = Endpoint.objects.create(
        store=store, kind=EndpointKind.WEBHOOK, name="B", url=PUBLIC_URL, secret="s"
    )
    assert (
        client_for(admin).post(reverse("integrations:retry", args=[other.pk, failed.pk])).status_code == 404
    )


def test_editing_switches_an_endpoint_off(client_for, admin, hook):
    post = {"name": "CRM", "url": PUBLIC_URL, "events": [events.TICKET_CREATED]}  # is_active left out
    assert client_for(admin).post(reverse("integrations:edit", args=[hook.pk]), post).status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active


def test_the_delivery_log_pins_its_query_count(client_for, admin, hook, store, django_assert_max_num_queries):
    client = client_for(admin)
    for n in range(3):
        event_record(event=events.TICKET_CREATED, store=store, key=f"ticket:{n}", payload={})
    client.get(hook.get_absolute_url())
    with django_assert_max_num_queries(20) as few:
        client.get(hook.get_absolute_url())
    for n in range(3, 20):
        event_record(event=events.TICKET_CREATED, store=store, key=f"ticket:{n}", payload={})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(hook.get_absolute_url())
