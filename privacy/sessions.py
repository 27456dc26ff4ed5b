from collections.abc import Iterator
from datetime import datetime

from django.contrib.sessions.models import Session

from profiles.models import User

SESSION_BATCH_SIZE = 500


def live_sessions_of(user: User, *, now: datetime) -> Iterator[Session]:
    """Yield the person's unexpired sessions.

    The person's id is inside the encoded session data, so every live session is decoded, a
    batch at a time.
    """
    live = Session.objects.filter(expire_date__gt=now).order_by("session_key")
    last_key = ""
    while batch := list(live.filter(session_key__gt=last_key)[:SESSION_BATCH_SIZE]):
        last_key = batch[-1].session_key
        for session in batch:
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                yield session
