"""``crawler.stats``: Scrapy's stats API and answers, without its per-call shim."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider
from crawler.stats import CrawlStats


def _exercise(stats: MemoryStatsCollector) -> dict:
    stats.open_spider()
    stats.inc_value("newsclean/fetch/articles")
    stats.inc_value("newsclean/fetch/articles", 2)
    stats.inc_value("newsclean/dedup/updated", start=10)
    stats.set_value("newsclean/site/a", "x")
    stats.max_value("peak", 3)
    stats.max_value("peak", 2)
    stats.min_value("low", 3)
    stats.min_value("low", 1)
    assert stats.get_value("missing", "default") == "default"
    stats.close_spider(reason="finished")
    return stats.get_stats()


def test_same_answers_as_scrapys_collector():
    ours = _exercise(CrawlStats(get_crawler(NewsSpider)))
    scrapys = _exercise(MemoryStatsCollector(get_crawler(NewsSpider)))
    assert ours == scrapys
    assert ours["newsclean/fetch/articles"] == 3 and ours["newsclean/dedup/updated"] == 11
    assert (ours["peak"], ours["low"]) == (3, 1)


def test_the_crawl_uses_it():
    assert load_object(get_project_settings()["STATS_CLASS"]) is CrawlStats
