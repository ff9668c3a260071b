"""The reactor's collector tuning: frozen start-up heap and raised threshold, undone at close."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.gctuning import GcTuning


def test_off_when_threshold_is_zero():
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": 0}))


def test_freezes_and_raises_threshold_for_the_crawl_only():
    before = gc.get_threshold()
    ext = GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": 12345}))
    ext.spider_opened()
    try:
        assert gc.get_threshold() == (12345, *before[1:])
        assert gc.get_freeze_count() > 1000  # the test process's heap, imports included
        garbage = []
        garbage.append(garbage)  # a cycle made after the freeze is still collected
        del garbage
        assert gc.collect() >= 1
    finally:
        ext.spider_closed()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
