from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "followups"
urlpatterns = [
    path("", views.queue, name="list"),
    path("export/", views.queue_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attempt/", views.attempt, name="attempt"),
    path("<int:pk>/snooze/", views.snooze, name="snooze"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    # The inbox is shared now (apps.notifications); old links land there.
    path("inbox/", RedirectView.as_view(pattern_name="notifications:inbox", permanent=True), name="inbox"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/letters/", views.campaign_letters, name="campaign_letters"),
    path("campaigns/<int:pk>/letters-sent/", views.campaign_letters_sent, name="campaign_letters_sent"),
]
