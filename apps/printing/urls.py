from django.urls import path

from . import views

app_name = "printing"
urlpatterns = [
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
]
