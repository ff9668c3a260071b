"""Shared fixtures: the fixture news sites, their manifests, and a real ``scrapy crawl news`` run.

A crawl is a subprocess (``python -m scrapy crawl news``) run from the repository root against
sites served by ``tests.mockserver`` on 127.0.0.1; nothing here touches the network or sleeps.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mockserver import SITES_DIR, SiteServer

REPO = Path(__file__).resolve().parents[1]
CRAWL_TIMEOUT = 240  # seconds; a crawl of the fixtures takes a few

# Settings for test crawls: politeness lifted for speed (the fixtures are local), nothing else.
FAST = {
    "LOG_LEVEL": "INFO",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "EXTRACT_WORKERS": "2",
}
# Proxy variables would make Scrapy send fixture requests elsewhere.
_PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@dataclass
class CrawlResult:
    """One finished ``scrapy crawl news`` run and what the fixture servers saw."""

    returncode: int
    stdout: str
    stderr: str
    output: Path
    sites_file: Path
    servers: dict[str, SiteServer]
    started: date  # UTC date the crawl started: the dataset's crawl_date partition
    requests: dict[str, list[str]] = field(default_factory=dict)  # site -> paths, at the end

    @property
    def log(self) -> str:
        """The end of the crawl's log, for assertion messages."""
        return (self.stdout + self.stderr)[-6000:]

    def base(self, site: str) -> str:
        return self.servers[site].url

    def url(self, site: str, path: str) -> str:
        return self.servers[site].url + path

    def site_of(self, url: str) -> str | None:
        netloc = urlsplit(url).netloc
        return next((n for n, s in self.servers.items() if urlsplit(s.url).netloc == netloc), None)


def load_bench_script(script: str) -> Any:
    """``bench/<script>.py`` as a module (``bench`` is a folder of scripts, not a package)."""
    name = f"newsclean_bench_{script}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{script}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def write_sites_file(path: Path, servers: dict[str, SiteServer]) -> Path:
    """A sites.toml with the ``site.toml`` entry of each served fixture site."""
    parts = [s.render((s.root / "site.toml").read_text(encoding="utf-8")) for s in servers.values()]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def crawl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in _PROXY_VARS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_scrapy(*args: str, settings: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m scrapy ARGS`` from the repository root, output captured."""
    command = [sys.executable, "-m", "scrapy", *args]
    for key, value in {**FAST, **(settings or {})}.items():
        command += ["-s", f"{key}={value}"]
    return subprocess.run(
        command, cwd=REPO, env=crawl_env(), capture_output=True, text=True,
        timeout=CRAWL_TIMEOUT, check=False,
    )


@contextmanager
def serving(*names: str) -> Iterator[dict[str, SiteServer]]:
    """Serve the named fixture sites, each on its own port, for the ``with`` block."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(SiteServer(SITES_DIR / name)) for name in names}


def crawl(
    servers: dict[str, SiteServer], workdir: Path, *args: str, **settings: str
) -> CrawlResult:
    """Run ``scrapy crawl news`` over ``servers`` into ``workdir/output``."""
    sites_file = write_sites_file(workdir / "sites.toml", servers)
    output = workdir / "output"
    started = datetime.now(UTC).date()
    proc = run_scrapy(
        "crawl", "news", "-a", f"sites={sites_file}", *args,
        settings={"OUTPUT_DIR": str(output), **settings},
    )
    return CrawlResult(
        returncode=proc.returncode, stdout=proc.stdout, stderr=proc.stderr, output=output,
        sites_file=sites_file, servers=servers, started=started,
        requests={name: server.requests for name, server in servers.items()},
    )


@pytest.fixture(scope="session")
def serve_sites() -> Callable[..., AbstractContextManager[dict[str, SiteServer]]]:
    """``with serve_sites("harbor", "rive") as servers:`` serves fixture sites."""
    return serving


@pytest.fixture(scope="session")
def scrapy_cmd() -> Callable[..., subprocess.CompletedProcess]:
    """``scrapy_cmd("crawl", "news", ..., settings={...})``: Scrapy run from the repository root."""
    return run_scrapy


@pytest.fixture(scope="session")
def run_crawl() -> Callable[..., CrawlResult]:
    """``run_crawl(servers, workdir, *scrapy_args, SETTING=value)`` runs one crawl."""
    return crawl
