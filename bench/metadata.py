"""Metadata benchmark: title, authors and publication time, newsclean beside bare trafilatura.

Runs on ``../shared/bench/news-dev/`` (``NAME.html.gz`` and ``NAME.meta.json``: the title, authors
and publishing date that a per-publisher parser reads, see its README) and counts, per system, the
pages whose metadata agrees with it:

- title: equal after normalisation (Unicode NFKC, soft hyphens and zero-width characters removed,
  quote marks of every script removed, dashes made ``-``, case folded, whitespace collapsed);
- authors: the same set of names, each normalised as a title (``strict``); ``lenient`` also ignores
  punctuation and accepts one set holding the other (a co-author or an agency missed or added).
  Pages whose ground truth names no author are left out;
- time: the same instant within 60 s when both sides carry an offset; when one side has no
  offset, the same wall-clock time within 60 s, the other side read in its own offset (newsclean's
  UTC times in the site's time zone when one is configured, else in UTC). ``date``: the same
  calendar day as the ground truth's, read in its offset when both carry one, else as for the
  time (a looser figure, for reference).

Systems: ``newsclean`` (``extract_article``, no time zone configured: times without an offset
read as UTC), ``newsclean+tz`` (the same, with the time zone an operator would give each site in
the sites file: ``COUNTRY_ZONES``, from the publisher's country in the set), ``trafilatura``
(``bare_extraction`` with metadata, its default cascade, asked for a time as newsclean asks
htmldate: ``DATE_PARAMS``).

    .venv/bin/python bench/metadata.py [--set DIR] [--systems A,B] [--workers N] [--misses SYSTEM]

``--set ../shared/bench/wcxb-dev`` runs on WCXB's pages instead (same fields; its authors are
often one unsplit string, so read its author figures as a lower bound for every system).

``metadata_agreement(cases, found)`` scores any system's ``Found`` values; ``run`` produces them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines import extract  # noqa: E402

NEWS_DEV = ROOT.parent / "shared" / "bench" / "news-dev"
SYSTEMS = ("newsclean", "newsclean+tz", "trafilatura")
# the time zone of each country of the set (its capital's), as an operator would set ``timezone``
COUNTRY_ZONES = {
    "at": "Europe/Vienna", "au": "Australia/Sydney", "be": "Europe/Brussels",
    "ca": "America/Toronto", "ch": "Europe/Zurich", "cn": "Asia/Shanghai", "cz": "Europe/Prague",
    "de": "Europe/Berlin", "es": "Europe/Madrid", "fr": "Europe/Paris", "ind": "Asia/Kolkata",
    "it": "Europe/Rome", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "ls": "Africa/Maseru",
    "my": "Asia/Kuala_Lumpur", "na": "Africa/Windhoek", "pl": "Europe/Warsaw",
    "pt": "Europe/Lisbon", "tr": "Europe/Istanbul", "tw": "Asia/Taipei",
    "tz": "Africa/Dar_es_Salaam", "uk": "Europe/London", "us": "America/New_York",
    "za": "Africa/Johannesburg",
}
TIME_TOLERANCE = 60.0  # seconds

_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_QUOTES = re.compile("[\"'`\u00b4\u2018-\u201f\u2032\u2033\u00ab\u00bb\u2039\u203a"
                     "\u300c-\u300f\u3008-\u300b\u301d-\u301f\uff02\uff07]")
_DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\uff0d]")
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class MetaCase:
    """One page of the set and what the publisher's parser reads in it."""

    key: str
    url: str
    path: Path
    title: str
    authors: tuple[str, ...]
    published: str | None
    country: str = ""


