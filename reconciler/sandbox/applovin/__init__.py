"""AppLovin AppDiscovery's Campaign Management API as the sandbox serves it under `/applovin`.

Base URLs: the API at `/applovin/campaign_management/v1/...`, OAuth at `/applovin/oauth/v1/access_token`
and `/applovin/oauth/initialize` (one host serves both). Choices the vendor guide leaves open, for the
provider to read (details in each module's docstring):
- Bodies are JSON; single objects are answered bare (no wrapper), lists as bare JSON arrays
  (`/campaigns`, `/creative_sets/{id}`, `/ads/{id}`, the assets answer of `/creative_set_assets`);
  `/source_bids` and `/sources` answer `{limit, offset, <rows>, total_row_count}`.
- Create is `POST /campaign` and `POST /creative_set` (no id in the path; `campaign_id` in the creative
  set's body); ids are 32-hex strings; creative sets carry `id`.
- Errors: `{"error": {"code", "message"}}` with the HTTP status (errors.py); 429 with `Retry-After`
  beyond `applovin_rate_limit_per_minute` calls a minute per client; 401 for a missing, unknown or
  expired token; 403 for a missing scope.
- Asset uploads are multipart with fields `type`, `asset`, `file`, `update`, `remove`; assets are
  processed asynchronously (creatives.py); the sandbox controls are in control.py.
"""

from __future__ import annotations

from reconciler.sandbox.applovin.control import control_routes as control_routes
from reconciler.sandbox.applovin.routes import routes as routes
from reconciler.sandbox.applovin.seed import PLATFORM as PLATFORM
from reconciler.sandbox.applovin.seed import fixtures as fixtures
from reconciler.sandbox.applovin.seed import seed as seed
from reconciler.sandbox.applovin.settings import OPTIONS as OPTIONS
from reconciler.sandbox.applovin.settings import Settings as Settings

PREFIX = "/applovin"
TITLE = "AppLovin"
AUTH = "/oauth/v1/access_token"
"""The platform's name, and where under PREFIX it issues access tokens."""
