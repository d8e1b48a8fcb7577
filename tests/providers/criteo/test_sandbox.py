"""The Criteo provider against the in-process sandbox: what is sent reads back identical, and the
client copes with partial failures, expired tokens, throttling and server errors without leaking secrets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.diff import compare
from reconciler.errors import CredentialsError, PlatformError
from reconciler.model import Action, Address, Change, FieldChange, LiveObject, Operation
from reconciler.providers.base import ObjectRef, ProviderConfig
from reconciler.providers.criteo.client import CriteoClient
from reconciler.providers.criteo.provider import CriteoProvider
from reconciler.providers.kit.http import Timing
from reconciler.sandbox import SandboxSettings, create_app
from reconciler.sandbox.criteo.settings import Settings as CriteoSettings
from tests.providers.criteo.helpers import (
    AD_SET,
    CAMPAIGN,
    ad_set,
    ad_set_attributes,
    campaign,
    campaign_attributes,
    run,
)

SECRET = "s3cr3t-client-secret-value"


class FakeTime:
    """One clock for the sandbox and the client; sleeping advances it instantly."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox; records them and can fail chosen ones first."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []
        self.faults: list[
            tuple[Callable[[httpx.Request], bool], Callable[[httpx.Request], httpx.Response]]
        ] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for i, (matches, respond) in enumerate(self.faults):
            if matches(request):
                del self.faults[i]
                response = respond(request)
                self.responses.append(response)
                return response
        response = await self.inner.handle_async_request(request)
        self.responses.append(response)
        return response

    def paths(self) -> list[str]:
        return [
            f"{r.method} {r.url.path.removeprefix('/criteo/2027-01/marketing-solutions')}"
            for r in self.requests
        ]


class World:
    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.time = FakeTime()
        own = CriteoSettings(**settings)
        self.app = create_app(
            tmp_path / "s.sqlite", SandboxSettings(clock=self.time, platforms={"criteo": own})
        )
        self.transport = Recorder(httpx.ASGITransport(app=self.app))
        self.config = ProviderConfig(
            base_url="http://sandbox/criteo",
            credentials={"client_id": "reconciler-tests", "client_secret": SECRET},
            transport=self.transport,
        )
        self.client = CriteoClient(self.config, timing=Timing(self.time, self.time, self.time.sleep))
        self.provider = CriteoProvider(self.config, client=self.client)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


async def _apply(provider: CriteoProvider, changes: list[Change], ids: dict[Address, str]) -> dict[str, Any]:
    """A tiny executor: every operation in order, one call each."""
    results: dict[str, Any] = {}
    for change in changes:
        for op in provider.operations(change):
            [result] = await provider.execute(op.verb, [op], ids)
            results[op.key] = result
            assert result.ok, result.error
            if op.verb.creates:
                ids[op.address] = result.id
    return results


def _create_both(world: World) -> dict[Address, str]:
    ids: dict[Address, str] = {}
    changes = [
        Change(CAMPAIGN, Action.CREATE, scope={"advertiserId": "12345"}, desired=campaign_attributes()),
        Change(
            AD_SET,
            Action.CREATE,
            parent=CAMPAIGN,
            scope={"advertiserId": "12345"},
            desired=ad_set_attributes(),
        ),
    ]
    run(_apply(world.provider, changes, ids))
    return ids


def _read(world: World, ids: dict[Address, str]) -> dict[Address, LiveObject]:
    return run(world.provider.read([ObjectRef(a, i) for a, i in ids.items()]))


def test_created_objects_read_back_without_differences(world: World) -> None:
    ids = _create_both(world)
    live = _read(world, ids)
    desired = ad_set_attributes()
    del desired["trackingCode"]
    assert compare(desired, live[AD_SET].attributes) == []
    assert compare(campaign_attributes(), live[CAMPAIGN].attributes) == []
    assert live[AD_SET].attributes["campaignId"] == ids[CAMPAIGN]
    assert live[AD_SET].attributes["audience"] == "9876"
    assert live[AD_SET].attributes["activation"] == "on"


