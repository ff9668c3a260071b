"""Extraction benchmark: newsclean's ``extract_article`` against bare trafilatura, side by side.

Three annotated sets under ``../shared/bench/`` (each README says its format and metric):

* ``news-dev``: recent news pages, the text a per-publisher parser reads (``NAME.txt``), the
  publisher's free-access flag (``NAME.meta.json``);
* ``wcxb-dev``: article pages of the web, their main content and must-not phrases
  (``without_snippets``);
* ``aeb-dev``: the article-extraction-benchmark pages (``ground-truth.json``).

Systems: ``newsclean`` (``extract_article``), ``trafilatura`` (``trafilatura.extract`` with its
default cascade, comments off) and ``trafilatura-fast`` (its fast cascade, comments off), in the
same run, on the same pages. Metrics: news-dev and wcxb-dev, bag of words per page (lower-cased
``\\w+`` tokens, CJK / kana / Thai split per character), averaged over pages; aeb-dev, that
benchmark's own 4-token shingles. F1 is that of the two means.

Promo / paywall lines left, judged without the layer's vocabulary:

* wcxb-dev: the page's own ``without_snippets`` that survive in the output;
* news-dev and aeb-dev: output lines of at most ``JUDGE_MAX_WORDS`` words that the ground truth
  does not hold (no ground-truth line shares most of their words) and that hold one of
  ``JUDGE_STEMS``, a short list of stems of subscribe / newsletter / paywall / ad / app words
  written for judging only (``pipelines.vocabulary`` is not read). It was written from the words
  of promo blocks in general, not from the layer's patterns, but by the same people: read its
  counts as a check, not as truth.

Also printed: the pages whose publisher marks them not free and how many of them ``newsclean``
flags paywalled (and free pages flagged); recall lost per layer rule (words of removed lines that
the ground truth holds); the pages with the largest recall loss against trafilatura; the
layer's own time as a share of ``extract_article``'s; and, on the sets named by ``--metadata``
(news-dev by default), title / authors / publication time agreement with the ground truth beside
bare trafilatura's, scored by ``bench/metadata.py`` (``metadata_agreement``; newsclean given each
site's time zone from the publisher's country, as an operator sets ``timezone``).

    .venv/bin/python bench/extraction.py [--sets news-dev,wcxb-dev,aeb-dev] [--workers N]
        [--show-promos] [--worst N] [--metadata news-dev]

``score``, ``page_scores``, ``load_cases`` and ``run`` are importable
(``tests/test_extraction_floor.py`` reuses them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from trafilatura.settings import Extractor  # noqa: E402

from bench import metadata as metadata_bench  # noqa: E402  (a script's folder, not a package)
from pipelines import boilerplate, extract  # noqa: E402

BENCH_ROOT = ROOT.parent / "shared" / "bench"
SETS = ("news-dev", "wcxb-dev", "aeb-dev")
BENCH_DIR = BENCH_ROOT / "aeb-dev"  # the AEB set (older callers)
SYSTEMS = ("newsclean", "trafilatura", "trafilatura-fast")
BARE = {
    "trafilatura": Extractor(output_format="txt", fast=False, comments=False, tables=True),
    "trafilatura-fast": Extractor(output_format="txt", fast=True, comments=False, tables=True),
}
JUDGE_MAX_WORDS = 40  # longer lines are prose, whatever words they hold
# Judge's stems (lower case, matched inside words), kept apart from the layer's vocabulary.
JUDGE_STEMS = (
    # en
    "subscri", "newsletter", "sign up", "signup", "log in", "login", "sign in", "register",
    "paywall", "premium", "members only", "advertis", "sponsored", "download the", " app",
    "donat", "inbox", "cookie", "unlock", "free trial", "click here",
    # de / nl / cs / pl / tr / fi / sv
    "abonn", "abo ", "abo-", "anmeld", "registrier", "anzeige", "werbung", "spende", "datenschutz",
    "weiterlesen", "plus-", "zpravodaj", "předplat", "prenumer", "reklam", "abone", "bülten",
    "tilaa", "uutiskirje", "nieuwsbrief", "inloggen",
    # fr / es / it / pt
    "abonné", "inscri", "connecte", "publicité", "suscri", "boletín", "publicidad", "registr",
    "abbonat", "iscriviti", "pubblicità", "assine", "assinant", "cadastr",
    # ru / ar / he / hi / ms / sw
    "подпис", "рассылк", "реклам", "اشترك", "النشرة", "הירשמו", "מנוי", "सब्सक्राइब",
    "langgan", "jiandikishe",
    # ja / zh / ko
    "会員", "購読", "登録", "ログイン", "広告", "訂閱", "订阅", "注册", "登录", "广告", "구독",
    "로그인", "광고", "회원",
)
_LOWER_TOKEN = re.compile(r"\w+")
_SHINGLE_TOKEN = re.compile(r"\w+")
# scripts written without spaces between words: one token per character
_UNSPACED = re.compile(
    r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Scores:
    """Mean per-page precision and recall, and the F1 of the two means."""

    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text`` (``\\w+`` tokens, case kept)."""
    tokens = _SHINGLE_TOKEN.findall(text or "")
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def bag(text: str) -> Counter[str]:
    """The bag of words of ``text``: lower-cased ``\\w+`` tokens, unspaced scripts per char."""
    out: Counter[str] = Counter()
    for token in _LOWER_TOKEN.findall((text or "").lower()):
        if _UNSPACED.search(token):
            out.update(_UNSPACED.sub(" \\g<0> ", token).split())
        else:
            out[token] += 1
    return out


