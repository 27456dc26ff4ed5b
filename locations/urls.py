from django.urls import path

from locations import views

app_name = "locations"
urlpatterns = [
    path("floors/<int:floor_id>/plan", views.floor_plan_image, name="floor_plan_image"),
]
