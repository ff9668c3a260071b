"""The guard decides on the address the crawler connects to: resolve once, connect there.

No packet leaves the process: the guard is given a resolver that answers from a table (which
then changes, as a rebinding DNS server's would), and ``PinnedResolver`` is asked for the
address Scrapy would connect to.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from types import SimpleNamespace

import pytest
from scrapy.http import Request
from scrapy.settings import Settings

from crawler.guard import AddressGuardMiddleware, BlockedRequest, PinnedResolver, pin

PUBLIC = "93.184.216.34"
SETTINGS = Settings({"DNSCACHE_ENABLED": False, "DNS_TIMEOUT": 5})


def _crawler() -> SimpleNamespace:
    return SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None),
                           settings=SETTINGS)


def _resolved(resolver: PinnedResolver, host: str) -> list[str]:
    found: list[str] = []
    resolver.getHostByName(host).addCallback(found.append)
    return found  # a pinned host answers at once, without a lookup


def test_the_address_checked_is_the_address_connected_to():
    dns = {"news.example": ["2606:2800:220:1::1", PUBLIC], "evil.example": ["10.0.0.7"]}
    crawler = _crawler()
    guard = AddressGuardMiddleware(crawler, (), lambda host: list(dns.get(host, [])))
    resolver = PinnedResolver.from_crawler(crawler, reactor=SimpleNamespace())
    asyncio.run(guard.process_request(Request("http://news.example/a")))
    with pytest.raises(BlockedRequest):
        asyncio.run(guard.process_request(Request("http://evil.example/a")))
    dns["news.example"] = ["127.0.0.1"]  # the answer changes after the check (DNS rebinding)
    asyncio.run(guard.process_request(Request("http://news.example/b")))  # decided once
    assert _resolved(resolver, "news.example") == [PUBLIC]
    assert _resolved(resolver, "NEWS.EXAMPLE") == [PUBLIC]
    assert "evil.example" not in resolver.pins  # refused: never connected to


def test_only_an_ipv4_address_is_pinned_and_the_oldest_pins_go():
    pins: OrderedDict[str, str] = OrderedDict()
    assert pin(pins, "v6.example", ["2606:2800:220:1::1"]) is None
    assert pin(pins, "Mixed.example", ["fe80::1%eth0", "junk", PUBLIC]) == PUBLIC
    assert dict(pins) == {"mixed.example": PUBLIC}
    for n in range(5000):
        pin(pins, f"h{n}.example", [PUBLIC])
    assert len(pins) == 4096 and "mixed.example" not in pins