def page_scores(predicted: str, truth: str, metric: str = "shingles") -> tuple[float, float]:
    """Precision and recall of one page (both sides empty: 1, 1)."""
    units = shingles if metric == "shingles" else bag
    pred, gold = units(predicted), units(truth)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    if not pred and not gold:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def score(predicted: dict[str, str], truth: dict[str, str], metric: str = "shingles") -> Scores:
    """A set's figures for a set of predictions (missing pages count as empty)."""
    pairs = [page_scores(predicted.get(key) or "", body, metric) for key, body in truth.items()]
    if not pairs:
        return Scores(0.0, 0.0, 0)
    return Scores(
        precision=sum(p for p, _ in pairs) / len(pairs),
        recall=sum(r for _, r in pairs) / len(pairs),
        pages=len(pairs),
    )


# --------------------------------------------------------------------------- the sets


@dataclass(frozen=True)
class Case:
    """One annotated page."""

    key: str
    url: str
    body: str
    path: Path
    corpus: str = "aeb-dev"
    free: bool | None = None  # the publisher's free-access flag (news-dev)
    must_not: tuple[str, ...] = ()  # phrases a good extraction leaves out (wcxb-dev)
    languages: tuple[str, ...] = field(default=())
    country: str = ""  # the publisher's country (news-dev)

    @property
    def metric(self) -> str:
        return "shingles" if self.corpus == "aeb-dev" else "bag"


def load_cases(bench_dir: Path = BENCH_DIR) -> list[Case]:
    """The annotated pages of one set's folder, in a stable order."""
    if (bench_dir / "ground-truth.json").is_file():
        truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
        return [
            Case(key, entry["url"], entry["articleBody"], bench_dir / "html" / f"{key}.html.gz")
            for key, entry in sorted(truth.items())
        ]
    cases = []
    for meta_path in sorted(bench_dir.glob("*.meta.json")):
        name = meta_path.name.removesuffix(".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = (bench_dir / f"{name}.txt").read_text(encoding="utf-8")
        free = meta.get("fundus_free_access")
        cases.append(Case(
            key=name, url=meta["url"], body=body, path=bench_dir / f"{name}.html.gz",
            corpus=bench_dir.name, free=free if isinstance(free, bool) else None,
            must_not=tuple(meta.get("without_snippets") or ()),
            languages=tuple(lang for lang in meta.get("languages") or () if lang),
            country=meta.get("country") or "",
        ))
    return cases


def load_sets(names: Iterable[str] = SETS, root: Path = BENCH_ROOT) -> dict[str, list[Case]]:
    """``load_cases`` of each named set under ``root`` that is there."""
    return {name: load_cases(root / name) for name in names if (root / name).is_dir()}


# --------------------------------------------------------------------------- the systems


def _timed(fn: Callable, clock: list[float]) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            clock[0] += time.perf_counter() - start

    return wrapper


_LAYER_CLOCK = [0.0]
LAYER_FUNCTIONS = ("paywall_markup", "prune_tree", "filter_paragraphs")


def _install_layer_clock() -> None:
    """Time the layer's calls inside ``extract_article`` (worker-side, once)."""
    if getattr(boilerplate, "_bench_clock", False):
        return
    for name in LAYER_FUNCTIONS:
        if hasattr(boilerplate, name):
            setattr(boilerplate, name, _timed(getattr(boilerplate, name), _LAYER_CLOCK))
    boilerplate._bench_clock = True  # type: ignore[attr-defined]


def run_page(case: Case, systems: tuple[str, ...] = SYSTEMS, metadata: bool = False) -> dict:
    """Every system's text for one page, with times in seconds; with ``metadata``, also what
    newsclean and bare trafilatura read as title, authors and time (``out["meta"]``)."""
    _install_layer_clock()
    html = gzip.decompress(case.path.read_bytes())
    out: dict = {"key": case.key, "corpus": case.corpus, "text": {}, "time": {}, "meta": {}}
    zone = metadata_bench.COUNTRY_ZONES.get(case.country) if metadata else None
    for system in systems:
        start, layer_before = time.perf_counter(), _LAYER_CLOCK[0]
        if system == "newsclean":
            article = extract.extract_article(html, case.url, min_words=0, timezone=zone)
            if metadata:
                out["meta"][system] = metadata_bench.found_in_article(article, zone)
            text = article.text if article else ""
            out["time"]["layer"] = _LAYER_CLOCK[0] - layer_before
            out["removed"] = article.boilerplate if article else []
            out["paywalled"] = bool(article and article.paywalled)
            out["held"] = bool(article and article.guard_held)
        else:
            text = trafilatura.extract(html, url=case.url, options=BARE[system]) or ""
        out["text"][system] = text
        out["time"][system] = time.perf_counter() - start
    if metadata and "trafilatura" in systems:  # untimed: a second run, with its metadata
        out["meta"]["trafilatura"] = metadata_bench.found_by_trafilatura(html, case.url)
    return out


def run(
    cases: Iterable[Case], systems: tuple[str, ...] = SYSTEMS, workers: int | None = None,
    metadata: Iterable[str] = (),
) -> list[dict]:
    """``run_page`` over ``cases``, in a process pool when ``workers`` > 1; metadata read on
    the pages of the sets named in ``metadata``."""
    cases = list(cases)
    flags = [case.corpus in set(metadata) for case in cases]
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return [run_page(case, systems, flag) for case, flag in zip(cases, flags, strict=True)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_page, cases, [systems] * len(cases), flags, chunksize=4))


