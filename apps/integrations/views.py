from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.org.access import perm_required
from apps.pagination import BoundedPaginator

from . import selectors, services
from .forms import EndpointCreateForm, EndpointEditForm
from .ical import calendar
from .models import DeliveryStatus

PERM = "integrations.manage"
SHOWN_SECRET = "integrations:shown-secret"
SHOWN_FEED = "integrations:shown-feed"


def _remember_secret(request, endpoint_pk: int, secret: str) -> None:
    """The secret is shown on the next page, once: kept in the session until then."""
    request.session[SHOWN_SECRET] = {"endpoint": endpoint_pk, "secret": secret}


@login_required
@perm_required(PERM)
def endpoint_list(request):
    return render(
        request, "integrations/endpoint_list.html", {"endpoints": selectors.endpoints_for(user=request.user)}
    )


@login_required
@perm_required(PERM)
def endpoint_create(request):
    stores = selectors.integration_stores_for(user=request.user)
    form = EndpointCreateForm(request.POST or None, stores=stores)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                store=form.cleaned_data["store"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if secret:
                _remember_secret(request, endpoint.pk, secret)
            messages.success(request, _("Endpoint saved."))
            return redirect(endpoint)
    return render(request, "integrations/endpoint_form.html", {"form": form, "endpoint": None})


@login_required
@perm_required(PERM)
@never_cache
def endpoint_detail(request, pk):
    endpoint = selectors.endpoint_get_for(user=request.user, pk=pk)
    shown = request.session.get(SHOWN_SECRET)
    secret = ""
    if shown and shown.get("endpoint") == endpoint.pk:
        secret = shown["secret"]
        del request.session[SHOWN_SECRET]
    status = request.GET.get("status", "")
    page = BoundedPaginator(selectors.deliveries_of(endpoint=endpoint, status=status), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "secret": secret,
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
        },
    )


@login_required
@perm_required(PERM)
def endpoint_edit(request, pk):
    endpoint = selectors.endpoint_get_for(user=request.user, pk=pk)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
    }
    form = EndpointEditForm(request.POST or None, initial=initial, kind=endpoint.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect(endpoint)
    return render(request, "integrations/endpoint_form.html", {"form": form, "endpoint": endpoint})


@login_required
@perm_required(PERM)
@require_POST
def endpoint_rotate(request, pk):
    endpoint = selectors.endpoint_get_for(user=request.user, pk=pk)
    try:
        secret = services.endpoint_rotate_secret(endpoint=endpoint, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _remember_secret(request, endpoint.pk, secret)
        messages.success(request, _("New signing secret made; the old one no longer signs."))
    return redirect(endpoint)


@login_required
@perm_required(PERM)
@require_POST
def delivery_retry(request, pk, delivery_pk):
    delivery = selectors.delivery_get_for(user=request.user, endpoint_pk=pk, pk=delivery_pk)
    try:
        services.delivery_retry(delivery=delivery, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery will be sent again within a minute."))
    return redirect(delivery.endpoint)


@login_required
@never_cache
def calendar_settings(request):
    shown = request.session.pop(SHOWN_FEED, "")
    return render(
        request,
        "integrations/calendar.html",
        {"feed": selectors.calendar_feed_of(user=request.user), "feed_url": shown},
    )


@login_required
@require_POST
def calendar_issue(request):
    token = services.calendar_feed_issue(user=request.user)
    request.session[SHOWN_FEED] = request.build_absolute_uri(
        reverse("integrations:calendar_feed", args=[token])
    )
    messages.success(request, _("New calendar address made; any earlier address no longer works."))
    return redirect("integrations:calendar")


@login_required
@require_POST
def calendar_revoke(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Calendar address revoked."))
    return redirect("integrations:calendar")


@never_cache
def calendar_feed(request, token):
    """The feed itself: no session (calendar apps fetch it), the token in the address is the key."""
    user = selectors.calendar_feed_owner(token=token)
    if user is None:
        raise Http404
    body = calendar(
        selectors.calendar_events_for(user=user),
        name=_("DutyDesk · %(name)s") % {"name": user},
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dutydesk.ics"'
    response["Referrer-Policy"] = "no-referrer"
    return response
