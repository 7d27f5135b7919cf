from django.urls import path

from . import views, views_profiles

app_name = "targets"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/attach/", views.plan_attach, name="plan_attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.plan_attachment, name="plan_attachment"),
    path("<int:pk>/<slug:action>/", views.plan_transition, name="plan_transition"),
    path("steps/<int:pk>/status/", views.step_status, name="step_status"),
    path("year-book/", views.year_book, name="year_book"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/kpis/", views.letter_kpis, name="letter_kpis"),
    path("letters/<int:pk>/sign/", views.letter_sign, name="letter_sign"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("kpis/", views.kpi_catalogue, name="kpis"),
    path("kpis/enter/", views.manual_kpi, name="manual_kpi"),
    path("kpis/profiles/", views_profiles.kind_profiles, name="kind_profiles"),
    path("kpis/profiles/<slug:kind>/", views_profiles.kind_profile, name="kind_profile"),
    path("kpis/<str:key>/", views.kpi_detail, name="kpi"),
    path("pay/", views.pay_list, name="pay"),
    path("pay/compute/", views.pay_compute, name="pay_compute"),
    path("pay/export.xlsx", views.pay_export, name="pay_export"),
    path("pay/<int:pk>/", views.pay_detail, name="pay_sheet"),
    path("pay/<int:pk>/lock/", views.pay_lock, name="pay_lock"),
    path("pay/<int:pk>/pdf/", views.pay_pdf, name="pay_pdf"),
]
