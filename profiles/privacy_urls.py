from django.urls import path

from profiles import privacy_views

urlpatterns = [
    path("profile/", privacy_views.profile_edit, name="profile_edit"),
    path("profile/picture/", privacy_views.own_picture, name="own_profile_picture"),
    path("privacy/", privacy_views.privacy_settings, name="privacy_settings"),
    path("colleagues/", privacy_views.colleague_search, name="colleague_search"),
    path("sessions/<int:session_id>/end/", privacy_views.end_session, name="end_session"),
    path(
        "sessions/end-elsewhere/",
        privacy_views.end_sessions_elsewhere_view,
        name="end_sessions_elsewhere",
    ),
]
