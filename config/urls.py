from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.health.metrics import metrics
from apps.health.views import healthz
from apps.org import views as org_views
from apps.org import web_manifest

admin.site.site_header = _("DutyDesk administration")
admin.site.site_title = _("DutyDesk")

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("manifest.webmanifest", web_manifest.manifest, name="web_manifest"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", org_views.PasswordChange.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/two-factor/", include("apps.org.urls_two_factor")),
    path("accounts/api-tokens/", include("apps.api.urls_tokens")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("apps.org.urls")),
    path("printing/", include("apps.printing.urls")),
    path("inbox/", include("apps.notifications.urls")),
    path("roster/", include("apps.roster.urls")),
    path("reports/", include("apps.reports.urls")),
    path("bank/", include("apps.bankdesk.urls")),
    path("roles/", include("apps.roles.urls")),
    path("checklists/", include("apps.checklists.urls")),
    path("handovers/", include("apps.handovers.urls")),
    path("customers/", include("apps.customers.urls")),
    path("tickets/", include("apps.tickets.urls")),
    path("followups/", include("apps.followups.urls")),
    path("targets/", include("apps.targets.urls")),
    path("api/", include("apps.api.urls")),
    path("integrations/", include("apps.integrations.urls")),
    path("admin/", admin.site.urls),
]
# No MEDIA_URL route, in any mode: uploaded files are served only by views that check who may see
# the record they belong to (apps/uploads.py: file_response).

handler403 = "apps.org.views.permission_denied"
handler404 = "apps.org.views.page_not_found"
handler500 = "apps.org.views.server_error"
