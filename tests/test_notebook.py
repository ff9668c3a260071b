"""The analyst kit: ``notebooks/quickstart.ipynb`` runs clean against a real fixture crawl, and
``sql/views.sql`` gives the views it promises.

The notebook is executed by nbclient in an ipykernel kernel, its dataset folder passed through
``NEWSCLEAN_OUTPUT``; its outputs are checked against pyarrow's own reading of the dataset.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import nbformat
import pyarrow.dataset as ds
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def crawled(serve_sites, run_crawl, tmp_path_factory):
    with serve_sites("harbor", "valley") as servers:
        result = run_crawl(servers, tmp_path_factory.mktemp("crawl"))
    assert result.returncode == 0, result.log
    return result.output


def _outputs(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(json.dumps(out.get("data", {})))
    return "\n".join(parts)


def test_quickstart_notebook_runs_clean(crawled, monkeypatch):
    monkeypatch.setenv("NEWSCLEAN_OUTPUT", str(crawled))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's own migration warning
    nb = nbformat.read(REPO / "notebooks" / "quickstart.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO)}}).execute()

    table = ds.dataset(crawled / "articles", format="parquet", partitioning="hive").to_table(
        columns=["canonical_url", "site"])
    latest = len(set(table.column("canonical_url").to_pylist()))
    text = "\n".join(_outputs(cell) for cell in nb.cells if cell.cell_type == "code")
    assert "Error" not in text
    assert f"latest_articles: {latest} rows" in text
    assert "application/vnd.plotly.v1+json" in text  # the chart, as data
    assert "cdn" not in text.lower()
    for site in set(table.column("site").to_pylist()):
        assert site in text


def test_sql_views_file(crawled):
    con = duckdb.connect()
    con.execute("set variable newsclean_output = ?", [str(crawled)])
    con.execute((REPO / "sql" / "views.sql").read_text(encoding="utf-8"))
    views = {row[0] for row in con.execute("select view_name from duckdb_views() "
                                           "where not internal").fetchall()}
    assert {"articles", "latest_articles", "rejects", "runs"} <= views
    articles = ds.dataset(crawled / "articles", format="parquet").to_table(
        columns=["canonical_url"])
    assert con.execute("select count(*) from articles").fetchone()[0] == len(articles)
    assert con.execute("select count(*) from latest_articles").fetchone()[0] == len(
        set(articles.column("canonical_url").to_pylist()))
    assert con.execute("select count(*) from runs").fetchone()[0] == 1
    rejects = ds.dataset(crawled / "rejects", format="parquet").count_rows()
    assert con.execute("select count(*) from rejects").fetchone()[0] == rejects


def test_sql_views_file_reads_output_by_default(crawled, monkeypatch):
    """Without the variable, the views read ``output/`` below the working directory."""
    monkeypatch.chdir(crawled.parent)
    con = duckdb.connect()
    con.execute((REPO / "sql" / "views.sql").read_text(encoding="utf-8"))
    assert con.execute("select count(*) from runs").fetchone()[0] == 1
