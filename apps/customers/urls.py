from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export.xlsx", views.customer_export, name="export"),
    path("new/", views.customer_create, name="create"),
    path("import/", views.customer_import, name="import"),
    path("import/template.xlsx", views.customer_import_template, name="import_template"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/reveal/<str:field>/", views.customer_reveal, name="reveal"),
    path("<int:pk>/notes/", views.customer_note, name="note"),
    path("<int:pk>/attachments/", views.customer_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/personal-data/", views.customer_personal_data, name="personal_data"),
    path("<int:pk>/anonymise/", views.customer_anonymise, name="anonymise"),
    path("<int:pk>/assets/new/", views.asset_create, name="asset_create"),
    path("<int:pk>/assets/<int:asset_pk>/", views.asset_detail, name="asset"),
    path("<int:pk>/assets/<int:asset_pk>/edit/", views.asset_edit, name="asset_edit"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/visits/<int:visit_pk>/complete/", views.visit_complete, name="visit_complete"),
]
