from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class LocationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "locations"
    verbose_name = "Buildings and resources"

    def ready(self) -> None:
        from locations.models import Floor
        from locations.receivers import delete_plan_file
        from locations.reference import create_amenities

        post_migrate.connect(create_amenities, sender=self, dispatch_uid="locations.amenities")
        # A receiver, not a service: floors also go by cascade, with their building or tenant.
        post_delete.connect(delete_plan_file, sender=Floor, dispatch_uid="locations.plan_file")
