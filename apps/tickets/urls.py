from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("export.xlsx", views.ticket_export, name="export"),
    path("new/", views.ticket_create, name="create"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/order.pdf", views.ticket_order_pdf, name="order_pdf"),
    path("<int:pk>/settlement.pdf", views.ticket_settlement_pdf, name="settlement_pdf"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.ticket_attachment, name="attachment"),
    path("<int:pk>/do/<slug:action>/", views.ticket_action, name="action"),
]
