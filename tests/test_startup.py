"""Start-up of the crawl command: what it imports when, and Scrapy's handlers imported early.

Each probe runs in a fresh interpreter: what a module imports can only be seen before anything
else imported it.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from crawler.startup import cheap_stack, frames_only

ROOT = Path(__file__).resolve().parents[1]


def _probe(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_frames_only_is_the_stack_without_source_lines():
    def inner() -> tuple[list, list]:
        return frames_only(), inspect.stack()

    cheap, real = inner()
    assert [f.frame for f in cheap] == [f.frame for f in real]
    assert [(f.filename, f.lineno, f.function) for f in cheap[1:]] == [
        (f.filename, f.lineno, f.function) for f in real[1:]
    ]
    assert cheap[0].function == "inner" and cheap[0].code_context is None


def test_cheap_stack_puts_inspect_stack_back_even_on_error():
    real = inspect.stack
    try:
        with cheap_stack():
            assert inspect.stack is frames_only
            raise KeyError("boom")
    except KeyError:
        pass
    assert inspect.stack is real


_HANDLERS_PROBE = """
import inspect, sys
from scrapy.settings import Settings
from crawler import settings as project_settings
from crawler.startup import import_download_handlers
settings = Settings()
settings.setmodule(project_settings)
settings.set("DOWNLOAD_HANDLERS", {"bogus": "no_such_module.Handler", "ftp": None})
real = inspect.stack
failed = import_download_handlers(settings)
from scrapy.core.downloader import contextfactory, tls
print(failed == ["no_such_module.Handler"],
      "scrapy.core.downloader.handlers.http11" in sys.modules,
      inspect.stack is real,
      contextfactory.ScrapyClientContextFactory.__module__,
      tls.ScrapyClientTLSOptions.__module__)
"""


def test_download_handlers_are_imported_before_the_engine():
    """Scrapy's HTTP handler is imported by the command, names its deprecated aliases'
    modules right, and a handler that does not import is left for Scrapy to report."""
    assert _probe(_HANDLERS_PROBE).split() == [
        "True", "True", "True",
        "scrapy.core.downloader.contextfactory", "scrapy.core.downloader.tls",
    ]


_COMMANDS_PROBE = """
import sys
import crawler.commands.crawl, crawler.commands.compact
print(*(name in sys.modules for name in ("pyarrow", "trafilatura", "crawler.spiders.news")))
"""


def test_command_modules_import_nothing_heavy():
    """Scrapy imports every command module before it runs one; the crawl command starts the
    workers' fork server after that, so pyarrow and trafilatura must not come with them."""
    assert _probe(_COMMANDS_PROBE).split() == ["False", "False", "False"]


_REACTOR_PROBE = """
import sys
from scrapy.utils.misc import load_object
from crawler import settings
for path in [*settings.ITEM_PIPELINES, *settings.DOWNLOADER_MIDDLEWARES, *settings.EXTENSIONS]:
    load_object(path)
import crawler.spiders.news, crawler.replay
print(*(n in sys.modules for n in ("trafilatura", "pipelines.boilerplate", "pipelines.extract")))
"""


def test_the_reactors_process_does_not_load_the_extraction_code():
    """Every component the crawl loads, and both spiders: trafilatura and the boilerplate layer
    are the workers' (their fork server preloads them), not the reactor's."""
    assert _probe(_REACTOR_PROBE).split() == ["False", "False", "False"]


_ORDER_PROBE = """
import sys
from scrapy.cmdline import execute
def spy(settings):
    print("fork server started; pyarrow imported:", "pyarrow" in sys.modules, flush=True)
    return False  # no fork server in this probe
import crawler.commands.crawl as command
command.start_fork_server = spy
sites, output = sys.argv[1:]
execute(["scrapy", "crawl", "news", "-a", "sites=" + sites, "-s", "OUTPUT_DIR=" + output])
"""


def test_fork_server_starts_before_the_spiders_are_loaded(tmp_path):
    """The command starts the fork server once the settings are final and before Scrapy loads
    the spider (and with it pyarrow): a bad sites file still exits 2 after it."""
    sites = tmp_path / "sites.toml"
    sites.write_text("[[sites]]\nname = 'x'\n", encoding="utf-8")  # no start_urls: refused
    out = subprocess.run([sys.executable, "-c", _ORDER_PROBE, str(sites), str(tmp_path / "out")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stdout.strip() == "fork server started; pyarrow imported: False"
    assert "bad sites file" in out.stderr
