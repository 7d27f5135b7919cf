from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("stores/", views.store_list, name="stores"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
]
