"""The Criteo Marketing Solutions API 2027-01 as the sandbox serves it under `/criteo`: OAuth2 client
credentials, ad sets, campaigns and audience search, with Criteo's envelopes, validation rules,
rate limit and seeded reference data."""

from __future__ import annotations

from reconciler.sandbox.criteo.control import control_routes as control_routes
from reconciler.sandbox.criteo.routes import routes as routes
from reconciler.sandbox.criteo.seed import PLATFORM as PLATFORM
from reconciler.sandbox.criteo.seed import fixtures as fixtures
from reconciler.sandbox.criteo.seed import seed as seed
from reconciler.sandbox.criteo.settings import OPTIONS as OPTIONS
from reconciler.sandbox.criteo.settings import Settings as Settings

PREFIX = "/criteo"
TITLE = "Criteo"
AUTH = "/oauth2/token"
"""The platform's name, and where under PREFIX it issues access tokens."""