def test_read_is_a_few_calls_and_skips_missing_objects(world: World) -> None:
    ids = _create_both(world)
    world.transport.requests.clear()
    other = Address("criteo", "ad_set", ("summer-sale", "gone"))
    live = _read(world, {**ids, other: "99999999", Address("criteo", "campaign", ("existing",)): "358313"})
    assert set(live) == {AD_SET, CAMPAIGN, Address("criteo", "campaign", ("existing",))}
    assert sorted(world.transport.paths()) == [
        "POST /ad-sets/search",
        "POST /audiences/search",
        "POST /campaigns/search",
    ]


def test_patch_bid_and_name(world: World) -> None:
    ids = _create_both(world)
    desired = ad_set_attributes()
    desired["bidding"]["bidAmount"] = 0.4567
    desired["name"] = "FR retargeting v2"
    change = Change(
        AD_SET,
        Action.UPDATE,
        id=ids[AD_SET],
        parent=CAMPAIGN,
        fields=[
            FieldChange("bidding.bidAmount", 0.12, 0.4567),
            FieldChange("name", "FR retargeting", "FR retargeting v2"),
        ],
        desired=desired,
    )
    run(_apply(world.provider, [change], ids))
    live = _read(world, ids)[AD_SET].attributes
    assert live["bidding"]["bidAmount"] == 0.4567 and live["name"] == "FR retargeting v2"
    del desired["trackingCode"]
    assert compare(desired, live) == []


def test_stop_and_start(world: World) -> None:
    ids = _create_both(world)
    off = {**ad_set_attributes(), "activation": "off"}
    stop = Change(
        AD_SET, Action.UPDATE, id=ids[AD_SET], fields=[FieldChange("activation", "on", "off")], desired=off
    )
    run(_apply(world.provider, [stop], ids))
    assert _read(world, ids)[AD_SET].attributes["activation"] == "off"
    start = Change(
        AD_SET,
        Action.UPDATE,
        id=ids[AD_SET],
        fields=[FieldChange("activation", "off", "on")],
        desired=ad_set_attributes(),
    )
    run(_apply(world.provider, [start], ids))
    assert _read(world, ids)[AD_SET].attributes["activation"] == "on"


