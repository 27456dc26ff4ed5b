# One image for web, worker, beat and migrate; docker-compose.yml gives each its command.
FROM python:3.11-slim

# PYTHONPATH: `celery -A officebooking` imports the app from the working directory but takes
# that directory off sys.path again afterwards, so the apps Django loads next must be found
# through it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the translations below; nothing else is needed from the system.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The dependencies first, from pyproject.toml alone, so a code change doesn't reinstall them.
# No package directory is there yet, so this installs the dependencies and none of the code:
# the app runs from /app, beside its templates, static files and translations.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

RUN python manage.py compilemessages

# With DJANGO_DEBUG=0 the settings refuse to load without a secret key. This one exists only
# for this step, which signs nothing; the containers get the real one from the environment.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput

# Uploads and exports live on the media volume, which Docker first fills from this directory,
# ownership included.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app officebooking \
    && mkdir -p /data/media \
    && chown officebooking /data/media
USER officebooking

EXPOSE 8000
CMD ["gunicorn", "officebooking.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
