"""``crawler.frontier``: the crawl's flow control, tested without Scrapy (milliseconds)."""

from __future__ import annotations

import pytest

from crawler.frontier import Claimed, Frontier, Offered, Task


def _frontier(ahead: int = 2, **sites: int) -> Frontier:
    frontier = Frontier(ahead=ahead)
    for name, max_pages in (sites or {"a": 100}).items():
        frontier.add_site(name, max_pages)
    return frontier


def _urls(tasks: list[Task]) -> list[str]:
    return [task.url for task in tasks]


def test_take_hands_out_at_most_ahead_per_site_and_done_frees_a_slot():
    frontier = _frontier(ahead=2)
    for n in range(5):
        assert frontier.offer("a", f"u{n}", 1) is Offered.QUEUED
    assert _urls(frontier.take("a")) == ["u0", "u1"]
    assert frontier.take("a") == []
    assert (frontier.pending("a"), frontier.out("a")) == (3, 2)
    frontier.done("a")
    assert _urls(frontier.take("a")) == ["u2"]
    assert frontier.take("a") == []


def test_sites_have_their_own_slots():
    frontier = _frontier(ahead=1, a=10, b=10)
    frontier.offer("a", "a1", 0)
    frontier.offer("a", "a2", 0)
    frontier.offer("b", "b1", 0)
    assert _urls(frontier.take("a")) == ["a1"]
    assert _urls(frontier.take("b")) == ["b1"]
    assert frontier.pending() == 1 and frontier.pending("b") == 0


def test_a_url_found_again_is_fetched_once_whatever_found_it():
    frontier = _frontier(ahead=10)
    assert frontier.offer("a", "u", 1) is Offered.QUEUED
    assert frontier.offer("a", "u", 1, first=True) is Offered.FOUND_AGAIN  # waiting
    assert _urls(frontier.take("a")) == ["u"]
    assert frontier.offer("a", "u", 0) is Offered.FOUND_AGAIN  # taken
    assert frontier.claim("u") is Claimed.FETCHED
    assert frontier.take("a") == []


def test_max_pages_counts_distinct_urls():
    frontier = _frontier(ahead=10, a=2)
    assert frontier.offer("a", "u1", 1) is Offered.QUEUED
    assert frontier.offer("a", "u1", 1) is Offered.FOUND_AGAIN
    assert frontier.offer("a", "u2", 1) is Offered.QUEUED
    assert frontier.offer("a", "u3", 1) is Offered.MAX_PAGES
    assert _urls(frontier.take("a")) == ["u1", "u2"]


def test_first_pages_are_handed_out_before_the_others():
    frontier = _frontier(ahead=10)
    frontier.offer("a", "listing", 1)
    frontier.offer("a", "article", 1, first=True)
    assert _urls(frontier.take("a")) == ["article", "listing"]


def test_a_page_found_again_lower_keeps_the_lower_depth_and_its_hints():
    frontier = _frontier()
    frontier.offer("a", "u", 2, ("title", None, None))
    frontier.offer("a", "u", 1)
    frontier.offer("a", "u", 3)
    (task,) = frontier.take("a")
    assert (task.depth, task.hints) == (1, ("title", None, None))


def test_claim_of_a_waiting_url_takes_it_out_of_the_queue():
    frontier = _frontier(ahead=10)
    frontier.offer("a", "u1", 1)
    frontier.offer("a", "u2", 1)
    assert frontier.claim("u1") is Claimed.WAITING  # a redirect landed there first
    assert frontier.pending("a") == 1
    assert _urls(frontier.take("a")) == ["u2"]
    assert frontier.claim("new") is Claimed.NEW
    assert frontier.claim("new") is Claimed.FETCHED
    assert frontier.offer("a", "new", 0) is Offered.FOUND_AGAIN
    assert frontier.known("new") and frontier.known("u2") and not frontier.known("other")


def test_revisits_are_budgeted_per_site():
    frontier = Frontier()
    frontier.add_site("a", 100, revisit=2)
    frontier.add_site("b", 100)
    assert [frontier.revisit("a") for _ in range(3)] == [True, True, False]
    assert not frontier.revisit("b")  # no budget: stored pages are not re-read


def test_done_never_goes_below_zero_and_bad_ahead_is_refused():
    frontier = _frontier()
    frontier.done("a")
    assert frontier.out("a") == 0
    with pytest.raises(ValueError, match="ahead"):
        Frontier(ahead=0)


def test_a_large_frontier_stays_fast():
    """20,000 offers (each twice), all taken and done, in a fraction of a second."""
    frontier = _frontier(ahead=16, a=1_000_000)
    for n in range(20_000):
        frontier.offer("a", f"https://a.example/{n}", 1)
        frontier.offer("a", f"https://a.example/{n}", 1)
    taken = 0
    while tasks := frontier.take("a"):
        taken += len(tasks)
        for _ in tasks:
            frontier.done("a")
    assert taken == 20_000 and frontier.pending() == 0
    assert frontier.sites() == ["a"]
