"""Start-up work the crawl command does before Scrapy's engine, so the first article comes sooner.

``start_fork_server`` starts the extraction workers' fork server, which imports the extraction
code (trafilatura and lxml: half a second) before it forks a worker. Started as the crawl command
begins, that import runs on another core while Scrapy starts up, instead of holding up the first
article; ``ExtractPipeline`` (``pipelines.pool``, which does not import the extraction code itself)
forks its workers from the same server. The command modules import
nothing heavy at the top (Scrapy imports every command module before it runs one), so this
happens right after Scrapy's own imports.

``import_download_handlers`` imports the download handlers of ``DOWNLOAD_HANDLERS`` with a
frame-only ``inspect.stack``. Scrapy's TLS modules (imported by its HTTP/1.1 handler) make three
deprecated class aliases with ``scrapy.utils.deprecate.create_deprecated_class``, which calls
``inspect.stack()`` to name each alias's module: that reads the source line and looks up the
module of every frame on the stack, about 3 ms a frame for each call. Imported where Scrapy
imports them, in the engine deep inside the running reactor, that was 0.2 to 0.3 s of every
crawl's start-up; the aliases only need the caller's frame, which the frame-only stack gives.
"""

from __future__ import annotations

import contextlib
import inspect
import multiprocessing
import sys
from collections.abc import Iterator
from typing import Any

FORK_SERVER_PRELOAD = ["pipelines.extract"]  # what the workers' fork server imports once


def start_fork_server(settings: Any) -> bool:
    """Start the workers' fork server now, when the crawl's settings will use one.

    ``False`` when there is none to start (extraction off, or workers started another way).
    """
    if not settings.getbool("EXTRACT_ENABLED"):
        return False
    if settings.get("EXTRACT_START_METHOD") != "forkserver":
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(FORK_SERVER_PRELOAD)
    forkserver.ensure_running()
    return True


def frames_only(context: int = 1) -> list[inspect.FrameInfo]:
    """``inspect.stack()`` without the source lines (``code_context`` and ``index`` are None)."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        frames.append(inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name,
                                        None, None))
        frame = frame.f_back
    return frames


@contextlib.contextmanager
def cheap_stack() -> Iterator[None]:
    """``inspect.stack`` is ``frames_only`` inside the block (the process has one thread yet)."""
    real = inspect.stack
    inspect.stack = frames_only
    try:
        yield
    finally:
        inspect.stack = real


def import_download_handlers(settings: Any) -> list[str]:
    """Import the classes of ``DOWNLOAD_HANDLERS`` now; return the paths that did not import.

    A path that fails is left to Scrapy, which reports it when its engine loads the handlers.
    """
    from scrapy.utils.misc import load_object

    failed = []
    with cheap_stack():
        for path in dict(settings.getwithbase("DOWNLOAD_HANDLERS")).values():
            if not isinstance(path, str):
                continue
            try:
                load_object(path)
            except Exception:
                failed.append(path)
    return failed
