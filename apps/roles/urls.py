from django.urls import path

from . import views, views_import

app_name = "roles"
urlpatterns = [
    path("", views.position_list, name="list"),
    path("new/", views.position_create, name="create"),
    path("import/", views_import.position_import, name="import"),
    path("editor/duties/", views.duties_op, name="duties_op"),
    path("chart/", views.org_chart, name="chart"),
    path("chart.svg", views.org_chart_svg, name="chart_svg"),
    path("export.xlsx", views.excel_export, name="export"),
    path("import-excel/", views.excel_import, name="import_excel"),
    path("book/", views.department_book, name="book"),
    path("<int:pk>/", views.position_detail, name="detail"),
    path("<int:pk>/edit/", views.position_edit, name="edit"),
    path("<int:pk>/archive/", views.position_toggle_active, name="toggle_active"),
    path("<int:pk>/history/", views.position_history, name="history"),
    path("<int:pk>/diff/", views.position_diff, name="diff"),
    path("<int:pk>/pdf/", views.position_pdf, name="pdf"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/revisions/<int:number>/pdf/", views.revision_pdf, name="revision_pdf"),
]
