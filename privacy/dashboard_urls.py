from django.urls import path

from privacy import dashboard_views as views

urlpatterns = [
    path("dashboard/", views.facility_dashboard, name="facility_dashboard"),
]
