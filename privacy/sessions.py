"""A person's server-side sessions, for export and erasure, and the nightly clean-up.

A session holds the person's id only inside its encoded data. allauth's UserSession rows
index sessions by person: written at log-in and by SessionActivityMiddleware at most once a
minute, removed at log-out. A key in the index belongs to its row's person, because Django
gives a session a new key whenever someone logs in to it. Sessions the index does not know
(a log-in that bypassed allauth and made no request since, or one from before the index
existed) are found by decoding the live sessions outside it, a batch at a time. Expired
sessions can't be used by anyone, so they are deleted whole instead of decoded.
"""

from collections.abc import Iterator
from datetime import datetime
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from profiles.models import User

SESSION_BATCH_SIZE = 500


def _unindexed_sessions_of(user: User, *, now: datetime) -> Iterator[Session]:
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


def live_sessions_of(user: User, *, now: datetime) -> Iterator[Session]:
    """Yield the person's unexpired sessions: those in the index, then any outside it."""
    indexed = UserSession.objects.filter(user=user).values("session_key")
    yield from Session.objects.filter(expire_date__gt=now, session_key__in=indexed).order_by(
        "session_key"
    )
    yield from _unindexed_sessions_of(user, now=now)


def delete_expired_sessions(*, now: datetime) -> int:
    """Delete every expired session, a batch at a time; return how many.

    What `clearsessions` does, but in batches that each commit on their own, so a large
    backlog never holds one long lock, and a rerun just finds fewer.
    """
    expired = Session.objects.filter(expire_date__lte=now).order_by("session_key")
    deleted = 0
    while keys := list(expired.values_list("session_key", flat=True)[:SESSION_BATCH_SIZE]):
        with transaction.atomic():
            deleted += Session.objects.filter(session_key__in=keys).delete()[0]
    return deleted


def delete_sessions_of(user: User, *, now: datetime) -> None:
    """End every session of the person, expired or not, and empty their index."""
    # SessionStore.delete() also drops the cached copy (cached_db).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    keys.update(session.session_key for session in _unindexed_sessions_of(user, now=now))
    for key in sorted(keys):
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    # Their expired sessions outside the index are among these; nobody can use any of them.
    delete_expired_sessions(now=now)
