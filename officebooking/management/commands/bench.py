"""Benchmarks that print numbers: `python manage.py bench bookings`.

`bench signup-timing --url http://127.0.0.1:8000` instead times sign-ups over HTTP against a
running server (see `_bench_signup_timing` and docs/benchmarks.md).

Run against a database of its own (its name must contain "bench"), for example:

    createdb -h 127.0.0.1 -U postgres officebooking_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/officebooking_bench
    python manage.py migrate && python manage.py bench bookings

Run it with production settings (DJANGO_DEBUG=0 and a secret key, static files collected):
debug mode records every query and slows everything down.

Each run creates a fresh organisation with 300 desks and a year of history (50,000 bookings),
so runs don't disturb each other, and reports every figure beside the cheapest logged-in page
measured in the same run.
"""

import itertools
import multiprocessing
import random
import re
import statistics
import time as clock
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import selectors
from bookings.models import Booking, BookingPolicy, BookingStatus
from bookings.services import BookingError, create_booking
from bookings.templatetags.bookings_tags import free_list, plan_markers
from locations.models import Building, Floor, Resource, ResourceKind
from profiles.models import EmailDomain, Organization, User
from profiles.services import create_member

DESKS = 300
PEOPLE = 300
HISTORY_BOOKINGS = 50_000


