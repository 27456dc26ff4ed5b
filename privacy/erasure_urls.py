from django.urls import path

from privacy import erasure_views

urlpatterns = [
    path("delete-account/", erasure_views.delete_account, name="delete_account"),
    path("delete-account/done/", erasure_views.account_deleted, name="account_deleted"),
]
