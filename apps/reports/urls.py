from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:store_id>/week/<str:monday>/", views.week, name="week"),
    path("<int:store_id>/week/<str:monday>/pdf/", views.week_pdf, name="week_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/<str:verdict>/", views.review, name="review"),
]
