"""``scrapy report``: write ``OUTPUT_DIR/report.html``, or check site health for cron (``--check``).

``scrapy report -s OUTPUT_DIR=/data/news [-a since=7d] [-a site=NAME]`` writes the page and prints
its path, then one line per site health alarm. With ``--check`` no page is written: one line per
alarm, exit status 1 if there is any, 0 if none. Exit status 2: bad arguments, no dataset, or a
dataset file that cannot be read (the message names it).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

if TYPE_CHECKING:
    from pipelines.report import Scope

EXIT_OK, EXIT_ALARM, EXIT_USAGE = 0, 1, 2
_ARGS = ("since", "site")


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[-a since=7d] [-a site=NAME] [--check]"

    def short_desc(self) -> str:
        return "Write OUTPUT_DIR/report.html (runs, sites, boilerplate, site health alarms)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="report_args", action="append", default=[],
                            metavar="NAME=VALUE", help="since=7d (h, d, w) or site=NAME")
        parser.add_argument("--check", action="store_true",
                            help="print one line per alarm, exit 1 if any; write no page")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # imported here: Scrapy imports every command module whatever the command (duckdb)
        import duckdb

        from pipelines.health import Thresholds
        from pipelines.report import build_report, check

        assert self.settings is not None
        output_dir = Path(self.settings.get("OUTPUT_DIR"))
        try:
            scope = _scope(opts.report_args)
            thresholds = Thresholds.from_settings(self.settings)
            if opts.check:
                found = check(output_dir, scope, thresholds)
            else:
                path, found = build_report(output_dir, scope, thresholds)
                print(path)
        except ValueError as exc:  # ReportError, and HEALTH_* settings out of range
            return self._stop(str(exc))
        except (duckdb.Error, OSError) as exc:  # a file that is not Parquet, a folder unreadable
            return self._stop(f"cannot read the dataset in {output_dir}: {exc}")
        for alarm in found:
            print(f"ALARM {alarm.line()}")
        if opts.check:  # silent when all is well: cron mails only what a job prints
            self.exitcode = EXIT_ALARM if found else EXIT_OK

    def _stop(self, message: str) -> None:
        print(f"newsclean: {message}", file=sys.stderr)
        self.exitcode = EXIT_USAGE


def _scope(pairs: list[str]) -> Scope:
    from pipelines.report import Scope, parse_since

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in _ARGS:
            raise UsageError(f"-a {pair!r}: give since=7d or site=NAME")
        values[name] = value
    since = values.get("since")
    return Scope(since=datetime.now(UTC) - parse_since(since) if since else None,
                 site=values.get("site") or None)