class Command(BaseCommand):
    help = "Measure booking throughput or the floor plan, beside the cheapest logged-in page."

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["bookings", "floorplan", "signup-timing"])
        parser.add_argument("--workers", type=int, default=4, help="booking processes")
        parser.add_argument("--bookings", type=int, default=4000)
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="signup-timing: the running server"
        )
        parser.add_argument("--rounds", type=int, default=60, help="signup-timing: per branch")

    def handle(self, *args, target: str, workers: int, bookings: int, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(
                f"Refusing to write benchmark data into {name!r}: use a *bench* database."
            )
        if target == "signup-timing":
            if urllib.parse.urlsplit(options["url"]).scheme not in {"http", "https"}:
                raise CommandError("--url must be an http(s) address.")
            self._bench_signup_timing(options["url"].rstrip("/"), options["rounds"])
            return
        self.stdout.write(f"database: {connection.vendor} {name}; {workers} worker processes")
        desks, people = self._set_up()
        self._report_baseline(people[0])
        if target == "floorplan":
            self._bench_floor_plan(desks, people)
            return
        self._bench_uncontended(desks, people, workers, bookings)
        self._bench_contended(desks, people, workers)

    def _bench_floor_plan(self, desks, people) -> None:
        """Time the find page's results for a 300-desk floor with two thirds of it booked."""
        floor = desks[0].floor
        tz = floor.building.tz
        day = timezone.localdate(timezone=tz) + timedelta(days=2)
        start = datetime.combine(day, time(9), tzinfo=tz)
        for n, desk in enumerate(desks[: DESKS * 2 // 3]):
            create_booking(
                user=people[n],
                resource=desk,
                start=start,
                end=start + timedelta(hours=8),
                notify=False,
            )
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0].lstrip("."))
        client.force_login(people[-1])
        url = (
            f"{reverse('find')}?building={floor.building_id}&floor={floor.pk}"
            f"&date={day.isoformat()}&start=09:00&end=17:00"
        )
        queries = []
        # Counted by a wrapper: each request resets connection.queries.
        with connection.execute_wrapper(
            lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
        ):
            _time_requests(client, url, 1, HTTP_HX_REQUEST="true")
        durations = _time_requests(client, url, 200, HTTP_HX_REQUEST="true")
        self.stdout.write(
            f"floor plan results, {DESKS} desks, {DESKS * 2 // 3} booked: "
            f"median {statistics.median(durations) * 1000:.1f} ms, "
            f"p95 {statistics.quantiles(durations, n=20)[-1] * 1000:.1f} ms, "
            f"{len(durations) / sum(durations):.0f} req/s, "
            f"{len(queries)} queries"
        )
        self._bench_plan_markup(floor, start, viewer=people[-1])

    def _bench_plan_markup(self, floor, start, *, viewer) -> None:
        """Time the plan's markers and the free list alone, as the find page's template tags
        draw them for the same floor and period (the part bookings/plan_html.py builds)."""
        search = selectors.Search(
            building=floor.building,
            floor=floor,
            day=start.date(),
            start=start,
            end=start + timedelta(hours=8),
            kind=ResourceKind.DESK,
        )
        plan = selectors.floor_plan(viewer=viewer, search=search)
        free = [item for item in plan if item.is_bookable]
        query = f"date={start.date().isoformat()}&start=09:00&end=17:00"
        radius = round(floor.width / 90)
        durations = []
        for _ in range(200):
            started = clock.perf_counter()
            plan_markers(plan, query, radius)
            free_list(free, query)
            durations.append(clock.perf_counter() - started)
        self.stdout.write(
            f"plan markers and free list alone, {len(plan)} markers, {len(free)} rows: "
            f"median {statistics.median(durations) * 1000:.2f} ms, "
            f"p95 {statistics.quantiles(durations, n=20)[-1] * 1000:.2f} ms"
        )

    def _set_up(self):
        started = clock.perf_counter()
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        organization = Organization.objects.create(name=slug, slug=slug)
        BookingPolicy.objects.create(
            organization=organization, resource_kind=ResourceKind.DESK, max_days_ahead=365
        )
        building = Building.objects.create(
            organization=organization, name="Bench", time_zone="Europe/Amsterdam"
        )
        floor = Floor.objects.create(
            organization=organization,
            building=building,
            name="Bench floor",
            width=3000,
            height=2000,
        )
        desks = Resource.objects.bulk_create(
            Resource(
                organization=organization,
                floor=floor,
                code=f"B{i:03d}",
                x=40 + (i % 30) * 90,
                y=40 + (i // 30) * 150,
            )
            for i in range(DESKS)
        )
        people = [
            create_member(organization=organization, email=f"p{i}@{slug}.example")
            for i in range(PEOPLE)
        ]
        # A year of history, as the peer was measured with. bulk_create, not the service:
        # these rows only set the scene (and would take minutes one by one).
        tz = building.tz
        today = timezone.localdate(timezone=tz)
        history = []
        for i in range(HISTORY_BOOKINGS):
            day = today - timedelta(days=1 + i // DESKS * 2)
            start = datetime.combine(day, time(9), tzinfo=tz)
            history.append(
                Booking(
                    organization=organization,
                    resource=desks[i % DESKS],
                    resource_kind=ResourceKind.DESK,
                    user=people[(i + i // DESKS) % PEOPLE],
                    start=start,
                    end=start + timedelta(hours=8),
                    status=BookingStatus.COMPLETED,
                )
            )
        Booking.objects.bulk_create(history, batch_size=5000)
        if connection.vendor == "postgresql":
            # As autovacuum would soon: without statistics the planner scans the whole table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE bookings_booking")
        self.stdout.write(
            f"set-up: {DESKS} desks, {PEOPLE} people, {HISTORY_BOOKINGS} past bookings "
            f"in {clock.perf_counter() - started:.1f} s"
        )
        return desks, people

    def _report_baseline(self, user: User) -> None:
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0].lstrip("."))
        client.force_login(user)
        # Our cheapest logged-in page: session, user and one query for the upcoming bookings.
        durations = _time_requests(client, reverse("home"), 300)
        self.stdout.write(
            "baseline: home page, in-process test client: "
            f"{len(durations) / sum(durations):.0f} req/s, "
            f"median {statistics.median(durations) * 1000:.1f} ms"
        )

    def _bench_uncontended(self, desks, people, workers: int, total: int) -> None:
        """Every thread books different desks and people: the cost of one booking."""
        tz = desks[0].floor.building.tz
        first_day = timezone.localdate(timezone=tz) + timedelta(days=30)
        jobs = []
        for n in range(total):
            day = first_day + timedelta(days=n // PEOPLE)
            start = datetime.combine(day, time(9), tzinfo=tz)
            jobs.append((people[n % PEOPLE], desks[n % DESKS], start, start + timedelta(hours=8)))
        made, refused, seconds = _run_workers(jobs, workers)
        self.stdout.write(
            f"uncontended: {made} bookings in {seconds:.2f} s = {made / seconds:.0f} bookings/s "
            f"({refused} refused)"
        )

    def _bench_contended(self, desks, people, workers: int) -> None:
        """Many people race for five desks at overlapping times: only one per slot may win."""
        tz = desks[0].floor.building.tz
        day = timezone.localdate(timezone=tz) + timedelta(days=200)
        jobs = []
        for n in range(PEOPLE):
            start = datetime.combine(day, time(8), tzinfo=tz) + timedelta(minutes=30 * (n % 4))
            jobs.append((people[n], desks[n % 5], start, start + timedelta(hours=4)))
        made, refused, seconds = _run_workers(jobs, workers)
        double = _count_double_bookings(desks[:5])
        self.stdout.write(
            f"contended: {len(jobs)} attempts on 5 desks in {seconds:.2f} s = "
            f"{len(jobs) / seconds:.0f} attempts/s; {made} booked, {refused} refused, "
            f"{double} double bookings"
        )

    def _bench_signup_timing(self, base_url: str, rounds: int) -> None:
        """Time sign-up POSTs over HTTP for the three cases a visitor must not tell apart.

        A new address on a client's domain, an address with an account, an address on an
        unknown domain: `rounds` of each, interleaved in random order so drift hits all three
        alike, after a warm-up. Each sign-up comes from its own fresh session and its own
        X-Forwarded-For address, so the server must run with OFFICEBOOKING_TRUSTED_PROXY_COUNT=1
        (else the per-IP sign-up limit answers 429), on this database, with a broker (REDIS_URL):
        without one, tasks run inside the request.
        """
        run = uuid.uuid4().hex[:8]
        domain = f"signup-{run}.example"
        organization = Organization.objects.create(name=f"Signup bench {run}", slug=f"su-{run}")
        EmailDomain.objects.create(organization=organization, domain=domain)
        warm_up = 3
        cases = {
            "new address on a client domain": [f"new{n}@{domain}" for n in range(rounds + warm_up)],
            "address with an account": [
                create_member(organization=organization, email=f"member{n}@{domain}").email
                for n in range(rounds + warm_up)
            ],
            "unknown domain": [
                f"visitor{n}@unknown-{run}.example" for n in range(rounds + warm_up)
            ],
        }
        self.stdout.write(f"server: {base_url}; {rounds} sign-ups per case, after {warm_up}")
        order = [(case, n) for case in cases for n in range(rounds + warm_up)]
        random.shuffle(order)
        order.sort(key=lambda item: item[1] >= warm_up)  # the warm-up first, still mixed
        durations: dict[str, list[float]] = {case: [] for case in cases}
        page_loads = []
        for sequence, (case, n) in enumerate(order):
            address = f"198.18.{sequence // 250}.{sequence % 250 + 1}"
            page_load, post = _time_signup(base_url, cases[case][n], address)
            if n >= warm_up:
                durations[case].append(post)
                page_loads.append(page_load)
        self.stdout.write(
            f"baseline: GET the sign-up page, median {statistics.median(page_loads) * 1000:.1f} ms"
        )
        for case, values in durations.items():
            values.sort()
            self.stdout.write(
                f"{case}: median {statistics.median(values) * 1000:.1f} ms, "
                f"p90 {values[int(len(values) * 0.9) - 1] * 1000:.1f} ms"
            )


def _time_signup(base_url: str, email: str, address: str) -> tuple[float, float]:
    """Load the sign-up page, then post it; return both durations in seconds.

    Sent as the TLS proxy would forward it (X-Forwarded-Proto, X-Forwarded-For), so the server
    runs as in production (DJANGO_DEBUG=0, secure cookies) while the benchmark speaks plain HTTP.
    """

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    url = f"{base_url}{reverse('account_signup')}"
    headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "Accept-Language": "en"}
    started = clock.perf_counter()
    # The scheme was checked in handle(): http or https only.
    with opener.open(urllib.request.Request(url, headers=headers)) as response:  # noqa: S310
        page = response.read().decode()
        cookies = [value.split(";")[0] for value in response.headers.get_all("Set-Cookie")]
    page_load = clock.perf_counter() - started
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    password = "Bench-" + uuid.uuid4().hex
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "password1": password, "password2": password}
    ).encode()
    origin = "https://" + urllib.parse.urlsplit(url).netloc
    referer = origin + reverse("account_signup")
    headers.update({"Cookie": "; ".join(cookies), "Referer": referer, "Origin": origin})
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    started = clock.perf_counter()
    try:
        opener.open(request).read()
    except urllib.error.HTTPError as answer:
        status = answer.code
        answer.read()
    else:
        status = 200
    post = clock.perf_counter() - started
    if status != 302:
        raise CommandError(
            f"sign-up of {email} answered {status}, not a redirect: is the server running with "
            "OFFICEBOOKING_TRUSTED_PROXY_COUNT=1 on this database?"
        )
    return page_load, post


def _time_requests(client: Client, url: str, count: int, **headers) -> list[float]:
    durations = []
    for _ in range(count):
        started = clock.perf_counter()
        response = client.get(url, **headers)
        durations.append(clock.perf_counter() - started)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
    return durations


def _book_chunk(chunk) -> tuple[int, int]:
    made = refused = 0
    for user_id, resource_id, start, end in chunk:
        try:
            # Only the keys: the service locks and reloads both rows itself.
            # Without the confirmation e-mail: this measures the booking.
            create_booking(
                user=User(pk=user_id),
                resource=Resource(pk=resource_id),
                start=start,
                end=end,
                notify=False,
            )
            made += 1
        except BookingError:
            refused += 1
    connections.close_all()
    return made, refused


def _run_workers(jobs, workers: int) -> tuple[int, int, float]:
    """Book `jobs` from `workers` processes, as gunicorn's sync workers would."""
    rows = [(user.pk, desk.pk, start, end) for user, desk, start, end in jobs]
    chunks = [rows[i::workers] for i in range(workers)]
    # Forked children must not share the parent's database connection.
    connections.close_all()
    started = clock.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_book_chunk, chunks)
    seconds = clock.perf_counter() - started
    return sum(r[0] for r in results), sum(r[1] for r in results), seconds


def _count_double_bookings(desks) -> int:
    bookings = list(
        Booking.objects.active().filter(resource__in=desks).order_by("resource_id", "start")
    )
    overlaps = 0
    for earlier, later in itertools.pairwise(bookings):
        if earlier.resource_id == later.resource_id and later.start < earlier.end:
            overlaps += 1
    return overlaps