# --------------------------------------------------------------------------- promo judge


def _fold(text: str) -> str:
    return " ".join(_LOWER_TOKEN.findall(text.lower()))


def judged_promos(text: str, case: Case) -> list[str]:
    """The promo / paywall lines ``text`` keeps, judged without the layer's vocabulary."""
    if case.must_not:
        folded = f" {_fold(text)} "
        lines = {_fold(line) for line in text.splitlines()}
        found = []
        for phrase in case.must_not:
            key = _fold(phrase)
            if not key or key in _fold(case.body):
                continue
            # a one- or two-word phrase ("Home", "Join now") must be a whole line of the output
            if (len(key.split()) <= 2 and key in lines) or (
                len(key.split()) > 2 and f" {key} " in folded
            ):
                found.append(phrase)
        return found
    truth_lines = [set(bag(line)) for line in case.body.splitlines() if line.strip()]
    found = []
    for line in text.splitlines():
        words = bag(line)
        if not words or sum(words.values()) > JUDGE_MAX_WORDS:
            continue
        lowered = f" {line.lower()} "
        if not any(stem in lowered for stem in JUDGE_STEMS):
            continue
        if any(len(set(words) & gold) >= 0.6 * len(set(words)) for gold in truth_lines):
            continue  # the story holds this line
        found.append(line)
    return found


# --------------------------------------------------------------------------- report


def _truth(cases: list[Case]) -> dict[str, str]:
    return {case.key: case.body for case in cases}


def set_figures(
    cases: list[Case], results: list[dict], systems: tuple[str, ...]
) -> dict[str, dict]:
    """Per system: scores, promo pages, seconds."""
    by_key = {r["key"]: r for r in results}
    metric = cases[0].metric if cases else "bag"
    figures = {}
    for system in systems:
        predicted = {key: r["text"][system] for key, r in by_key.items()}
        promos = {
            case.key: lines
            for case in cases
            if (lines := judged_promos(predicted.get(case.key, ""), case))
        }
        figures[system] = {
            "scores": score(predicted, _truth(cases), metric),
            "promos": promos,
            "seconds": sum(by_key[case.key]["time"][system] for case in cases),
        }
    return figures


