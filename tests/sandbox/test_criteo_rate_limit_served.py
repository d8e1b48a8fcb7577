"""`reconciler sandbox serve --rate-limit N` on a real port: every authenticated Criteo answer announces the
limit in `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (a Unix time, the end of the
calendar minute), and the call past N in a minute is a 429 with the same headers and no Retry-After
(FACTS.md, Criteo rate limit)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.conftest import sandbox_server

API = "/criteo/2027-01/marketing-solutions"


def test_served_sandbox_announces_and_enforces_its_rate_limit(tmp_path: Path) -> None:
    with (
        sandbox_server(tmp_path / "sandbox.db", "--rate-limit", "3") as base,
        httpx.Client(base_url=base) as http,
    ):
        token = http.post(
            "/criteo/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "limited", "client_secret": "s"},
        ).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        if time.time() % 60 > 55:  # the five calls below must fall in one calendar minute
            time.sleep(61 - time.time() % 60)
        answers = [
            http.get(f"{API}/ad-sets/123467"),
            http.get(f"{API}/ad-sets/424242"),  # a refusal is counted and announced too
            http.post(f"{API}/campaigns/search", json={"filters": {}}),
            http.get(f"{API}/ad-sets/123467"),
        ]
    assert [a.status_code for a in answers] == [200, 404, 200, 429]
    minute_end = int(answers[0].headers["x-ratelimit-reset"])
    assert minute_end % 60 == 0 and 0 < minute_end - time.time() <= 61
    for answer, remaining in zip(answers, ["2", "1", "0", "0"], strict=True):
        assert answer.headers["x-ratelimit-limit"] == "3"
        assert answer.headers["x-ratelimit-remaining"] == remaining
        assert answer.headers["x-ratelimit-reset"] == str(minute_end)
    throttled = answers[-1]
    assert "retry-after" not in throttled.headers
    assert throttled.json()["errors"][0]["code"] == "too-many-requests"
