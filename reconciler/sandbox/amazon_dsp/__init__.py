"""The Amazon DSP API (Amazon Ads API `/dsp/v1`) as the sandbox serves it under `/amazon-dsp`: Login with
Amazon, campaigns with flights and tracked products, ad groups with default targets, universal targets,
creative associations with moderation, and the discovery lists, with Amazon's 207 batch answers,
validation rules, throttling and seeded reference data (docs/amazon-dsp-rules.md)."""

from __future__ import annotations

from reconciler.sandbox.amazon_dsp.control import control_routes as control_routes
from reconciler.sandbox.amazon_dsp.routes import routes as routes
from reconciler.sandbox.amazon_dsp.seed import PLATFORM as PLATFORM
from reconciler.sandbox.amazon_dsp.seed import fixtures as fixtures
from reconciler.sandbox.amazon_dsp.seed import seed as seed
from reconciler.sandbox.amazon_dsp.settings import OPTIONS as OPTIONS
from reconciler.sandbox.amazon_dsp.settings import Settings as Settings

PREFIX = "/amazon-dsp"
TITLE = "Amazon DSP"
AUTH = "/auth/o2/token"
"""The platform's name, and where under PREFIX it issues access tokens."""
