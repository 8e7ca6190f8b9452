"""The server's worker processes, driven from an event loop as the web app drives them: answers
come back to the job that asked, a job past its deadline costs its worker (killed, replaced),
and a job abandoned half-way cannot hand its answer to the next one."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from orggraph.errors import OrgGraphError, QueryTimeout
from orggraph.web.workers import GraphSource, Workers

CSPIA = 'SELECT ?o WHERE { ?o skos:altLabel "中安协"@zh-Hans }'
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def with_pool(size: int, test: Callable[[Workers], Awaitable[Any]]) -> Any:
    pool = Workers(GraphSource(), size=size)
    pool.start()
    try:
        # a loop of its own, in a thread of its own: Chromium's tests keep one running in this thread
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, test(pool)).result()
    finally:
        pool.stop()


async def count_of(pool: Workers, text: str, timeout: float | None = 60) -> int:
    answer = await pool.ask(text, "json", {}, timeout)
    assert answer.kind == "ok", answer
    return len(json.loads(answer.body)["results"]["bindings"])


def test_a_query_is_answered_as_utf8_bytes_by_a_worker():
    async def test(pool: Workers) -> Any:
        return await pool.ask(CSPIA, "json", {}, 60)

    answer = with_pool(1, test)
    assert answer.kind == "ok" and isinstance(answer.body, bytes)
    assert json.loads(answer.body)["results"]["bindings"][0]["o"]["value"].endswith("/cspia")


def test_concurrent_jobs_each_get_their_own_answer():
    labels = [f"SELECT ?o WHERE {{ ?o skos:altLabel ?l }} LIMIT {n}" for n in range(1, 9)]

    async def test(pool: Workers) -> list[int]:
        return list(await asyncio.gather(*(count_of(pool, text) for text in labels)))

    assert with_pool(2, test) == list(range(1, 9))


def test_a_job_past_its_deadline_costs_its_worker_and_the_pool_answers_on():
    async def test(pool: Workers) -> tuple[bool, int, int]:
        before = pool._all[0].process
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            await pool.ask(SLOW, "json", {}, 1)
        after = await count_of(pool, CSPIA)
        return before.is_alive(), after, len(pool._all)

    alive, answered, workers = with_pool(1, test)
    assert not alive and answered == 1 and workers == 1


def test_a_job_abandoned_half_way_does_not_hand_its_answer_to_the_next():
    async def test(pool: Workers) -> tuple[int, int, bool]:
        first = pool._all[0].process
        # the slow job is cancelled while its worker computes, as a request is when the server stops
        slow = asyncio.ensure_future(count_of(pool, SLOW))
        await asyncio.sleep(0.5)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        quick = await asyncio.wait_for(count_of(pool, CSPIA), 30)
        return quick, await count_of(pool, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"), first.is_alive()

    assert with_pool(1, test) == (1, 2, False)


def test_a_worker_that_died_costs_one_answer_and_is_replaced():
    async def test(pool: Workers) -> tuple[Any, int]:
        pool._all[0].process.kill()  # as the kernel's out-of-memory killer would
        pool._all[0].process.join()
        broken = await pool.ask(CSPIA, "json", {}, 60)
        return broken, await count_of(pool, CSPIA)

    broken, answered = with_pool(1, test)
    assert broken.kind == "broken" and "another has taken its place" in broken.body
    assert answered == 1


def test_a_graph_that_cannot_be_opened_is_refused_at_start(tmp_path: Path):
    pool = Workers(GraphSource(files=(str(tmp_path / "missing.ttl"),)), size=1)
    with pytest.raises(OrgGraphError, match=r"missing\.ttl"):
        pool.start()
    assert pool._all == []


def test_a_freed_worker_goes_to_the_request_that_waited_longest():
    async def test() -> tuple[bool, bool, bool]:
        pool = Workers(GraphSource())
        worker: Any = object()
        pool._idle.append(worker)
        held = await pool._take()
        first = asyncio.ensure_future(pool._take())
        await asyncio.sleep(0)  # the first request waits
        pool._give(held)
        newcomer = asyncio.ensure_future(pool._take())  # arrives before the first has run again
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        fair = first.done() and first.result() is worker and not newcomer.done()
        # a request that goes after it was handed a worker hands it on
        second = asyncio.ensure_future(pool._take())
        await asyncio.sleep(0)
        pool._give(await first)
        newcomer.cancel()
        for _ in range(3):  # the newcomer goes, then the second request runs
            await asyncio.sleep(0)
        return fair, newcomer.cancelled(), second.done() and second.result() is worker

    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, test()).result() == (True, True, True)
