from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LocationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "locations"
    verbose_name = "Buildings and resources"

    def ready(self) -> None:
        from locations.reference import create_amenities

        post_migrate.connect(create_amenities, sender=self, dispatch_uid="locations.amenities")
