"""The Arrow schemas of the dataset, defined once.

Every file newsclean writes is written with one of these schemas, so a column never vanishes or
changes type between files. Bump ``SCHEMA_VERSION`` on any change, describe a new column in
``DESCRIPTIONS`` (below) and regenerate the README's data dictionary from it:
``python -m pipelines.schema README.md``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyarrow as pa

SCHEMA_VERSION = 2  # 2: articles gained warc_file, warc_offset; runs gained quarantined

_TS = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())

ARTICLES = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("domain", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("authors", _STRINGS),
        pa.field("published_at", _TS),
        pa.field("modified_at", _TS),
        pa.field("language", pa.string()),
        pa.field("sitename", pa.string()),
        pa.field("description", pa.string()),
        pa.field("tags", _STRINGS),
        pa.field("image_url", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("paywalled", pa.bool_()),
        pa.field("truncated", pa.bool_()),
        pa.field("boilerplate", _STRINGS),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("http_status", pa.int16(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("schema_version", pa.int16(), nullable=False),
        pa.field("warc_file", pa.string()),
        pa.field("warc_offset", pa.int64()),
    ],
    metadata={"newsclean.table": "articles", "newsclean.schema_version": str(SCHEMA_VERSION)},
)

REJECTS = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("http_status", pa.int16()),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("schema_version", pa.int16(), nullable=False),
    ],
    metadata={"newsclean.table": "rejects", "newsclean.schema_version": str(SCHEMA_VERSION)},
)

_COUNTS = pa.map_(pa.string(), pa.int64())

RUNS = pa.schema(
    [
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("started_at", _TS, nullable=False),
        pa.field("finished_at", _TS, nullable=False),
        pa.field("sites", _STRINGS, nullable=False),
        pa.field("requests", pa.int64(), nullable=False),
        pa.field("responses_by_status", _COUNTS, nullable=False),
        pa.field("articles_written", pa.int64(), nullable=False),
        pa.field("skipped_known", pa.int64(), nullable=False),
        pa.field("duplicates", pa.int64(), nullable=False),
        pa.field("rejects_by_reason", _COUNTS, nullable=False),
        pa.field("errors", pa.int64(), nullable=False),
        pa.field("finish_reason", pa.string(), nullable=False),
        pa.field("exit_status", pa.int16(), nullable=False),
        # added in schema version 1 without a bump: null in runs files written before it
        pa.field("quarantined", pa.int64()),
        pa.field("schema_version", pa.int16(), nullable=False),
    ],
    metadata={"newsclean.table": "runs", "newsclean.schema_version": str(SCHEMA_VERSION)},
)

TABLES: dict[str, pa.Schema] = {"articles": ARTICLES, "rejects": REJECTS, "runs": RUNS}

# What each column means, for the README's data dictionary (``python -m pipelines.schema``
# prints it; tests/test_report.py fails when the README and this differ). Every field of every
# table needs an entry: ``column: (meaning, example)``; an empty example is left blank.
PARTITION = "crawl_date"  # the hive partition column every reader sees, from the folder name

DESCRIPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "articles": {
        "url": ("the URL the article was fetched from (after redirects, canonicalised)",
                "`https://example.com/news/2026/11/storm.html`"),
        "canonical_url": ("the article's own canonical URL (`<link rel=canonical>`), else `url`; "
                          "one row per value in a run", "same"),
        "site": ("the site's `name` in the sites file", "`harbor`"),
        "domain": ("host of `url`", "`example.com`"),
        "title": ("the article's headline without the site's name: JSON-LD `headline`, else what "
                  "`og:title`, `<h1>` and `<title>` agree on; a ` \\| Site` part is cut where "
                  "another candidate stops or it names the site",
                  "`Storm warning issued for the coast`"),
        "authors": ("people, one name each, as written (labels like \"By\", \"Von\" cut, initials "
                    "kept); the publisher only when no person is named",
                    '`["Maren Holt", "Dev Okafor"]`'),
        "published_at": ("first publication, as the page (or its news sitemap) declares it; a time "
                         "given without an offset (or a date alone: its midnight) is read in the "
                         "site's `timezone` (sites file), else as UTC",
                         "`2026-11-21 05:15:00+00:00`"),
        "modified_at": ("last modification the page declares (offset-less times as for "
                        "`published_at`); null when it does not",
                        "`2026-11-21 09:02:00+00:00`"),
        "language": ("ISO 639-1 code as the page declares it (`<html lang>`, meta); null when "
                     "it declares none", "`en`"),
        "sitename": ("publisher name the page declares", "`Harbor Times`"),
        "description": ("the page's summary / standfirst", "`Gales of up to 90 km/h…`"),
        "tags": ("categories and tags the page declares", '`["Weather"]`'),
        "image_url": ("lead image", "`https://example.com/img/storm.jpg`"),
        "text": ("the article body, one paragraph per line, boilerplate removed; no headline",
                 "`Gales are expected…\\nThe coastguard…`"),
        "word_count": ("`\\w+` tokens in `text`; in Chinese / Japanese one word per 2 Han or kana "
                       "characters, in Thai, Lao, Khmer, Burmese one per 4 (an estimate: no "
                       "spaces between words)", "`412`"),
        "paywalled": ("the page declares the article not free (schema.org `isAccessibleForFree`) "
                      "or shows paywall text", "`false`"),
        "truncated": ("the visible text stops at a paywall or registration gate", "`false`"),
        "boilerplate": ("what the boilerplate layer removed, as `rule: line`, for audit",
                        '`["newsletter: Sign up for our newsletter"]`'),
        "fetched_at": ("when the page was fetched", "`2026-11-25 09:00:12+00:00`"),
        "http_status": ("HTTP status of the page", "`200`"),
        "content_hash": ("SHA-256 of the text with case and spacing folded: equal texts, equal "
                         "hashes", "`9f86d0…`"),
        "crawl_id": ("the run that stored the row (UTC start time + random suffix)",
                     "`20261125T090000Z-1a2b3c4d`"),
        "extractor_version": ("newsclean and trafilatura versions that produced `text`",
                              "`newsclean-0.1+trafilatura-2.3.1`"),
        "schema_version": ("version of the schema the row was written with", "`2`"),
        "warc_file": ("the WARC file holding the page as fetched: relative to `OUTPUT_DIR` for a "
                      "crawl, the source file's path for `reextract`; null when the archive was "
                      "off (and in schema 1 files)",
                      "`warc/crawl_date=2026-11-25/20261125T090000Z-1a2b3c4d-00000.warc.gz`"),
        "warc_offset": ("byte offset of the page's `response` record in `warc_file`", "`183204`"),
        PARTITION: ("UTC date the run started, from the folder name", "`2026-11-25`"),
    },
    "rejects": {
        "url": ("the URL", "`https://example.com/live/`"),
        "site": ("the site it belongs to", "`harbor`"),
        "reason": ("why it is not an article: `http_<status>`, `download_error`, "
                   "`robots_disallowed`, `non_html`, `too_large`, `not_article`, `listing` (a "
                   "front, section or tag page read for its links; detail: `N links`), `blocked` "
                   "(a bot challenge, consent or login wall, served with status 200 or as a short "
                   "401/403/429/503 page; detail: which), `denied` (a redirect to a URL a `deny` "
                   "pattern matches), `duplicate_url` (also a redirect to a page already fetched "
                   "in the run; detail names it), `duplicate_content`, `extract_timeout`, "
                   "`extract_error`, `bad_sitemap`, `bad_feed`, `blocked_address`, "
                   "`redirect_loop`, `too_many_redirects`, `bad_record` (`reextract`: an archived "
                   "response that cannot be read: its body, its status line, no "
                   "`Content-Length`); readers treat it as any string",
                   "`not_article`"),
        "detail": ("a human-readable detail (content type, exception, which URL it duplicates)",
                   "`no article text found`"),
        "http_status": ("HTTP status when there was a response", "`200`"),
        "fetched_at": ("when it happened", "`2026-11-25 09:00:14+00:00`"),
        "crawl_id": ("the run", "`20261125T090000Z-1a2b3c4d`"),
        "schema_version": ("version of the schema the row was written with", "`2`"),
        PARTITION: ("UTC date the run started, from the folder name", "`2026-11-25`"),
    },
    "runs": {
        "crawl_id": ("the run", "`20261125T090000Z-1a2b3c4d`"),
        "started_at": ("when it started", "`2026-11-25 09:00:00+00:00`"),
        "finished_at": ("when it ended", "`2026-11-25 09:04:31+00:00`"),
        "sites": ("the sites it crawled", '`["harbor", "rive"]`'),
        "requests": ("requests sent", "`1520`"),
        "responses_by_status": ("responses by HTTP status", '`{"200": 1490, "404": 30}`'),
        "articles_written": ("article rows written", "`1210`"),
        "skipped_known": ("discovered URLs not fetched because they were already stored",
                          "`8800`"),
        "duplicates": ("articles recognised as duplicates", "`14`"),
        "rejects_by_reason": ("reject rows by reason", '`{"not_article": 12}`'),
        "errors": ("errors logged", "`0`"),
        "finish_reason": ("Scrapy's finish reason (`finished`, `shutdown`, `output_error`, …)",
                          "`finished`"),
        "exit_status": ("the command's exit status", "`0`"),
        "quarantined": ("unreadable dataset files moved to `quarantine/` before the run; null in "
                        "runs files written before this column", "`0`"),
        "schema_version": ("version of the schema the row was written with", "`2`"),
        PARTITION: ("UTC date the run started, from the folder name", "`2026-11-25`"),
    },
}


def _type_name(schema: pa.Schema, column: str) -> str:
    if column == PARTITION:
        return "string (partition)"
    text = str(schema.field(column).type)
    return text.replace("<item: ", "<").replace("entries: ", "").replace("tz=", "")


def data_dictionary(table: str) -> str:
    """The README's Markdown table of ``table``: one row per column, in schema order."""
    schema, notes = TABLES[table], DESCRIPTIONS[table]
    lines = ["| column | type | meaning | example |", "| --- | --- | --- | --- |"]
    for column in [*schema.names, PARTITION]:
        meaning, example = notes[column]
        lines.append(f"| `{column}` | {_type_name(schema, column)} | {meaning} | {example} |")
    return "\n".join(lines)


def dictionary_block(table: str) -> str:
    """The README's generated block for ``table``, between its two markers."""
    return (f"<!-- data-dictionary:{table} (generated: python -m pipelines.schema README.md) -->\n"
            f"{data_dictionary(table)}\n<!-- /data-dictionary:{table} -->")


def update_readme(path: Path) -> None:
    """Rewrite the generated data dictionary blocks of the README at ``path`` in place."""
    text = path.read_text(encoding="utf-8")
    for table in TABLES:
        pattern = re.compile(rf"<!-- data-dictionary:{table}\b.*?<!-- /data-dictionary:{table} -->",
                             re.DOTALL)
        text = pattern.sub(lambda _, table=table: dictionary_block(table), text)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # python -m pipelines.schema [README.md]: print, or update, the tables
    if len(sys.argv) > 1:
        update_readme(Path(sys.argv[1]))
    else:
        print("\n\n".join(dictionary_block(table) for table in TABLES))
