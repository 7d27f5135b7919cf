from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:store_id>/week/<str:monday>/", views.week, name="week"),
    path("<int:store_id>/week/<str:monday>/copy/", views.week_copy, name="week_copy"),
    path("<int:store_id>/week/<str:monday>/xlsx/", views.week_xlsx, name="week_xlsx"),
    path("<int:store_id>/week/<str:monday>/pdf/", views.week_pdf, name="week_pdf"),
    path("<int:store_id>/shifts/", views.shift_types, name="shift_types"),
    path("<int:store_id>/hours/", views.hours, name="hours"),
    path("<int:store_id>/holiday-duty/<int:year>/", views.holiday_duty, name="holiday_duty"),
    path("<int:store_id>/check-in/", views.check_in, name="check_in"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/<str:verdict>/", views.request_decide, name="request_decide"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/sync/", views.calendar_sync, name="calendar_sync"),
]
