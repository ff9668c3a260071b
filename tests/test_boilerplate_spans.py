"""Round 11 of the paragraph filter: promo sentences inside story lines (an affiliate disclosure
appended to a blurb, a blog's "Posted by <Name> at <date>" footer, a "Jump to ... ⤵" link), each
cut from its line and the rest kept; the site's links kept above the headline. With the traps
where a story holds the same words.
"""

from __future__ import annotations

import pytest

from pipelines.boilerplate import filter_paragraphs
from pipelines.extract import extract_article

URL = "https://blog.example/2025/12/16/a-post"

# one long story line (over 80 words: the span pass reads only lines the line rules never try)
STORY = (
    "The council spent most of the year on the plan, holding hearings in every district and "
    "asking residents how they travel to work, to school and to the shops. The answers were "
    "clearer than expected: most people wanted more frequent buses rather than new lines, and "
    "many said they would leave the car at home if the service ran late into the evening. The "
    "final report, published in the spring, followed that advice closely and set out a budget "
    "for the first three years of the new timetable."
)
SHORT_LINE = "Officials said the first routes would open in the autumn."


@pytest.mark.parametrize(
    ("before", "span", "after", "rule"),
    [
        (STORY + " ", "As an Amazon Associate we earn from qualifying purchases.", "", "affiliate"),
        (STORY + " Add to list → ", "As an Amazon Associate, I earn from qualifying purchases.",
         "", "affiliate"),
        (STORY + " ", "Als Amazon-Partner verdiene ich an qualifizierten Verkäufen.", "",
         "affiliate"),
        (STORY + " ", "En tant que Partenaire Amazon, je réalise un bénéfice sur les achats "
         "remplissant les conditions requises.", "", "affiliate"),
        (STORY + " ", "Como Afiliado de Amazon, obtengo ingresos por las compras adscritas que "
         "cumplen los requisitos aplicables.", "", "affiliate"),
        (STORY + " ", "Posted by David at December 16, 2025 11:15 AM |", "", "footer"),
        (STORY + " ", "Eingestellt von Anna Berg um 10:15", "", "footer"),
        (STORY + " ", "Publié par Jean à 09:30", "", "footer"),
        (STORY + " 05/03/2019 ", "All content about Internet of Things Modeling and simulation "
         "Robotics Digital Security", "", "tags"),
        (STORY + " ", "Alle Inhalte zum Thema Verkehr Bus Bahn Fahrrad", "", "tags"),
        ("", "JUMP TO THE LIST ⤵", " " + STORY, "jump"),
        ("", "Skip to the recipe ↓", " " + STORY, "jump"),
    ],
)
def test_a_promo_sentence_is_cut_from_its_story_line(
    before: str, span: str, after: str, rule: str
) -> None:
    result = filter_paragraphs([SHORT_LINE, before + span + after, SHORT_LINE + " Again."])
    story = (before + after).strip()
    assert result.kept == [SHORT_LINE, story, SHORT_LINE + " Again."]
    assert result.removed == [f"{rule}: {span.strip()}"]


@pytest.mark.parametrize(
    "line",
    [
        # the same words as story text
        STORY + " The post was shared widely, and the comments posted by readers at the time "
        "were mostly kind.",
        STORY + " The mayor, who posted by hand a letter to every household, said the plan "
        "would start on 1 May.",
        STORY + " As an Amazon associate in the warehouse, she earned less than the minimum wage.",
        "Jump to the conclusions at your own risk: " + STORY,
        STORY + " All content about the vote is free to read, the editor said.",
        STORY + " She read all the articles about Brexit and The Hague.",  # a sentence ends

        "Ir a la playa en invierno es otra cosa, dijo el alcalde. " + STORY,
        # a "Posted by" footer that does not close the line
        STORY + " Posted by David at 11:15 AM, the note was read by thousands before noon.",
    ],
)
def test_story_sentences_with_the_same_words_stay(line: str) -> None:
    result = filter_paragraphs([SHORT_LINE, line])
    assert result.kept == [SHORT_LINE, line]
    assert result.removed == []


