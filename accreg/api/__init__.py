"""The public JSON API (API.md): django-ninja routers over the apps' services and selectors."""
