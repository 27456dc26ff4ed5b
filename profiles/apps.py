from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profiles"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        # Register the tasks in every process, so forms and services can queue them by name.
        from profiles import receivers, roles, tasks  # noqa: F401

        # Role groups are reference rows: create them after every migrate, including the
        # flushes of transactional test databases, not only in a data migration.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="profiles.sync_role_groups")
        receivers.connect()
