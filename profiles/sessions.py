"""Which server-side sessions are a person's, and ending them.

A session holds the person's id only inside its encoded data. allauth's UserSession rows
index sessions by person: written at log-in and by SessionActivityMiddleware at most once a
minute, removed at log-out. A key in the index belongs to its row's person, because Django
gives a session a new key whenever someone logs in to it. Sessions the index does not know
(a log-in that bypassed allauth and made no request since, or one from before the index
existed) are found by decoding the live sessions outside it, a batch at a time.
"""

from collections.abc import Iterator
from datetime import datetime
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session

from profiles.models import User

SESSION_BATCH_SIZE = 500


def unindexed_sessions_of(user: User, *, now: datetime) -> Iterator[Session]:
    """Yield the person's unexpired sessions that the index does not list."""
    unindexed = (
        Session.objects.filter(expire_date__gt=now)
        .exclude(session_key__in=UserSession.objects.values("session_key"))
        .order_by("session_key")
    )
    last_key = ""
    while batch := list(unindexed.filter(session_key__gt=last_key)[:SESSION_BATCH_SIZE]):
        last_key = batch[-1].session_key
        for session in batch:
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                yield session


def end_sessions(session_keys: set[str]) -> None:
    """End these sessions and drop them from the index."""
    # SessionStore.delete() also drops the cached copy (cached_db).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in sorted(session_keys):
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=session_keys).delete()
