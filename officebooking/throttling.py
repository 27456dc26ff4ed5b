"""Rate limits of the JSON API, counted in the cache so that every gunicorn worker shares them."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from profiles.network import client_ip

PERIOD_SECONDS = 60


class CacheRateThrottle(BaseThrottle):
    """Allow the rate in the setting `rate_setting` per identity per minute, in fixed windows.

    ninja's SimpleRateThrottle keeps a list of timestamps by get-then-set: two workers
    answering at once both read the old list and one write is lost. cache.incr() is atomic in
    Redis, so a burst spread over workers is counted in full.
    """

    scope: str
    rate_setting: str

    def identity(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        identity = self.identity(request)
        if identity is None:
            return True
        now = time.time()
        key = f"api-throttle:{self.scope}:{identity}:{int(now // PERIOD_SECONDS)}"
        cache.add(key, 0, timeout=PERIOD_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:
            # The window's key expired between add() and incr(): this is its first request.
            cache.add(key, 1, timeout=PERIOD_SECONDS)
            count = 1
        self._wait = PERIOD_SECONDS - now % PERIOD_SECONDS
        return count <= getattr(settings, self.rate_setting)

    def wait(self) -> float:
        return self._wait


class ClientIpThrottle(CacheRateThrottle):
    scope = "ip"
    rate_setting = "OFFICEBOOKING_API_RATE_PER_IP"

    def identity(self, request: HttpRequest) -> str:
        return client_ip(request)


class TokenThrottle(CacheRateThrottle):
    """Count by the token presented, known or not; a hash keeps the token out of the cache."""

    scope = "token"
    rate_setting = "OFFICEBOOKING_API_RATE_PER_TOKEN"

    def identity(self, request: HttpRequest) -> str | None:
        token = request.headers.get("Authorization", "")
        if not token:
            return None
        return hashlib.sha256(token.encode()).hexdigest()


API_THROTTLES = (ClientIpThrottle(), TokenThrottle())
