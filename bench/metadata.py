"""Metadata benchmark: title, authors and publication time, newsclean beside bare trafilatura.

Runs on ``../shared/bench/news-dev/`` (``NAME.html.gz`` and ``NAME.meta.json``: the title, authors
and publishing date that a per-publisher parser reads, see its README) and counts, per system, the
pages whose metadata agrees with it:

- title: equal after normalisation (Unicode NFKC, soft hyphens and zero-width characters removed,
  quote marks of every script removed, dashes made ``-``, case folded, whitespace collapsed);
- authors: the same set of names, each normalised as a title (``strict``); ``lenient`` also ignores
  punctuation and accepts one set holding the other (a co-author or an agency missed or added).
  Pages whose ground truth names no author are left out;
- time: the same instant within 60 s when both sides carry an offset; a value without an offset
  is compared as a wall-clock time with the other side's local time. ``date``: the same calendar
  day, each side in its own offset (a looser figure, for reference).

Systems: ``newsclean`` (``extract_article``), ``trafilatura`` (``bare_extraction`` with metadata,
its default cascade, asked for a time as newsclean asks htmldate: ``DATE_PARAMS``).

    .venv/bin/python bench/metadata.py [--workers N] [--misses SYSTEM]

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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines import extract  # noqa: E402

NEWS_DEV = ROOT.parent / "shared" / "bench" / "news-dev"
SYSTEMS = ("newsclean", "trafilatura")
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


@dataclass(frozen=True)
class Found:
    """What one system reads in one page."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None


def load_meta_cases(bench_dir: Path = NEWS_DEV) -> list[MetaCase]:
    """The pages of ``bench_dir`` with their ground-truth metadata, in a stable order."""
    cases = []
    for meta_path in sorted(bench_dir.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        key = meta_path.name.removesuffix(".meta.json")
        cases.append(MetaCase(
            key=key, url=meta["url"], path=bench_dir / f"{key}.html.gz",
            title=meta.get("title") or "", authors=tuple(meta.get("authors") or ()),
            published=meta.get("publishing_date"),
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


def time_agrees(found: datetime | None, truth: datetime | None) -> bool:
    if found is None or truth is None:
        return False
    if found.tzinfo is None or truth.tzinfo is None:  # wall clocks, each in its own offset
        found, truth = found.replace(tzinfo=None), truth.replace(tzinfo=None)
    return abs((found - truth).total_seconds()) <= TIME_TOLERANCE


def date_agrees(found: datetime | None, truth: datetime | None) -> bool:
    return found is not None and truth is not None and found.date() == truth.date()


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
        "time": time_agrees(found.published, truth_time),
        "date": date_agrees(found.published, truth_time),
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


def found_in_article(article: extract.Article | None) -> Found:
    """``Found`` of an ``extract_article`` result."""
    if article is None:
        return Found()
    return Found(article.title, tuple(article.authors), article.published_at)


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
        if system == "newsclean":
            out[system] = found_in_article(extract.extract_article(html, case.url, min_words=0))
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


def report(cases: list[MetaCase], found: dict[str, dict[str, Found]]) -> None:
    print(f"{len(cases)} pages from {NEWS_DEV}")
    fields = ("title", "authors", "authors_lenient", "time", "date")
    print(f"{'system':<13}" + "".join(f"{f:>22}" for f in fields))
    for system, by_key in found.items():
        a = metadata_agreement(cases, by_key)
        cells = (_pct(a.title, a.pages), _pct(a.authors, a.author_pages),
                 _pct(a.authors_lenient, a.author_pages), _pct(a.time, a.pages),
                 _pct(a.date, a.pages))
        print(f"{system:<13}" + "".join(f"{c:>22}" for c in cells))


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
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--misses", choices=SYSTEMS, help="print this system's disagreements")
    args = parser.parse_args(argv)
    cases = load_meta_cases()
    found = run(cases, SYSTEMS, args.workers)
    report(cases, found)
    if args.misses:
        misses(cases, found[args.misses])
    return 0


if __name__ == "__main__":
    sys.exit(main())
