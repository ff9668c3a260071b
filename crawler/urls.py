"""Canonical URLs: one spelling per article, so that one article is stored once.

courlan does the normalisation (case, default ports, dot segments, sorted query, tracking
parameters such as ``utm_*``, ``fbclid``, ``gclid``); on top of it we drop fragments and
session ids,
which never name a different article.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

_SESSION_PARAM = re.compile(r"^(?:phpsessid|jsessionid|sid|sessionid|session_id|s_id)$", re.I)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)


@lru_cache(maxsize=16_384)  # a site's menus name the same URLs on every page
def canonicalize(url: str) -> str:
    """The canonical spelling of ``url``; an unparseable URL is returned stripped, unchanged."""
    url = _PATH_SESSION.sub("", url.strip())
    try:
        normalized = normalize_url(url, trailing_slash=True)
    except ValueError:
        return url
    parts = urlsplit(normalized)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _SESSION_PARAM.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


@lru_cache(maxsize=16_384)
def host_of(url: str) -> str:
    """Lower-case ``host[:port]`` without ``www.`` (default ports dropped); empty if no host.

    The port is part of a site's identity: two servers on one host are two sites.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        return f"{host}:{port}"
    return host
