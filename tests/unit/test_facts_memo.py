"""The facts memo itself (wso.services.memo): bounded, least recently used out first, one per engine, gone with it."""

from __future__ import annotations

import gc
import weakref

from sqlalchemy import create_engine

from wso.services import memo


def test_bounded_least_recently_used_out_first() -> None:
    kept = memo.FactsMemo(max_entries=3)
    for n in range(3):
        kept.put(("officer", str(n), "h"), n)
    assert kept.get(("officer", "0", "h")) == 0  # used: now the most recent
    kept.put(("officer", "3", "h"), 3)
    assert len(kept) == 3
    assert kept.get(("officer", "1", "h")) is None  # the least recently used went out
    assert [kept.get(("officer", str(n), "h")) for n in (0, 2, 3)] == [0, 2, 3]
    assert (kept.hits, kept.misses) == (4, 1)


def test_one_memo_per_engine_and_none_left_after_it() -> None:
    first, second = create_engine("sqlite://"), create_engine("sqlite://")
    assert memo.memo_of(first) is memo.memo_of(first)
    assert memo.memo_of(first) is not memo.memo_of(second)
    gone = weakref.ref(memo.memo_of(first))
    del first
    gc.collect()
    assert gone() is None  # its entries went with the engine
    second.dispose()