def test_starting_an_archived_ad_set_fails_alone(world: World) -> None:
    """Criteo archives ad sets by itself ("This Ad Set is archived and thus can't be started."): the start
    of that ad set fails with Criteo's message, the other start of the batch is carried out."""
    ids = _create_both(world)
    second = Address("criteo", "ad_set", ("summer-sale", "de"))
    desired = {**ad_set_attributes(), "name": "DE", "activation": "off", "audience": None}
    run(_apply(world.provider, [Change(second, Action.CREATE, parent=CAMPAIGN, desired=desired)], ids))

    async def archive() -> None:
        transport = httpx.ASGITransport(app=world.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://s") as http:
            assert (await http.post(f"/_sandbox/criteo/ad-sets/{ids[AD_SET]}/archive")).status_code == 200

    run(archive())
    verb = world.provider.verbs()["start_ad_set"]
    ops = [Operation(f"start_ad_set:{a}", a, "start_ad_set", id=ids[a]) for a in (AD_SET, second)]
    archived, started = run(world.provider.execute(verb, ops, ids))
    assert not archived.ok and "archived" in archived.error
    assert started.ok
    assert _read(world, ids)[second].attributes["activation"] == "on"


def test_audience_relink_and_unlink(world: World) -> None:
    ids = _create_both(world)
    for audience in ("9877", None):
        desired = {**ad_set_attributes(), "audience": audience}
        change = Change(
            AD_SET,
            Action.UPDATE,
            id=ids[AD_SET],
            fields=[FieldChange("audience", "x", audience)],
            desired=desired,
        )
        run(_apply(world.provider, [change], ids))
        assert _read(world, ids)[AD_SET].attributes["audience"] == audience


def test_unknown_audience_is_an_item_failure(world: World) -> None:
    ids = _create_both(world)
    op = Operation("link_audience:x", AD_SET, "link_audience", {"audience": "424242"}, id=ids[AD_SET])
    [result] = run(world.provider.execute(world.provider.verbs()["link_audience"], [op], ids))
    assert not result.ok and result.error


def test_partial_failure_of_a_two_item_patch(world: World) -> None:
    ids = _create_both(world)
    second = Address("criteo", "ad_set", ("summer-sale", "de"))
    desired = {**ad_set_attributes(), "name": "DE", "activation": "off", "audience": None}
    run(_apply(world.provider, [Change(second, Action.CREATE, parent=CAMPAIGN, desired=desired)], ids))
    good = Operation(
        f"patch_ad_set:{AD_SET}", AD_SET, "patch_ad_set", {"bidding": {"bidAmount": 0.9}}, id=ids[AD_SET]
    )
    bad = Operation(
        f"patch_ad_set:{second}", second, "patch_ad_set", {"bidding": {"bidAmount": -2}}, id=ids[second]
    )
    results = run(world.provider.execute(world.provider.verbs()["patch_ad_set"], [good, bad], ids))
    assert [r.key for r in results] == [good.key, bad.key]
    assert results[0].ok
    assert not results[1].ok and "bid amount" in results[1].error.lower()
    live = _read(world, ids)
    assert live[AD_SET].attributes["bidding"]["bidAmount"] == 0.9
    assert live[second].attributes["bidding"]["bidAmount"] == 0.12


def test_batch_item_without_id_fails_alone(world: World) -> None:
    ids = _create_both(world)
    unknown = Address("criteo", "ad_set", ("summer-sale", "never-created"))
    ops = [
        Operation(f"stop_ad_set:{AD_SET}", AD_SET, "stop_ad_set", id=ids[AD_SET]),
        Operation(f"stop_ad_set:{unknown}", unknown, "stop_ad_set"),
    ]
    first, second = run(world.provider.execute(world.provider.verbs()["stop_ad_set"], ops, ids))
    assert first.ok and not second.ok and "no id" in second.error


def test_retire_campaign_is_forget_without_a_call(world: World) -> None:
    [op] = world.provider.operations(Change(CAMPAIGN, Action.RETIRE, id="358313"))
    [result] = run(world.provider.execute(op.verb, [op], {}))
    assert result.ok and world.transport.requests == []


def test_find_created(world: World) -> None:
    ids = _create_both(world)
    other = replace(
        ad_set(name="nothing like it"), address=Address("criteo", "ad_set", ("summer-sale", "other"))
    )
    elsewhere = replace(ad_set(), address=Address("criteo", "ad_set", ("winter-sale", "fr-retargeting")))
    created = [(ad_set(), ids[CAMPAIGN]), (other, ids[CAMPAIGN]), (elsewhere, "99999")]
    assert run(world.provider.find_created(created)) == {AD_SET: [ids[AD_SET]]}  # by name and campaign
    assert run(world.provider.find_created([(campaign(), None)])) == {CAMPAIGN: [ids[CAMPAIGN]]}
    searches = [r for r in world.transport.requests if r.url.path.endswith("/ad-sets/search")]
    assert len(searches) == 1  # one search for the ad sets of both campaigns


def test_invalid_create_is_an_item_failure_with_the_platform_message(world: World) -> None:
    desired = {**ad_set_attributes(), "datasetId": "11111"}
    change = Change(AD_SET, Action.CREATE, scope={"campaignId": "358313"}, desired=desired)
    create = world.provider.operations(change)[0]
    [result] = run(world.provider.execute(world.provider.verbs()["create_ad_set"], [create], {}))
    assert not result.ok and result.error


def test_token_is_cached_and_renewed_once_on_401(world: World) -> None:
    ids = _create_both(world)
    assert world.client.token_requests == 1
    # The sandbox expires the token; the client still believes it valid (its own clock is behind).
    world.client.tokens._expires = float("inf")  # type: ignore[union-attr]
    world.time.now += 10_000
    live = _read(world, ids)
    assert set(live) == {AD_SET, CAMPAIGN}
    assert world.client.token_requests == 2


def test_the_announced_limit_is_followed_so_no_429_is_met(tmp_path: Path) -> None:
    world = World(tmp_path, rate_limit_per_minute=4)
    ids = _create_both(world)  # 4 authenticated calls: the limit the sandbox announces
    start = world.time.now
    live = _read(world, ids)  # 3 more: the client waits for the next minute by itself
    assert set(live) == {AD_SET, CAMPAIGN}
    assert 429 not in [r.status_code for r in _responses(world)]
    assert world.time.now >= (int(start // 60) + 1) * 60


def test_a_429_waits_until_the_reset_and_retries(world: World) -> None:
    ids = _create_both(world)
    reset = int(world.time.now) + 42
    search = lambda r: r.url.path.endswith("/ad-sets/search")  # noqa: E731
    world.transport.faults = [
        (
            search,
            lambda r: httpx.Response(
                429,
                headers={
                    "x-ratelimit-limit": "250",
                    "x-ratelimit-remaining": "0",
                    "x-ratelimit-reset": str(reset),
                },
                json={"errors": [{"title": "Too many requests"}]},
            ),
        )
    ]
    assert AD_SET in _read(world, ids)
    assert 429 in [r.status_code for r in _responses(world)]
    assert world.time.now >= reset  # waited for x-ratelimit-reset, not less
    assert all(w <= 61 for w in world.time.slept)


def _responses(world: World) -> list[httpx.Response]:
    return world.transport.responses


def test_5xx_and_timeouts_are_retried_for_reads_only(world: World) -> None:
    ids = _create_both(world)
    search = lambda r: r.url.path.endswith("/ad-sets/search")  # noqa: E731
    world.transport.faults = [
        (search, lambda r: httpx.Response(503, json={"errors": [{"title": "Service unavailable"}]})),
        (search, lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r))),
    ]
    assert AD_SET in _read(world, ids)
    assert world.transport.faults == []  # both faults were met, and retried
    creates = lambda r: r.method == "POST" and r.url.path.endswith("/campaigns")  # noqa: E731
    world.transport.faults = [
        (creates, lambda r: httpx.Response(503, json={"errors": [{"code": "down", "title": "Unavailable"}]}))
    ]
    [op] = world.provider.operations(
        Change(CAMPAIGN, Action.CREATE, scope={"advertiserId": "12345"}, desired=campaign_attributes())
    )
    [result] = run(world.provider.execute(op.verb, [op], {}))  # a create is never retried after a 5xx
    assert not result.ok and result.unknown  # it may have been made: the create stays journalled
    assert "HTTP 503" in result.error and "Unavailable (down)" in result.error


def test_secrets_never_leak(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ids = _create_both(world)
    token = next((t.reveal() for t in world.client.tokens.secrets() if t), "")  # type: ignore[union-attr]
    assert token
    leak = lambda r: r.url.path.endswith("/campaigns/search")  # noqa: E731
    world.transport.faults = [
        (
            leak,
            lambda r: httpx.Response(
                400, json={"errors": [{"title": "Bad", "detail": f"secret {SECRET} token {token}"}]}
            ),
        )
    ]
    with pytest.raises(PlatformError) as caught:
        _read(world, ids)
    texts = [
        str(caught.value),
        repr(caught.value),
        repr(world.provider),
        repr(world.client),
        repr(world.config),
        caplog.text,
    ]
    for text in texts:
        assert SECRET not in text and token not in text
    assert "***" in str(caught.value)


def test_missing_credentials(tmp_path: Path) -> None:
    config = ProviderConfig(
        base_url="http://sandbox/criteo", transport=httpx.ASGITransport(app=create_app(tmp_path / "s.sqlite"))
    )
    provider = CriteoProvider(config)
    with pytest.raises(CredentialsError):
        run(provider.read([ObjectRef(AD_SET, "1")]))
