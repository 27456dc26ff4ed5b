from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        # Register the tasks in every process, so services can queue them by name.
        from bookings import receivers, tasks  # noqa: F401

        receivers.connect()