@dataclass(frozen=True)
class Found:
    """What one system reads in one page; ``zone``: the time zone it read times without an
    offset in (its local time), ``None`` for UTC."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    zone: str | None = None


def load_meta_cases(bench_dir: Path = NEWS_DEV) -> list[MetaCase]:
    """The pages of ``bench_dir`` with their ground-truth metadata, in a stable order."""
    cases = []
    for meta_path in sorted(bench_dir.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        key = meta_path.name.removesuffix(".meta.json")
        cases.append(MetaCase(
            key=key, url=meta["url"], path=bench_dir / f"{key}.html.gz",
            title=meta.get("title") or "", authors=tuple(meta.get("authors") or ()),
            published=meta.get("publishing_date"), country=meta.get("country") or "",
        ))
    return cases


# --------------------------------------------------------------------------- metric


def normalise(text: str | None) -> str:
    """A title or a name as compared: see the module docstring."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DASHES.sub("-", _QUOTES.sub("", _INVISIBLE.sub("", text)))
    return " ".join(text.casefold().split())


def title_agrees(found: str | None, truth: str) -> bool:
    return bool(found) and normalise(found) == normalise(truth)


def authors_agree(found: Iterable[str], truth: Iterable[str], *, lenient: bool = False) -> bool:
    """The same set of names (``lenient``: punctuation ignored, one set may hold the other)."""
    ours, theirs = {normalise(a) for a in found}, {normalise(a) for a in truth}
    if not lenient:
        return bool(theirs) and ours == theirs
    ours = {" ".join(_PUNCT.sub(" ", a).split()) for a in ours} - {""}
    theirs = {" ".join(_PUNCT.sub(" ", a).split()) for a in theirs} - {""}
    return bool(ours and theirs) and (ours <= theirs or theirs <= ours)


def parse_time(value: str | None) -> datetime | None:
    """An ISO-8601 time as written by the set or by htmldate (``+0200`` offsets included)."""
    if not value:
        return None
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip().replace("Z", "+00:00"))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _local(found: datetime, zone: str | None) -> datetime:
    """``found`` as a wall-clock time: in ``zone`` when given, else in its own offset."""
    if zone and found.tzinfo is not None:
        found = found.astimezone(ZoneInfo(zone))
    return found.replace(tzinfo=None)


def time_agrees(found: datetime | None, truth: datetime | None, zone: str | None = None) -> bool:
    if found is None or truth is None:
        return False
    if found.tzinfo is None or truth.tzinfo is None:  # wall clocks, each in its own offset
        found, truth = _local(found, zone), truth.replace(tzinfo=None)
    return abs((found - truth).total_seconds()) <= TIME_TOLERANCE


def date_agrees(found: datetime | None, truth: datetime | None, zone: str | None = None) -> bool:
    if found is None or truth is None:
        return False
    if found.tzinfo is not None and truth.tzinfo is not None:  # both instants: the truth's day
        return found.astimezone(truth.tzinfo).date() == truth.date()
    return _local(found, zone).date() == truth.replace(tzinfo=None).date()


@dataclass(frozen=True)
class Agreement:
    """Pages on which a system agrees with the ground truth."""

    pages: int
    title: int
    author_pages: int  # pages whose ground truth names an author
    authors: int
    authors_lenient: int
    time: int
    date: int


def agreement_of(case: MetaCase, found: Found) -> dict[str, bool]:
    """Which fields of one page agree (``authors*`` are None when the truth names nobody)."""
    truth_time = parse_time(case.published)
    named = bool(case.authors)
    return {
        "title": title_agrees(found.title, case.title),
        "authors": authors_agree(found.authors, case.authors) if named else None,
        "authors_lenient": (
            authors_agree(found.authors, case.authors, lenient=True) if named else None
        ),
        "time": time_agrees(found.published, truth_time, found.zone),
        "date": date_agrees(found.published, truth_time, found.zone),
    }


def metadata_agreement(cases: Iterable[MetaCase], found: dict[str, Found]) -> Agreement:
    """Count the pages of ``cases`` whose ``found[case.key]`` agrees (missing: nothing found)."""
    rows = [agreement_of(case, found.get(case.key) or Found()) for case in cases]
    return Agreement(
        pages=len(rows),
        title=sum(r["title"] for r in rows),
        author_pages=sum(r["authors"] is not None for r in rows),
        authors=sum(bool(r["authors"]) for r in rows),
        authors_lenient=sum(bool(r["authors_lenient"]) for r in rows),
        time=sum(r["time"] for r in rows),
        date=sum(r["date"] for r in rows),
    )


