"""The paragraph filter's reader pitches and closing boilerplate (round 9): offers, events,
sponsor labels, disclosures, the publisher's "about" lines, and lines led by a call or a credit.

Each rule on inline lines between story paragraphs, with the traps where a story sentence holds
the same words and must stay.
"""

from __future__ import annotations

import pytest

from pipelines.boilerplate import filter_paragraphs

PROSE = [
    "The city council voted on Tuesday to expand the bus network to three new districts, after a "
    "year of public hearings and a study of commuting patterns across the region.",
    "Officials said the first routes would open in the autumn, with more to follow next spring "
    "once new drivers have been hired and trained for the longer service hours.",
    "Opponents argued that the plan would cost more than expected and asked the council to "
    "publish the full budget before the next vote, which is scheduled for early June.",
    "Residents of the northern districts have waited for a direct line to the centre for more "
    "than a decade, and several neighbourhood groups welcomed the decision on Tuesday evening.",
]
# headings of a recipe page, which its story keeps
HEADINGS = ["More great bread recipes", "Beginners Sourdough Bread", "Ingredients"]


def _between(line: str) -> list[str]:
    return [PROSE[0], line, PROSE[1]]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Begin learning a new language with Lingo! Unlock up to 55% OFF your Lingo "
         "subscription today!", "offer"),
        ("Sichern Sie sich 30 % Rabatt auf Ihr Digital-Abo.", "offer"),
        ("Profitez de 50 % de réduction sur votre abonnement.", "offer"),
        ("Consigue un 40% de descuento en tu suscripción.", "offer"),
        ("Meet Acme Apps at App Promotion Summit in Berlin on 27 November.", "subscribe"),
        ("Besuchen Sie uns auf der Hannover Messe, Halle 7.", "subscribe"),
        ("What is included in a subscription?", "subscribe"),
        ("Get the cash you need with a low-interest personal loan today", "subscribe"),
        ("Invest better with The Daily Fund. Get stock picks and more from The Daily Fund's "
         "premium services.", "subscribe"),
        ("Want to use code from this post? Check out the license.", "subscribe"),
        ("All personal loans made by Example Bank.", "ad"),
        ("Proudly supporting", "ad"),
        ("In Zusammenarbeit mit", "ad"),
        ("En partenariat avec", "ad"),
        ("Patrocinado por", "ad"),
    ],
)
def test_reader_pitches_go(line: str, rule: str) -> None:
    result = filter_paragraphs(_between(line))
    assert result.kept == [PROSE[0], PROSE[1]]
    assert result.removed == [f"{rule}: {line}"]


@pytest.mark.parametrize(
    "line",
    [
        # story sentences with an offer's, an event's or a sponsor's words
        "The publisher said it would give readers 50% off your subscription until March.",
        "Meet the Press at nine on Sunday drew its largest audience in Berlin in a decade.",
        "Meet Anna at the station in Berlin, her brother told the reporters on the platform.",
        "Start the loan application today, the minister told savers who need cash.",
        "The festival is proudly supporting local bands this year.",
        "Many of the loans made by Example Bank were never repaid, the audit found.",
    ],
)
def test_story_sentences_like_pitches_stay(line: str) -> None:
    assert filter_paragraphs(_between(line)).kept == _between(line)


FACT_SHEET = (
    "Acme is headquartered in Baar (Switzerland), has subsidiaries in 15 countries and employs "
    "around 1,300 people worldwide. Acme registered shares (ACM) are listed on the SIX Swiss "
    "Exchange in Zurich."
)
NONPROFIT = (
    "Council for Families is a nonprofit organization with over 80 therapists across two "
    "states. Whether you are navigating grief or exploring relationship dynamics, our "
    "clinicians are here to help."
)
ADVISER = (
    "Example Wealth, LLC is a Registered Investment Adviser. Advisory services are only offered "
    "where its representatives are licensed. Past performance is no guarantee of future returns."
)


@pytest.mark.parametrize("about", [FACT_SHEET, NONPROFIT, ADVISER])
def test_the_publishers_closing_boilerplate_goes(about: str) -> None:
    chrome = ["- Explore more blogs on families", "Get Matched | Subscribe | Read More"]
    result = filter_paragraphs([*PROSE, about, *chrome])
    assert result.kept == [*PROSE, *chrome]
    assert result.removed == [f"about: {about}"]


@pytest.mark.parametrize("about", [FACT_SHEET, NONPROFIT, ADVISER])
def test_the_same_lines_inside_the_story_stay(about: str) -> None:
    lines = [PROSE[0], about, *PROSE[1:]]  # prose after it: not the page's closing lines
    assert filter_paragraphs(lines).kept == lines


def test_a_reported_fact_sheet_stays_at_the_end() -> None:
    reported = "The company, whose shares are listed on the SIX Swiss Exchange, said sales rose."
    assert filter_paragraphs([*PROSE, reported]).kept == [*PROSE, reported]
    own = "Acme is a software company based in Bern. It was founded by three engineers in 2009."
    assert filter_paragraphs([*PROSE, own]).kept == [*PROSE, own]  # no "we" / "our": a story's


RECIPE_PITCH = (
    "Did you make one of my recipes? Please take a moment to leave a star rating. Also, if you "
    "are on Pinterest, please feel free to leave a comment there! Follow A Farmgirl's Kitchen on "
    "FACEBOOK, PINTEREST and YouTube and subscribe to my mailing list for ALL the latest recipes!"
)
CREDIT_BLURB = (
    "Feature image by Girlfriend Collective, all other images via brands mentioned. Good On You "
    "publishes the world's most comprehensive ratings of fashion and beauty brands' impact on "
    "people, the planet, and animals. Use our directory to search thousands of rated brands."
)


def test_a_line_of_calls_goes_and_the_headings_around_it_stay() -> None:
    lines = [PROSE[0], HEADINGS[0], RECIPE_PITCH, *HEADINGS[1:], *PROSE[1:]]
    result = filter_paragraphs(lines)
    assert result.kept == [PROSE[0], HEADINGS[0], *HEADINGS[1:], *PROSE[1:]]
    assert result.removed == [f"pitch: {RECIPE_PITCH}"]


def test_a_closing_line_led_by_a_credit_goes_from_the_last_lines_only() -> None:
    result = filter_paragraphs([*PROSE, CREDIT_BLURB])
    assert result.kept == PROSE and result.removed == [f"pitch: {CREDIT_BLURB}"]
    # in the middle, one call or credit sentence leading a paragraph of the story stays
    lines = [PROSE[0], CREDIT_BLURB, *PROSE[1:]]
    assert filter_paragraphs(lines).kept == lines


def test_a_long_story_paragraph_that_starts_with_a_call_stays() -> None:
    line = (
        "Subscribe now, the banner said. The council's own newsletter, which was sent to every "
        "household in the district last spring, announced the plan long before the vote, and "
        "residents who read it were surprised by the cost."
    )
    assert filter_paragraphs([*PROSE, line]).kept == [*PROSE, line]