def report_set(
    name: str, cases: list[Case], results: list[dict], systems: tuple[str, ...], show: bool,
    worst: int,
) -> None:
    by_key = {r["key"]: r for r in results}
    figures = set_figures(cases, results, systems)
    metric = cases[0].metric
    print(f"\n== {name}: {len(cases)} pages, metric {metric}")
    print(f"{'system':<20}{'P':>8}{'R':>8}{'F1':>8}{'promo pages':>16}{'seconds':>10}")
    for system in systems:
        f = figures[system]
        s = f["scores"]
        print(
            f"{system:<20}{s.precision:>8.4f}{s.recall:>8.4f}{s.f1:>8.4f}"
            f"{len(f['promos']):>8} / {len(cases):<5}{f['seconds']:>9.1f}"
        )
        if show:
            for key, lines in sorted(f["promos"].items()):
                for line in lines:
                    print(f"      {key[:28]:<28} {line[:100]}")
    if "newsclean" not in systems:
        return
    flagged = [case for case in cases if by_key[case.key].get("paywalled")]
    marked = [case for case in cases if case.free is False]
    if marked or any(case.free is True for case in cases):
        caught = sum(1 for case in marked if by_key[case.key].get("paywalled"))
        wrong = [case.key for case in flagged if case.free is True]
        print(f"paywall flag: {caught} / {len(marked)} not-free pages flagged; "
              f"{len(wrong)} free pages flagged {wrong}")
    held = [case.key for case in cases if by_key[case.key].get("held")]
    print(f"page budget held (guard_held): {len(held)} pages {held[:8]}")
    lost_by_rule(cases, by_key)
    layer = sum(by_key[c.key]["time"]["layer"] for c in cases)
    total = sum(by_key[c.key]["time"]["newsclean"] for c in cases)
    print(f"layer time: {layer:.2f}s = {100 * layer / max(total, 1e-9):.1f}% of extract_article "
          f"({total:.2f}s)")
    if "trafilatura" in systems and worst:
        rows = []
        for case in cases:
            r = by_key[case.key]
            _, ours = page_scores(r["text"]["newsclean"], case.body, metric)
            _, bare = page_scores(r["text"]["trafilatura"], case.body, metric)
            rows.append((ours - bare, case.key, ours, bare))
        rows.sort()
        print("largest recall loss against trafilatura (default):")
        for delta, key, ours, bare in rows[:worst]:
            if delta < 0:
                print(f"    {delta:+.3f}  {key[:40]:<40} ours {ours:.3f} bare {bare:.3f}")
    if any(r.get("meta") for r in results):
        report_metadata(cases, by_key)


def report_metadata(cases: list[Case], by_key: dict[str, dict]) -> None:
    """Title / authors / time agreement of each system (``bench/metadata.py``'s metric)."""
    meta_cases = metadata_bench.load_meta_cases(cases[0].path.parent)
    systems = [s for s in ("newsclean", "trafilatura") if s in by_key[cases[0].key]["meta"]]
    print("metadata agreement with the ground truth (newsclean: each site's time zone):")
    print(f"{'system':<20}{'title':>22}{'authors':>22}{'time':>22}{'same day':>22}")
    for system in systems:
        found = {key: r["meta"][system] for key, r in by_key.items() if system in r["meta"]}
        a = metadata_bench.metadata_agreement(meta_cases, found)
        cells = (_pct(a.title, a.pages), _pct(a.authors, a.author_pages), _pct(a.time, a.pages),
                 _pct(a.date, a.pages))
        print(f"{system:<20}" + "".join(f"{cell:>22}" for cell in cells))


def _pct(count: int, total: int) -> str:
    return f"{count} / {total} ({100 * count / max(total, 1):.1f} %)"


def lost_by_rule(cases: list[Case], by_key: dict[str, dict]) -> None:
    """Per layer rule: lines removed, and the words of those that the ground truth holds."""
    removed: Counter[str] = Counter()
    lost_lines: Counter[str] = Counter()
    lost_words: Counter[str] = Counter()
    for case in cases:
        gold = f" {_fold(case.body)} "
        kept = f" {_fold(by_key[case.key]['text'].get('newsclean', ''))} "
        for entry in by_key[case.key].get("removed", []):
            head, _, text = entry.partition(": ")
            if head == "markup" or head.startswith("markup:"):  # "markup:concept: text"
                concept, _, text = text.partition(": ") if head == "markup" else ("", "", text)
                rule = head if not concept else f"markup:{concept}"
            else:
                rule = head
            removed[rule] += 1
            key = _fold(text)
            if key and f" {key} " in gold and f" {key} " not in kept and len(key.split()) >= 3:
                lost_lines[rule] += 1
                lost_words[rule] += len(key.split())
    if not removed:
        return
    print("removed by rule (lines; of which the ground truth holds and the output lacks: "
          "lines / words):")
    for rule, count in removed.most_common():
        print(f"    {rule:<24}{count:>6}{lost_lines[rule]:>6} /{lost_words[rule]:>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--show-promos", action="store_true", help="print the promo lines left")
    parser.add_argument("--worst", type=int, default=10, help="pages with most recall lost")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--metadata", default="news-dev",
                        help="sets whose title / authors / time agreement is scored ('' for none)")
    args = parser.parse_args(argv)
    systems = tuple(args.systems.split(","))
    sets = load_sets(args.sets.split(","))
    if not sets:
        parser.exit(2, f"error: no set found under {BENCH_ROOT}\n")
    cases = [case for group in sets.values() for case in group]
    started = time.perf_counter()
    results = run(cases, systems, args.workers, args.metadata.split(","))
    print(f"{len(cases)} pages in {time.perf_counter() - started:.0f}s; trafilatura "
          f"{trafilatura.__version__}")
    by_set: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_set[r["corpus"]].append(r)
    for name, group in sets.items():
        report_set(name, group, by_set[group[0].corpus], systems, args.show_promos, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
