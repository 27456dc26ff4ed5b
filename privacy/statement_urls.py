from django.urls import path

from privacy import statement_views as views

urlpatterns = [
    path("statement/", views.statement, name="privacy_statement"),
    path("statement/contact/", views.contact, name="privacy_contact"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("cookies/consent/", views.consent, name="consent"),
    path("near-me/", views.buildings_near_me, name="buildings_near_me"),
]