# --------------------------------------------------------------------------- the systems


def found_in_article(article: extract.Article | None, zone: str | None = None) -> Found:
    """``Found`` of an ``extract_article`` result (``zone``: the time zone it was given)."""
    if article is None:
        return Found(zone=zone)
    return Found(article.title, tuple(article.authors), article.published_at, zone)


def found_by_trafilatura(html: bytes | str, url: str) -> Found:
    """Bare trafilatura's metadata: its default cascade, a time asked of htmldate."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            date_extraction_params=extract.DATE_PARAMS,
        )
    except (ValueError, AssertionError):
        doc = None
    if doc is None:
        return Found()
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Found(doc.title, authors, parse_time(doc.date))


def run_page(case: MetaCase, systems: tuple[str, ...] = SYSTEMS) -> dict[str, Found]:
    """Every system's ``Found`` for one page."""
    html = gzip.decompress(case.path.read_bytes())
    out = {}
    for system in systems:
        if system.startswith("newsclean"):
            zone = COUNTRY_ZONES.get(case.country) if system == "newsclean+tz" else None
            article = extract.extract_article(html, case.url, min_words=0, timezone=zone)
            out[system] = found_in_article(article, zone)
        else:
            out[system] = found_by_trafilatura(html, case.url)
    return out


def run(
    cases: list[MetaCase], systems: tuple[str, ...] = SYSTEMS, workers: int | None = None
) -> dict[str, dict[str, Found]]:
    """``{system: {key: Found}}`` over ``cases``, in a process pool when ``workers`` > 1."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        results = [run_page(case, systems) for case in cases]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_page, cases, [systems] * len(cases), chunksize=4))
    return {s: {c.key: r[s] for c, r in zip(cases, results, strict=True)} for s in systems}


# --------------------------------------------------------------------------- report


def _pct(count: int, total: int) -> str:
    return f"{count:>4} / {total:<4}({100 * count / max(total, 1):5.1f} %)"


def report(
    cases: list[MetaCase], found: dict[str, dict[str, Found]], bench_dir: Path = NEWS_DEV
) -> None:
    print(f"{len(cases)} pages from {bench_dir}")
    fields = ("title", "authors", "authors_lenient", "time", "date")
    print(f"{'system':<14}" + "".join(f"{f:>22}" for f in fields))
    for system, by_key in found.items():
        a = metadata_agreement(cases, by_key)
        cells = (_pct(a.title, a.pages), _pct(a.authors, a.author_pages),
                 _pct(a.authors_lenient, a.author_pages), _pct(a.time, a.pages),
                 _pct(a.date, a.pages))
        print(f"{system:<14}" + "".join(f"{c:>22}" for c in cells))


def misses(cases: list[MetaCase], found: dict[str, Found]) -> None:
    """Each disagreement of one system, beside the ground truth."""
    for case in cases:
        got = found.get(case.key) or Found()
        row = agreement_of(case, got)
        if not row["title"]:
            print(f"{case.key[:30]:<31}title   {got.title!r}\n{'':<31}    gt  {case.title!r}")
        if row["authors"] is False:
            print(f"{case.key[:30]:<31}authors {list(got.authors)}\n{'':<31}    gt  "
                  f"{list(case.authors)}")
        if not row["time"]:
            when = got.published.isoformat() if got.published else None
            print(f"{case.key[:30]:<31}time    {when}\n{'':<31}    gt  {case.published}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=NEWS_DEV, help="folder of NAME.meta.json")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--misses", choices=SYSTEMS, help="print this system's disagreements")
    args = parser.parse_args(argv)
    systems = tuple(s for s in args.systems.split(",") if s in SYSTEMS)
    cases = load_meta_cases(args.set)
    found = run(cases, systems, args.workers)
    report(cases, found, args.set)
    if args.misses in found:
        misses(cases, found[args.misses])
    return 0


if __name__ == "__main__":
    sys.exit(main())
