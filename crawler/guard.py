"""The address guard: never let a page of a stranger make the crawler call a private address.

Links, sitemap entries and redirects come from the sites we crawl. Any of them may point at a
private, loopback, link-local or cloud metadata address (``http://169.254.169.254/``,
``http://localhost:6379/``), or at a scheme other than http(s). The guard refuses such requests
before any connection is made:

- ``decide(url, ...)`` is the pure decision: it resolves the host (through a resolver you can
  pass in) and returns why the URL is refused, or ``None``. The hosts of the configured sites are
  trusted (a site you put on ``127.0.0.1:8080`` is crawled; its links to other private hosts are
  not), and ``GUARD_ALLOWED_NETWORKS`` lists extra networks to allow.
- ``AddressGuardMiddleware`` applies it to every request, ``RedirectGuardMiddleware`` to every
  redirect's ``Location`` (and refuses redirect loops); a refused request fails with
  ``BlockedRequest``, which the spider records as a reject with reason ``blocked_address``.

The decision holds for the address the crawler connects to: a host name is resolved once, by the
guard, and ``PinnedResolver`` (``DNS_RESOLVER``) hands Scrapy the IPv4 address the guard checked,
so a DNS answer that changes between the check and the connection (DNS rebinding) is never used.

A host that does not resolve is let through: the download then fails as ``download_error``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from w3lib.url import safe_url_string

from crawler.urls import canonicalize, host_of

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Iterable[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Cloud instance metadata (AWS, GCP, Azure, OpenStack on IPv4; AWS on IPv6): named in the detail.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254")
)
_CACHE_SIZE = 4096  # hosts whose decision is remembered for the run


class BlockedRequest(IgnoreRequest):
    """A request the guard refused; the message says which address and why."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of its own chain; the message shows the chain."""


def refusal(address: IPAddress, allowed: Iterable[Network] = ()) -> str | None:
    """Why ``address`` may not be fetched, or ``None`` when it is a public (or allowed) one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in net for net in allowed if net.version == address.version):
        return None
    if address in METADATA_ADDRESSES:
        return "cloud metadata address"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address"
    if not address.is_global:
        return "non-global address"  # e.g. 100.64.0.0/10 (carrier-grade NAT)
    return None


def system_resolver(host: str) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6); empty when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def decide(
    url: str,
    *,
    trusted: Iterable[str] = (),
    allowed: Iterable[Network] = (),
    resolve: Resolver = system_resolver,
) -> str | None:
    """Why ``url`` is refused, or ``None`` when it may be fetched.

    ``trusted`` holds ``host[:port]`` keys (as ``crawler.urls.host_of`` spells them) of the
    configured sites; ``resolve`` turns a host name into addresses. An IP literal is never
    resolved. A host is refused when *any* of its addresses is refused.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "unparseable URL"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"scheme {parts.scheme or '(none)'!r} is not http(s)"
    if not host:
        return "no host"
    if host_of(url) in set(trusted):
        return None
    return _host_refusal(host, tuple(allowed), resolve)


def _host_refusal(host: str, allowed: tuple[Network, ...], resolve: Resolver) -> str | None:
    for address in _addresses(host, resolve):
        why = refusal(address, allowed)
        if why:
            return f"{host} is {address}, a {why}"
    return None


def _addresses(host: str, resolve: Resolver) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]").split("%")[0])]
    except ValueError:
        pass
    found = []
    for text in resolve(host):
        try:
            found.append(ipaddress.ip_address(text.split("%")[0]))
        except ValueError:
            continue
    return found


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``GUARD_ALLOWED_NETWORKS`` entries (``10.1.0.0/16``, ``fd12::/16``, one address)."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"GUARD_ALLOWED_NETWORKS: bad network {value!r}: {exc}") from None
    return tuple(networks)


