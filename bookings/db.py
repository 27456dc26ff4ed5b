from django.db import migrations


class PostgreSQLOnlySQL(migrations.RunSQL):
    """Raw SQL that runs on PostgreSQL and is skipped elsewhere, changing no model state.

    The exclusion constraints need btree_gist: SQLite (the embedded default) has no such
    thing, and keeping them out of the model state keeps full_clean() and makemigrations
    unaware of them.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
