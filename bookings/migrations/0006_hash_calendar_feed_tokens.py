import hashlib

from django.db import migrations, models

# The length of the token's start kept to tell feeds apart, as for API tokens.
PREFIX_LENGTH = 8


def hash_tokens(apps, schema_editor):
    # Every feed, revoked ones too: no plain token stays in the table. A live feed's URL keeps
    # working, because the view looks the token in the URL up by the same hash.
    CalendarFeed = apps.get_model("bookings", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk", "token"))
    for feed in feeds:
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
        feed.prefix = feed.token[:PREFIX_LENGTH]
    CalendarFeed.objects.bulk_update(feeds, ["token_hash", "prefix"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0005_booking_release_notice_sent_at_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="prefix",
            field=models.CharField(
                blank=True, editable=False, max_length=12, verbose_name="starts with", default=""
            ),
            preserve_default=False,
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]
