from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        # Register the tasks in every process, so services can queue them by name.
        from bookings import receivers, selectors, tasks  # noqa: F401
        from profiles import registry

        receivers.connect()
        # Colleague search (profiles) shows where people are, which only bookings knows.
        registry.register("holding_bookings", selectors.holding_bookings)
        registry.register("open_check_ins", selectors.open_shared_check_ins)
