from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("", views.my_checklists, name="home"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/items/<int:item_pk>/", views.item_answer, name="answer"),
    path("runs/<int:pk>/complete/", views.run_complete, name="complete"),
    path("runs/<int:pk>/items/<int:item_pk>/photo/", views.result_photo, name="photo"),
    path("board/", views.board, name="board"),
    path("board/export/", views.board_export, name="board_export"),
    path("failures/<int:pk>/resolve/", views.failure_resolve, name="resolve"),
    path("closing-report/", views.closing_report, name="closing_report"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_edit, name="template_new"),
    path("templates/generate/", views.templates_generate, name="templates_generate"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/generate/", views.template_generate, name="template_generate"),
]
