from django.urls import path

from . import box_views, views

app_name = "bankdesk"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:store_id>/", views.desk, name="desk"),
    path("<int:store_id>/counterfeit/", views.counterfeit, name="counterfeit"),
    path("<int:store_id>/counterfeit/<int:pk>/verify/", views.counterfeit_verify, name="counterfeit_verify"),
    path("<int:store_id>/reports/", views.reports, name="reports"),
    path("<int:store_id>/reports/<int:pk>/reported/", views.report_done, name="report_done"),
    path("<int:store_id>/cash-boxes/", views.cash_boxes, name="cash_boxes"),
    path("<int:store_id>/packets/", views.packets, name="packets"),
    path("<int:store_id>/packets/<int:pk>/sent/", views.packet_sent, name="packet_sent"),
    path("<int:store_id>/passwords/", views.passwords, name="passwords"),
    path("<int:store_id>/tail-boxes/", box_views.board, name="tail_boxes"),
    path("<int:store_id>/tail-boxes/<int:box_id>/start/", box_views.start, name="tail_box_start"),
    path("<int:store_id>/tail-boxes/checks/<int:pk>/", box_views.check, name="tail_box_check"),
    path("<int:store_id>/ledger/", box_views.ledger, name="ledger"),
]
