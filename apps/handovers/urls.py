from django.urls import path

from . import views

app_name = "handovers"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("export/", views.handover_export, name="export"),
    path("new/", views.handover_new, name="new"),
    path("balances/", views.balances, name="balances"),
    path("movements/", views.movements, name="movements"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/lines/<int:line_pk>/", views.handover_line, name="line"),
    path("<int:pk>/sign/", views.handover_sign, name="sign"),
    path("<int:pk>/witness/", views.handover_witness, name="witness"),
    path("<int:pk>/accept/", views.handover_accept, name="accept"),
    path("<int:pk>/amend/", views.handover_amend, name="amend"),
    path(
        "<int:pk>/amendments/<int:amendment_pk>/confirm/", views.amendment_confirm, name="amendment_confirm"
    ),
    path("<int:pk>/pdf/", views.handover_pdf, name="pdf"),
]