class _Guard:
    """What both guards share: settings, the trusted hosts, the cached decision per host.

    Enabled by ``GUARD_ENABLED``; ``GUARD_ALLOWED_NETWORKS`` lists networks to allow anyway.
    """

    def __init__(self, crawler: Any, allowed: tuple[Network, ...],
                 resolve: Resolver = system_resolver) -> None:
        self.crawler = crawler
        self.allowed = allowed
        self.resolve = resolve
        self.trusted: frozenset[str] = frozenset()
        self._hosts: OrderedDict[str, str | None] = OrderedDict()
        self.pins = pins_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> _Guard:
        if not crawler.settings.getbool("GUARD_ENABLED"):
            raise NotConfigured("GUARD_ENABLED is off")
        guard = cls(crawler, parse_networks(crawler.settings.getlist("GUARD_ALLOWED_NETWORKS")))
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def spider_opened(self, spider: Any) -> None:
        sites = getattr(spider, "sites", {}).values()
        self.trusted = frozenset(host for site in sites for host in site.hosts)

    async def check(self, url: str, what: str) -> None:
        """Raise ``BlockedRequest`` when ``url`` must not be fetched."""
        why = decide(url, trusted=self.trusted, allowed=self.allowed, resolve=_no_lookup)
        if why is None and urlsplit(url).scheme.lower() in ALLOWED_SCHEMES:
            why = await self._lookup(url)
        if why:
            self.crawler.stats.inc_value("newsclean/guard/blocked")
            raise BlockedRequest(f"refused {what}: {why}")

    async def _lookup(self, url: str) -> str | None:
        """The decision for a host name, resolved off the reactor thread and remembered."""
        host = urlsplit(url).hostname or ""
        if host_of(url) in self.trusted or not _needs_lookup(host):
            return None
        if host not in self._hosts:
            addresses = await _resolve_async(self.resolve, host)
            why = _host_refusal(host, self.allowed, lambda _h: addresses)
            self._hosts[host] = why
            if why is None:
                pin(self.pins, host, addresses)
            if len(self._hosts) > _CACHE_SIZE:
                self._hosts.popitem(last=False)
        return self._hosts[host]


class AddressGuardMiddleware(_Guard):
    """Refuse requests to private addresses and non-http(s) schemes before any connection.

    Registered before ``RobotsTxtMiddleware``: not even the robots.txt of a refused host is
    fetched.
    """

    async def process_request(self, request: Request) -> None:
        await self.check(request.url, request.url)


def _no_lookup(_host: str) -> list[str]:
    return []


def _needs_lookup(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return bool(host)
    return False  # an IP literal was decided without a lookup


def _resolve_async(resolve: Resolver, host: str) -> Awaitable[list[str]]:
    return asyncio.get_running_loop().run_in_executor(None, lambda: list(resolve(host)))


class RedirectGuardMiddleware(_Guard):
    """Check a redirect before Scrapy's ``RedirectMiddleware`` follows it.

    Registered just above it (responses pass middlewares from high to low numbers): a
    ``Location`` with a scheme other than http(s) (which Scrapy would hand on as a plain 3xx) or a
    refused address fails as ``BlockedRequest``; a ``Location`` already in the request's own
    redirect chain fails as ``RedirectLoop`` (Scrapy's duplicate filter would drop it silently).
    """

    async def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1").strip()))
        await self.check(target, f"redirect from {request.url} to {target}")
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if canonicalize(target) in {canonicalize(url) for url in chain}:
            self.crawler.stats.inc_value("newsclean/guard/redirect_loop")
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}"[:300])
        return response


# --------------------------------------------------------------------------- resolve once


def pins_of(crawler: Any) -> OrderedDict[str, str]:
    """The crawler's pinned addresses (host name -> the IPv4 address the guard checked), shared
    by both guards and ``PinnedResolver``; made on first use."""
    pins = getattr(crawler, "newsclean_pins", None)
    if pins is None:
        pins = OrderedDict()
        crawler.newsclean_pins = pins
    return pins


def pin(pins: OrderedDict[str, str], host: str, addresses: Iterable[str]) -> str | None:
    """Pin ``host`` to the first IPv4 address among the checked ``addresses`` (Scrapy's resolver
    connects over IPv4); the oldest pins go past ``_CACHE_SIZE`` hosts."""
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if address.version == 4:
            pins[host.lower()] = str(address)
            pins.move_to_end(host.lower())
            while len(pins) > _CACHE_SIZE:
                pins.popitem(last=False)
            return str(address)
    return None


class PinnedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver (``DNS_RESOLVER``), but a host the guard resolved and allowed
    is connected to at the address the guard checked, without a second lookup."""

    pins: OrderedDict[str, str]

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PinnedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.pins = pins_of(crawler)
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        address = self.pins.get(name.lower())
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)
