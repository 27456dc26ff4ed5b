from django.contrib import admin
from django.urls import include, path

from officebooking import views
from officebooking.api import api

admin.site.site_header = "Officebooking"
admin.site.site_title = "Officebooking admin"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("locations/", include("locations.urls")),
    path("", include("bookings.urls")),
]
