from django.urls import path

from privacy import views

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.start_export_view, name="start_export"),
    path("my-data/exports/<int:export_id>/", views.export_status, name="export_status"),
    path(
        "my-data/exports/<int:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
    path("my-data/export-format/", views.export_format, name="export_format"),
]
