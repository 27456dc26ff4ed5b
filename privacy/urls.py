from django.urls import include, path

urlpatterns = [
    path("", include("privacy.mydata_urls")),
    path("", include("privacy.erasure_urls")),
    path("", include("privacy.statement_urls")),
    path("", include("privacy.dashboard_urls")),
]