def test_a_short_disclosure_line_is_the_line_rules_business() -> None:
    """A line of 80 words or fewer is not read by the span pass (the line rules read it)."""
    line = "As an Amazon Associate, this website earns from qualifying purchases."
    result = filter_paragraphs([STORY, line, STORY + " Again."])
    assert not any(entry.startswith(("footer:", "jump:")) for entry in result.removed)
    assert all(entry.partition(": ")[2] == line for entry in result.removed)


def test_spans_go_back_when_the_page_budget_holds() -> None:
    """The spans count in the page budget like the line rules' choices."""
    line = STORY + " As an Amazon Associate we earn from qualifying purchases."
    result = filter_paragraphs([line], markup_words=400)
    assert result.held
    assert result.kept == [line]


def test_inline_html_blurbs_keep_their_text() -> None:
    disclosure = "As an Amazon Associate we earn from qualifying purchases."
    footer = "Posted by David at December 16, 2025 11:15 AM |"
    body = (
        f"<p>JUMP TO THE LIST ⤵ {STORY}</p>"
        f"<p>{STORY} Add to Goodreads → {disclosure}</p>"
        f"<p>{STORY} {footer}</p>"
    )
    html = (
        '<html lang="en"><head><title>A post</title></head>'
        f"<body><article>{body}</article></body></html>"
    )
    article = extract_article(html, URL, min_words=0)
    assert article is not None
    assert article.text.splitlines() == [STORY, f"{STORY} Add to Goodreads →", STORY]
    assert f"affiliate: {disclosure}" in article.boilerplate
    assert f"footer: {footer}" in article.boilerplate
    assert "jump: JUMP TO THE LIST ⤵" in article.boilerplate


TITLE = "Defer, Panic, and Recover"


def test_the_sites_links_above_the_headline_go() -> None:
    lines = ["The Go Blog", TITLE, STORY]
    result = filter_paragraphs(lines, title=TITLE, links=["The Go Blog", "Home", "About"])
    assert result.kept == [STORY]
    assert result.removed == ["nav: The Go Blog", f"headline: {TITLE}"]
    crumbs = ["- Home", "- Resources", TITLE, STORY]
    result = filter_paragraphs(crumbs, title=TITLE, links=["Home", "Resources"])
    assert result.kept == [STORY]


@pytest.mark.parametrize(
    ("above", "links"),
    [
        ("Safety Alert", ["Home"]),  # a label of the story, no link
        ("Originally posted February 2017.", ["Originally posted February 2017."]),  # a sentence
        ("The Go Blog", []),  # no links known
    ],
)
def test_lines_above_the_headline_that_are_no_link_stay(above: str, links: list[str]) -> None:
    result = filter_paragraphs([above, TITLE, STORY], title=TITLE, links=links)
    assert result.kept == [above, STORY]


def test_a_link_below_the_headline_stays() -> None:
    result = filter_paragraphs([TITLE, "The Go Blog", STORY], title=TITLE, links=["The Go Blog"])
    assert result.kept == ["The Go Blog", STORY]


@pytest.mark.parametrize(
    ("heading", "items"),
    [
        ("Our Services", ["Cognitive Behavioral Therapy (CBT)", "Types of Conditions We Treat",
                          "Obsessive Compulsive Disorder (OCD)"]),
        ("Unsere Leistungen", ["Webdesign", "Suchmaschinenoptimierung"]),
        ("CONTACT INFO", ["Phone number: 615 682 4939", "Email: school@example.com",
                          "BOOK YOUR FIRST LESSON"]),
        ("Kontakt", ["Telefon: 0211 123456", "E-Mail: info@example.de"]),
        ("Read This Next", ["Introducing", "FX Excursions"]),
    ],
)
def test_the_sites_menu_after_the_story_goes(heading: str, items: list[str]) -> None:
    result = filter_paragraphs([STORY, SHORT_LINE, heading, *items])
    assert result.kept == [STORY, SHORT_LINE]
    assert result.removed == [f"related: {line}" for line in (heading, *items)]


def test_prose_after_a_menu_heading_stays() -> None:
    """The list ends at a sentence; the same words in a sentence are no heading."""
    prose = "Our services are free for members, the clinic said on Monday."
    result = filter_paragraphs([STORY, "Our Services", "Therapy", prose, STORY + " Again."])
    assert result.kept == [STORY, prose, STORY + " Again."]


