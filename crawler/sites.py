"""The sites file: load and validate ``sites.toml`` into typed ``Site`` objects.

A bad file stops the run before any request, with a message that names the file, the site and the
field (``sites.toml: site 'harbor': field 'allow': bad regex '(': missing ), ...``,
``sites.toml: site 'harbor': field 'timezone': unknown time zone 'Europe/Berln' ...``).

``allow`` and ``deny`` are compiled with RE2 (``google-re2``), which matches in time linear in the
URL's length whatever the pattern: no pattern can stall the crawl. RE2 has no backreferences or
lookaround; a pattern that needs them is refused with the site and the field named.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import re2

from crawler.urls import host_of

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # fullmatch: no trailing newline
_LISTS = ("start_urls", "sitemaps", "feeds", "allow", "deny",
          "remove_selectors", "remove_phrases", "keep_selectors")
_KNOWN = {"name", "max_age_days", "max_pages", "follow_depth", "revisit", "timezone", *_LISTS}


class SitesError(ValueError):
    """The sites file is unusable; the message says where and why."""


class Pattern(Protocol):
    """A compiled ``allow`` / ``deny`` pattern (RE2's, with ``re``'s ``search``)."""

    pattern: str

    def search(self, text: str) -> Any: ...


@dataclass(frozen=True)
class SiteRules:
    """Per-site boilerplate rules: extra things to remove, things to keep (``pipelines/``
    applies them; they live here so that ``crawler/`` never imports the pipelines)."""

    remove_selectors: tuple[str, ...] = ()
    remove_phrases: tuple[str, ...] = ()
    keep_selectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """One news site to crawl."""

    name: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allow: tuple[Pattern, ...] = ()
    deny: tuple[Pattern, ...] = ()
    max_age_days: float | None = None
    max_pages: int = 5000
    follow_depth: int = 2
    revisit: int = 0  # stored articles reached by a link re-read a run, for their links
    rules: SiteRules = field(default_factory=SiteRules)
    timezone: str | None = None  # IANA name: the pages' times without an offset are local times

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts (``host[:port]``) this site lives on, from its configured URLs."""
        urls = (*self.start_urls, *self.sitemaps, *self.feeds)
        return frozenset(host_of(u) for u in urls)

    def denies(self, url: str) -> bool:
        """A ``deny`` pattern matches (``re.search`` on the full URL): never fetch it."""
        return any(p.search(url) for p in self.deny)

    def allows(self, url: str) -> bool:
        """``url`` may be stored as an article: not denied, and allowed if ``allow`` is set."""
        if self.denies(url):
            return False
        return not self.allow or any(p.search(url) for p in self.allow)


