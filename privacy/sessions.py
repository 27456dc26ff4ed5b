"""A person's server-side sessions, for export and erasure, and the nightly clean-up.

Which sessions are a person's is answered by profiles/sessions.py (the index, then the live
sessions outside it). Expired sessions can't be used by anyone, so they are deleted whole
instead of decoded.
"""

from collections.abc import Iterator
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction

from profiles.models import User
from profiles.sessions import end_sessions, unindexed_sessions_of

SESSION_BATCH_SIZE = 500


def live_sessions_of(user: User, *, now: datetime) -> Iterator[Session]:
    """Yield the person's unexpired sessions: those in the index, then any outside it."""
    indexed = UserSession.objects.filter(user=user).values("session_key")
    yield from Session.objects.filter(expire_date__gt=now, session_key__in=indexed).order_by(
        "session_key"
    )
    yield from unindexed_sessions_of(user, now=now)


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
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    keys.update(session.session_key for session in unindexed_sessions_of(user, now=now))
    end_sessions(keys)
    UserSession.objects.filter(user=user).delete()
    # Their expired sessions outside the index are among these; nobody can use any of them.
    delete_expired_sessions(now=now)
