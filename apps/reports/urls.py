from django.urls import path

from . import views, views_quality

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:store_id>/week/<str:monday>/", views.week, name="week"),
    path("<int:store_id>/week/<str:monday>/pdf/", views.week_pdf, name="week_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/<str:verdict>/", views.review, name="review"),
    path("quality/", views_quality.quality_home, name="quality"),
    path("quality/<int:store_id>/<str:month>/", views_quality.quality_month, name="quality_month"),
    path("quality/<int:store_id>/<str:month>/pdf/", views_quality.quality_pdf, name="quality_pdf"),
    path("quality/actions/<int:pk>/status/", views_quality.action_status, name="action_status"),
]