def load_sites(path: str | Path, only: str | None = None) -> list[Site]:
    """Read and validate a sites file; ``only`` keeps the one site of that name."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(f"{path}: no such sites file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: not valid TOML: {exc}") from None
    extra = set(data) - {"sites"}
    if extra:
        raise SitesError(f"{path}: unknown top-level key(s) {sorted(extra)}; expected [[sites]]")
    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise SitesError(f"{path}: no [[sites]] entries")
    sites = [_site(path, i, entry) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for site in sites:
        if site.name in seen:
            raise SitesError(f"{path}: site {site.name!r}: field 'name': duplicate name")
        seen.add(site.name)
    _check_hosts(path, sites)
    if only is not None:
        sites = [s for s in sites if s.name == only]
        if not sites:
            raise SitesError(f"{path}: no site named {only!r} (have: {', '.join(sorted(seen))})")
    return sites


def _site(path: Path, index: int, entry: Any) -> Site:
    where = f"{path}: site #{index + 1}"
    if not isinstance(entry, dict):
        raise SitesError(f"{where}: expected a table, got {type(entry).__name__}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise SitesError(
            f"{where}: field 'name': required, letters/digits/_.- only, got {name!r}"
        )
    where = f"{path}: site {name!r}"
    unknown = set(entry) - _KNOWN
    if unknown:
        raise SitesError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_KNOWN)}"
        )
    lists = {key: _strings(where, key, entry.get(key, [])) for key in _LISTS}
    for key in ("start_urls", "sitemaps", "feeds"):
        for url in lists[key]:
            _check_url(where, key, url)
    if not (lists["start_urls"] or lists["sitemaps"] or lists["feeds"]):
        raise SitesError(f"{where}: field 'start_urls': give a start URL, sitemap or feed")
    return Site(
        name=name,
        start_urls=tuple(lists["start_urls"]),
        sitemaps=tuple(lists["sitemaps"]),
        feeds=tuple(lists["feeds"]),
        allow=_patterns(where, "allow", lists["allow"]),
        deny=_patterns(where, "deny", lists["deny"]),
        max_age_days=_number(where, entry, "max_age_days", float, None),
        max_pages=_number(where, entry, "max_pages", int, 5000),
        follow_depth=_number(where, entry, "follow_depth", int, 2),
        revisit=_number(where, entry, "revisit", int, 0),
        rules=_rules(where, lists),
        timezone=_timezone(where, entry.get("timezone")),
    )


def _strings(where: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SitesError(f"{where}: field {key!r}: expected a list of strings, got {value!r}")
    return [v.strip() for v in value]


def _check_url(where: str, key: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SitesError(f"{where}: field {key!r}: bad URL {url!r} (need http:// or https://)")


def _patterns(where: str, key: str, values: list[str]) -> tuple[Pattern, ...]:
    options = re2.Options()
    options.log_errors = False  # the error goes into our one-line message, not to stderr
    out = []
    for value in values:
        try:
            out.append(re2.compile(value, options=options))
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):  # RE2 says why in bytes
                reason = reason.decode(errors="replace")
            raise SitesError(
                f"{where}: field {key!r}: bad regex {value!r}: {reason} (patterns are RE2: "
                f"no backreferences or lookaround)"
            ) from None
    return tuple(out)


def _check_hosts(path: Path, sites: list[Site]) -> None:
    """Each host belongs to one site: a second site there would silently get no rows."""
    owner: dict[str, str] = {}
    for site in sites:
        for host in sorted(site.hosts):
            first = owner.setdefault(host, site.name)
            if first != site.name:
                raise SitesError(
                    f"{path}: sites {first!r} and {site.name!r}: field 'start_urls': both are on "
                    f"host {host!r}; a host belongs to one site (merge them into one entry)"
                )


def _number(where: str, entry: dict, key: str, kind: type, default: Any) -> Any:
    value = entry.get(key, default)
    if value is default:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SitesError(f"{where}: field {key!r}: expected a number >= 0, got {value!r}")
    if kind is int and value != int(value):
        raise SitesError(f"{where}: field {key!r}: expected a whole number, got {value!r}")
    return kind(value)


def _timezone(where: str, value: Any) -> str | None:
    """An IANA time zone name that this Python knows (``Europe/Berlin``), or None when unset."""
    if value is None:
        return None
    hint = "an IANA time zone name such as 'Europe/Berlin' or 'America/New_York'"
    if not isinstance(value, str):
        raise SitesError(f"{where}: field 'timezone': expected {hint}, got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: not a name ("", "../x")
        raise SitesError(
            f"{where}: field 'timezone': unknown time zone {value!r}; expected {hint}"
        ) from None
    return value


def _rules(where: str, lists: dict[str, list[str]]) -> SiteRules:
    from lxml.cssselect import CSSSelector
    from lxml.etree import XPathError

    for key in ("remove_selectors", "keep_selectors"):
        for selector in lists[key]:
            try:
                CSSSelector(selector)
            except (XPathError, Exception) as exc:  # cssselect raises its own SelectorError
                raise SitesError(
                    f"{where}: field {key!r}: bad CSS selector {selector!r}: {exc}"
                ) from None
    return SiteRules(
        remove_selectors=tuple(lists["remove_selectors"]),
        remove_phrases=tuple(lists["remove_phrases"]),
        keep_selectors=tuple(lists["keep_selectors"]),
    )
