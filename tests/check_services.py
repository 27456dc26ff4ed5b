"""Stop `make test` early, with a plain message, when PostgreSQL or Redis can't be reached."""

import sys

import psycopg
import redis

# The compose file's PostgreSQL wants a password unless told to trust, as the suite expects.
HOW_TO_START = "Start them: POSTGRES_HOST_AUTH_METHOD=trust docker compose up -d postgres redis"


def main(database_url: str, redis_url: str) -> int:
    missing = []
    try:
        # The server's own maintenance database: the test database doesn't exist yet.
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            pass
    except psycopg.Error as error:
        missing.append(f"PostgreSQL is not reachable at {database_url} ({error}).".strip())
    try:
        redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        missing.append(f"Redis is not reachable at {redis_url} ({error}).")
    for line in missing:
        print(line, file=sys.stderr)
    if missing:
        print(HOW_TO_START, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
