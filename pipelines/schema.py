"""The Arrow schemas of the dataset, defined once.

Every file newsclean writes is written with one of these schemas, so a column never vanishes or
changes type between files. Bump ``SCHEMA_VERSION`` on any change and say what changed in the
README's data dictionary.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 2  # 2: articles gained warc_file, warc_offset

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
        pa.field("schema_version", pa.int16(), nullable=False),
    ],
    metadata={"newsclean.table": "runs", "newsclean.schema_version": str(SCHEMA_VERSION)},
)

TABLES: dict[str, pa.Schema] = {"articles": ARTICLES, "rejects": REJECTS, "runs": RUNS}
