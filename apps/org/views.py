from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import perm_required
from .filters import StaffFilter, StoreFilter
from .forms import LockoutPasswordChangeForm
from .navigation import fill_rows, home_panels_for, panel_width
from .passwords import locked_usernames, lockout_clear
from .selectors import memberships_for_home, staff_list_for, store_list_for


@login_required
def home(request):
    memberships = memberships_for_home(user=request.user)
    stores = list(store_list_for(user=request.user)) if request.user.is_org_admin else None
    panels = home_panels_for(request)
    # "My stores" comes first (a third of the row); every row is filled to the edge.
    widths = fill_rows([4, *(panel_width(p.get("css")) for p in panels)])
    panels = [{**p, "css": f"col-lg-{w}"} for p, w in zip(panels, widths[1:], strict=True)]
    return render(
        request,
        "org/home.html",
        {
            "memberships": memberships,
            "admin_stores": stores,
            "panels": panels,
            "stores_css": f"col-lg-{widths[0]}",
        },
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # The full layout needs the database (menu, user); when that is what failed, a plain page still answers.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return render(request, "500_plain.html", status=500)


@login_required
@perm_required("org.manage")
def store_list(request):
    stores = (
        store_list_for(user=request.user)
        .annotate(staff_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True))
        .annotate(department_count=Count("departments", distinct=True))
    )
    filterset = StoreFilter(request.GET, queryset=stores)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "org/store_list.html", {"filter": filterset, "page": page})


@login_required
@perm_required("org.manage")
def staff_list(request):
    stores = store_list_for(user=request.user)
    filterset = StaffFilter(request.GET, queryset=staff_list_for(user=request.user), stores=stores)
    page = Paginator(filterset.qs.distinct(), 25).get_page(request.GET.get("page"))
    locked = locked_usernames(person.username for person in page)
    return render(request, "org/staff_list.html", {"filter": filterset, "page": page, "locked": locked})


@login_required
@perm_required("org.manage")
@require_POST
def staff_unlock(request, pk):
    """An admin lifts the sign-in lockout of someone working in the stores they see."""
    person = get_object_or_404(staff_list_for(user=request.user), pk=pk)
    lockout_clear(user=person, by=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    return redirect("org:staff")


class PasswordChange(PasswordChangeView):
    """/accounts/password/: the old password goes through the sign-in lockout."""

    form_class = LockoutPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
