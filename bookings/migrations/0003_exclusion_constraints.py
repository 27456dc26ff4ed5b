from django.db import migrations

from bookings.db import PostgreSQLOnlySQL

# Keep in step with HOLDING_STATUSES and PERSONAL_KINDS in bookings/models.py.
HOLDING = "status IN ('confirmed', 'checked_in', 'completed')"


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_initial")]

    operations = [
        PostgreSQLOnlySQL(
            sql="CREATE EXTENSION IF NOT EXISTS btree_gist",
            reverse_sql=migrations.RunSQL.noop,
        ),
        PostgreSQLOnlySQL(
            sql=f"""
                ALTER TABLE bookings_booking ADD CONSTRAINT booking_resource_no_overlap
                EXCLUDE USING gist (resource_id WITH =, tstzrange("start", "end", '[)') WITH &&)
                WHERE ({HOLDING})
            """,
            reverse_sql="ALTER TABLE bookings_booking DROP CONSTRAINT booking_resource_no_overlap",
        ),
        PostgreSQLOnlySQL(
            sql=f"""
                ALTER TABLE bookings_booking ADD CONSTRAINT booking_person_no_overlap
                EXCLUDE USING gist (
                    user_id WITH =, resource_kind WITH =, tstzrange("start", "end", '[)') WITH &&
                )
                WHERE ({HOLDING} AND resource_kind IN ('desk', 'parking_spot'))
            """,
            reverse_sql="ALTER TABLE bookings_booking DROP CONSTRAINT booking_person_no_overlap",
        ),
    ]