AGENCY = (
    "emit digital ist eine Webagentur / Digitalagentur aus Düsseldorf. Wir konzipieren, "
    "gestalten und entwickeln Web- und Digitallösungen für unsere Kunden aus allen Branchen, vom "
    "Mittelstand bis zum Konzern, und begleiten sie von der ersten Idee über das Design und die "
    "Entwicklung bis zum Betrieb, zur Pflege und zur Weiterentwicklung ihrer Websites, "
    "Onlineshops und Apps, mit einem Team aus Beratung, Konzeption, Gestaltung und Technik, das "
    "seit vielen Jahren zusammenarbeitet und die Projekte gemeinsam mit den Kunden plant, "
    "umsetzt und nach dem Start mit Wartung, Hosting und Analysen weiter betreut."
)
KEYWORDS = "Sie suchen: " + " / ".join(
    f"Werbeagentur {city}" for city in ("Düsseldorf", "Berlin", "München", "Köln", "Essen", "Bonn")
)


def test_a_long_about_line_and_a_keyword_list_close_the_page() -> None:
    assert len(AGENCY.split()) > 80  # longer than the lines the pitch rule reads
    story = [f"{STORY} Part {n}." for n in range(4)]
    result = filter_paragraphs([*story, AGENCY, KEYWORDS])
    assert result.kept == story
    assert result.removed == [f"about: {AGENCY}", f"nav: {KEYWORDS}"]


def test_the_about_line_inside_the_story_stays() -> None:
    lines = [STORY, AGENCY, *(f"{STORY} Part {n}." for n in range(9))]
    assert filter_paragraphs(lines).kept == lines


@pytest.mark.parametrize(
    "line",
    [
        "Hybride / native Apps / Websites / Shops / Intranets",  # five items only
        "Wähler in Berlin / Brandenburg / Sachsen / Thüringen / Bayern / Hessen sagten, sie "
        "wollten abwarten.",  # an item that is a sentence
    ],
)
def test_lines_with_slashes_that_are_no_link_list_stay(line: str) -> None:
    lines = [STORY, line, STORY + " Again."]
    assert filter_paragraphs(lines).kept == lines


PITCH = (
    "If you need professional guidance on software development, our consultants can help. We "
    "have experts to advise you on the best framework for your project and a team of dedicated "
    "developers to build it with you. Whatever you need, we are here to support your journey. "
    "Talk to us for further discussion."
)
PITCH_DE = (
    "Sie planen einen Relaunch Ihrer Website oder einen neuen Onlineshop? Unser Team begleitet "
    "Sie von der ersten Idee über Konzept und Design bis zum Betrieb, und wir kennen die "
    "Anforderungen von Mittelstand und Konzern aus vielen Projekten der letzten Jahre. "
    "Vereinbaren Sie jetzt einen Termin."
)


@pytest.mark.parametrize("pitch", [PITCH, PITCH_DE])
def test_the_sites_closing_pitch_goes_from_the_last_line(pitch: str) -> None:
    story = [f"{STORY} Part {n}." for n in range(3)]
    result = filter_paragraphs([*story, pitch])
    assert result.kept == story
    assert result.removed == [f"pitch: {pitch}"]


@pytest.mark.parametrize(
    "last",
    [
        PITCH.replace("Talk to us for further discussion.", "That is the whole story."),
        # no site voice: advice to the reader
        "If you need guidance on software development, ask a friend who has built such a "
        "project and compare the frameworks they used with the ones you know already, since "
        "a tool you understand beats a fashionable one, and a small project you finish teaches "
        "more than a large one you abandon. Take the first step today.",
        # reported
        PITCH.replace("our consultants can help.", "our consultants can help, the firm said."),
    ],
)
def test_closing_lines_that_are_no_pitch_stay(last: str) -> None:
    assert len(last.split()) > 40  # as long as a pitch the rule reads
    story = [f"{STORY} Part {n}." for n in range(3)]
    assert filter_paragraphs([*story, last]).kept == [*story, last]


def test_the_pitch_inside_the_story_stays() -> None:
    lines = [STORY, PITCH, STORY + " Again."]
    assert filter_paragraphs(lines).kept == lines
