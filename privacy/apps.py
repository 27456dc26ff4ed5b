from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Register the export tasks in every process, so the worker knows them.
        from privacy import erasure, export, receivers, tasks  # noqa: F401
        from profiles import registry

        receivers.connect()
        # Deleting a person in admin goes through erasure.
        registry.register("erase_person", erasure.erase_person)
