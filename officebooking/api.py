"""The one JSON API; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Officebooking API", version="1", urls_namespace="api")
