from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from officebooking import views
from officebooking.api import api
from profiles import views as profile_views

admin.site.site_header = "Officebooking"
admin.site.site_title = "Officebooking admin"
# The admin has no password form of its own: it would bypass allauth's rate limits and second
# factor. Visitors are sent to the account login, which applies both.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("i18n/setlang/", profile_views.set_language, name="set_language"),
    path("account/api-tokens/", include("profiles.api_token_urls")),
    path("account/", include("profiles.privacy_urls")),
    path("privacy/", include("privacy.urls")),
    path("locations/", include("locations.urls")),
    path("", include("bookings.urls")),
]
