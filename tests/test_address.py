"""Addresses: their text, equality, hash and order (a plan looks them up in mappings many times)."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from reconciler.model import Address


def test_parse_and_text_round_trip() -> None:
    address = Address.parse("amazon_dsp.targets.c1/g2/location")
    assert address == Address("amazon_dsp", "targets", ("c1", "g2", "location"))
    assert str(address) == "amazon_dsp.targets.c1/g2/location"
    assert repr(address) == "Address(platform='amazon_dsp', kind='targets', path=('c1', 'g2', 'location'))"


def test_equal_addresses_hash_alike_and_unequal_ones_differ() -> None:
    one, same = Address.parse("criteo.ad_set.c/a"), Address("criteo", "ad_set", ("c", "a"))
    assert one == same and hash(one) == hash(same) and {one: 1}[same] == 1
    assert one != Address("criteo", "ad_set", ("c", "b"))
    assert one != Address("criteo", "campaign", ("c", "a"))
    assert one != "criteo.ad_set.c/a"
    # The same text may come from different parts: such addresses are not equal.
    assert Address("a.b", "c", ("d",)) != Address("a", "b.c", ("d",))
    assert Address("a", "b", ("c/d",)) != Address("a", "b", ("c", "d"))


def test_order_is_by_platform_kind_then_path() -> None:
    found = sorted(
        [
            Address("b", "a", ("x",)),
            Address("a", "b", ("y",)),
            Address("a", "b", ("x", "z")),
            Address("a", "a", ("z",)),
        ]
    )
    assert [str(a) for a in found] == ["a.a.z", "a.b.x/z", "a.b.y", "b.a.x"]


def test_copies_and_replacements_stay_consistent() -> None:
    address = Address.parse("applovin.campaign.summer")
    assert copy.deepcopy(address) == address
    assert pickle.loads(pickle.dumps(address)) == address
    moved = dataclasses.replace(address, path=("winter",))
    assert str(moved) == "applovin.campaign.winter"
    assert hash(moved) == hash(Address.parse("applovin.campaign.winter"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        address.kind = "ad"  # type: ignore[misc]


def test_a_text_without_three_parts_is_not_an_address() -> None:
    with pytest.raises(ValueError, match="not an address"):
        Address.parse("amazon_dsp.campaign")
