from django.urls import path

from profiles import api_token_views

urlpatterns = [
    path("", api_token_views.api_tokens, name="api_tokens"),
    path("<int:token_id>/revoke/", api_token_views.revoke, name="api_token_revoke"),
]
