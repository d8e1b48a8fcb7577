"""The sandbox store's reads and counters: a kind's ids in numeric order (read a window at a time, or only
those asked for), ids reserved in a block as one at a time would have handed them out, a database left
by an older sandbox (no index) opening with its documents, and a transaction reading back what it wrote
(not what a rolled-back savepoint or its own statements changed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reconciler.sandbox.store import OrderedIds, Store

IDS = ["12", "3", "abc", "012", "610000000000000001", "99999999999999999999", "-4", "7x", "", "1000"]


def _numeric_order(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT id FROM objects WHERE platform = 'p' AND kind = 'k' ORDER BY CAST(id AS INTEGER), id"
        ).fetchall()
    return [str(row[0]) for row in rows]


def _store(tmp_path: Path, ids: list[str]) -> Store:
    store = Store(tmp_path / "s.sqlite")
    with store.transaction() as tx:
        for object_id in ids:
            tx.put("p", "k", object_id, {"id": object_id})
        tx.put("p", "other", "5", {})
    return store


def test_ids_read_in_windows_are_every_id_in_numeric_order(tmp_path: Path) -> None:
    many = IDS + [str(n) for n in range(600)]
    store = _store(tmp_path, many)
    expected = _numeric_order(tmp_path / "s.sqlite")
    assert sorted(expected) == sorted(set(many))
    with store.transaction() as tx:
        ids = tx.ids("p", "k")
        assert isinstance(ids, OrderedIds)
        assert len(ids) == len(expected)
        assert [ids[i] for i in (599, 3, 300, 0)] == [expected[i] for i in (599, 3, 300, 0)]
        assert list(ids) == expected
        assert ids[-1] == expected[-1]
        assert ids[10:20] == expected[10:20]
        assert [doc["id"] for doc in tx.all("p", "k")] == expected


def test_ids_among_some_are_those_that_exist_in_the_same_order(tmp_path: Path) -> None:
    store = _store(tmp_path, IDS)
    expected = _numeric_order(tmp_path / "s.sqlite")
    wanted = {"abc", "12", "012", "missing", "5", "99999999999999999999", ""}
    with store.transaction() as tx:
        assert tx.ids("p", "k", wanted) == [i for i in expected if i in wanted]
        assert tx.ids("p", "k", set()) == []


def test_a_block_of_ids_is_what_one_at_a_time_would_hand_out(tmp_path: Path) -> None:
    one, block = Store(tmp_path / "one.sqlite"), Store(tmp_path / "block.sqlite")
    with one.transaction() as tx:
        singly = [tx.next_id("c", 100) for _ in range(5)]
        after = tx.next_id("c", 100)
    with block.transaction() as tx:
        assert [tx.next_ids("c", 100, 1), tx.next_ids("c", 100, 4)] == [singly[0], singly[1]]
        assert tx.next_id("c", 100) == after


def test_a_database_without_the_order_index_opens_and_gets_it(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    _store(tmp_path, IDS).close()
    (tmp_path / "s.sqlite").rename(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX objects_in_order")
    store = Store(db)
    with store.transaction() as tx:
        assert list(tx.ids("p", "k")) == _numeric_order(db)
        assert tx.get("p", "k", "abc") == {"id": "abc"}
    store.close()
    with sqlite3.connect(db) as conn:
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "objects_in_order" in indexes


def test_a_transaction_reads_what_it_wrote_and_not_what_it_undid(tmp_path: Path) -> None:
    store = _store(tmp_path, ["1"])
    with store.transaction() as tx:
        first = tx.get("p", "k", "1")
        assert first == {"id": "1"}
        first["id"] = "changed"  # a copy: the stored document stays
        assert tx.get("p", "k", "1") == {"id": "1"}
        tx.put("p", "k", "1", {"id": "1", "n": 1})
        assert tx.get("p", "k", "1") == {"id": "1", "n": 1}
        try:
            with tx.savepoint():
                tx.put("p", "k", "1", {"id": "1", "n": 2})
                tx.put("p", "k", "2", {"id": "2"})
                raise RuntimeError
        except RuntimeError:
            pass
        assert tx.get("p", "k", "1") == {"id": "1", "n": 1}
        assert tx.get("p", "k", "2") is None
        tx.conn.execute("UPDATE objects SET doc = json_set(doc, '$.n', 3) WHERE id = '1'")
        assert tx.get("p", "k", "1") == {"id": "1", "n": 3}
    with store.transaction() as tx:
        assert tx.get("p", "k", "1") == {"id": "1", "n": 3}
