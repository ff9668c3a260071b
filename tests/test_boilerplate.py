"""The boilerplate layer: each rule family in more than one language, and the guards.

Fixture pages are inline HTML; nothing here touches the network.
"""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from pipelines import boilerplate
from pipelines.boilerplate import SiteRules, filter_paragraphs, paywall_markup, prune_tree
from pipelines.extract import extract_article

URL = "https://news.example/2024/05/01/story"

# Prose paragraphs, long enough to be an article, in four languages.
PROSE = {
    "en": [
        "The city council voted on Tuesday to expand the bus network to three new districts, "
        "after a year of public hearings and a study of commuting patterns across the region.",
        "Officials said the first routes would open in the autumn, with more to follow next "
        "spring once new drivers have been hired and trained for the longer service hours.",
        "Opponents argued that the plan would cost more than expected and asked the council to "
        "publish the full budget before the next vote, which is scheduled for early June.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, das Busnetz auf drei neue Bezirke "
        "auszuweiten, nach einem Jahr öffentlicher Anhörungen und einer Studie zum Pendelverkehr.",
        "Die ersten Linien sollen im Herbst starten, weitere im Frühjahr, sobald neue "
        "Fahrerinnen und Fahrer eingestellt und für die längeren Betriebszeiten geschult sind.",
        "Kritiker bemängelten, der Plan werde teurer als erwartet, und forderten den Rat auf, "
        "vor der nächsten Abstimmung Anfang Juni den vollständigen Haushalt zu veröffentlichen.",
    ],
    "fr": [
        "Le conseil municipal a voté mardi l'extension du réseau de bus à trois nouveaux "
        "quartiers, après une année de consultations publiques et une étude sur les trajets.",
        "Les premières lignes ouvriront à l'automne, les suivantes au printemps prochain, une "
        "fois que de nouveaux conducteurs auront été recrutés et formés pour ces horaires.",
        "Les opposants estiment que le projet coûtera plus cher que prévu et demandent la "
        "publication du budget complet avant le prochain vote, prévu début juin au conseil.",
    ],
    "es": [
        "El ayuntamiento aprobó el martes ampliar la red de autobuses a tres nuevos barrios, "
        "tras un año de audiencias públicas y un estudio sobre los desplazamientos diarios.",
        "Las primeras líneas abrirán en otoño y las demás la próxima primavera, cuando se hayan "
        "contratado y formado nuevos conductores para los horarios más largos del servicio.",
        "La oposición sostiene que el plan costará más de lo previsto y pide publicar el "
        "presupuesto completo antes de la próxima votación, prevista para principios de junio.",
    ],
}
LANGS = tuple(PROSE)


def page(body: str, *, head: str = "", lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><title>Buses for three districts</title>{head}</head>'
        f"<body><article>{body}</article></body></html>"
    )


def paragraphs(lang: str) -> str:
    return "".join(f"<p>{text}</p>" for text in PROSE[lang])


def kept(lines: list[str], **kwargs) -> list[str]:
    return filter_paragraphs(lines, **kwargs).kept


# --------------------------------------------------------------------------- markup prune


PROMO_MARKUP = {
    "en": '<div class="newsletter-signup"><p>Get the morning briefing every day.</p>'
    '<form><input type="email" name="email"><button>Go</button></form></div>',
    "de": '<div class="abo-teaser"><p>Lesen Sie alle Artikel mit unserem Digitalpaket.</p></div>',
    "fr": '<section class="bloc-promo"><p>Découvrez toutes nos offres numériques.</p></section>',
    "es": '<div id="suscripcion-box"><p>Accede a todo el contenido con tu cuenta.</p></div>',
}


@pytest.mark.parametrize("lang", LANGS)
def test_markup_prune_removes_promo_boxes(lang: str) -> None:
    prose = PROSE[lang]
    body = f"<p>{prose[0]}</p>{PROMO_MARKUP[lang]}<p>{prose[1]}</p><p>{prose[2]}</p>"
    article = extract_article(page(body, lang=lang), URL, min_words=0)
    assert article is not None
    assert article.text.splitlines() == prose
    assert any(line.startswith("markup:") for line in article.boilerplate)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_markup_prune_removes_a_small_box_around_a_subscribe_link(lang: str) -> None:
    prose = PROSE[lang]
    box = (
        '<div class="box"><div class="box-title">The Weekly</div>'
        '<div class="box-body"><p>Independent, in depth, every week.</p>'
        '<a href="/subscribe?src=box">Join</a></div></div>'
    )
    body = f"<p>{prose[0]}</p>{box}<p>{prose[1]}</p><p>{prose[2]}</p>"
    article = extract_article(page(body, lang=lang), URL, min_words=0)
    assert article is not None
    assert article.text.splitlines() == prose


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_markup_prune_never_removes_the_container_of_the_story(lang: str) -> None:
    """A promo word on the element that holds the whole article must not empty the page."""
    body = f'<div class="paywall premium-content newsletter">{paragraphs(lang)}</div>'
    article = extract_article(page(body, lang=lang), URL, min_words=0)
    assert article is not None
    assert article.text.splitlines() == PROSE[lang]


def test_markup_prune_guard_is_a_share_of_the_page() -> None:
    """Above the floor, what a promo element may hold is a share of the page's paragraph text."""
    promo = "".join(f"<p>{text}</p>" for text in PROSE["de"])  # more than PRUNE_MIN_GUARD
    assert len("".join(PROSE["de"])) > boilerplate.PRUNE_MIN_GUARD
    box = f'<div class="newsletter-box">{promo}</div>'
    long_page = page(paragraphs("en") * 8 + box)  # the box holds about a tenth of the text
    tree = lxml_html.fromstring(long_page)
    assert [line.split(":")[1] for line in prune_tree(tree).removed] == ["newsletter"]
    assert PROSE["de"][0] not in tree.text_content()
    short_page = page(paragraphs("en") + box)  # the box holds about half: it stays
    tree = lxml_html.fromstring(short_page)
    assert prune_tree(tree).removed == []
    assert PROSE["de"][0] in tree.text_content()


def test_markup_prune_never_removes_the_gated_content() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "isAccessibleForFree": false,'
        ' "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": false,'
        ' "cssSelector": ".subscriber-only"}}</script>'
    )
    prose = PROSE["en"]
    body = (
        f"<p>{prose[0]}</p>"
        f'<div class="subscriber-only promo"><p>{prose[1]}</p><p>{prose[2]}</p></div>'
    )
    tree = lxml_html.fromstring(page(body, head=head))
    gate = paywall_markup(tree)
    assert gate.paywalled is True and gate.selectors == (".subscriber-only",)
    assert gate.truncated is False  # the gated part is on the page
    prune_tree(tree, protect=gate.selectors)
    assert prose[2] in tree.text_content()


def test_markup_prune_takes_the_gated_elements_as_matched() -> None:
    """``Gate.gated``: the elements the gate's selectors matched, protected as they are (the
    page's selectors are not evaluated a second time)."""
    head = (
        '<script type="application/ld+json">{"isAccessibleForFree": false, "hasPart": '
        '{"isAccessibleForFree": false, "cssSelector": ".locked"}}</script>'
    )
    body = paragraphs("en") + '<div class="locked promo"><p>Members read on.</p></div>'
    tree = lxml_html.fromstring(page(body, head=head))
    assert [line.split(":")[1] for line in prune_tree(tree).removed] == ["promo"]
    for protect in ("selectors", "gated"):
        tree = lxml_html.fromstring(page(body, head=head))
        gate = paywall_markup(tree)
        assert [node.get("class") for node in gate.gated] == ["locked promo"]
        assert prune_tree(tree, protect=getattr(gate, protect)).removed == []
        assert "Members read on." in tree.text_content()


def test_markup_prune_takes_the_gate_walk_as_its_own() -> None:
    """``Gate.walk``: ``paywall_markup`` walks the page once for the prune too (its microdata
    read on the way); ``prune_tree(walk=...)`` removes what its own walk would."""
    head = '<meta itemprop="isAccessibleForFree" content="false">'
    body = (
        "<h1>Title</h1>" + paragraphs("en") + PROMO_MARKUP["en"]
        + '<div class="x"><a href="/Subscribe/now">Join</a></div>'
        + '<link itemprop="isAccessibleForFree" href="https://schema.org/False">'
    )
    tree = lxml_html.fromstring(page(body, head=head))
    gate = paywall_markup(tree)
    assert gate.paywalled is True and len(gate.walk.microdata) == 2  # not free
    walked = prune_tree(tree, walk=gate.walk)
    alone = prune_tree(lxml_html.fromstring(page(body, head=head)))
    assert walked.removed == alone.removed and len(walked.removed) == 2
    assert gate == paywall_markup(lxml_html.fromstring(page(body, head=head)))


def test_markup_prune_reports_what_it_removed() -> None:
    tree = lxml_html.fromstring(page(paragraphs("en") + PROMO_MARKUP["en"]))
    pruned = prune_tree(tree)
    assert pruned.removed == ["markup:newsletter: Get the morning briefing every day. Go"]
    assert "briefing" not in tree.text_content()


def test_markup_prune_removes_the_outermost_of_nested_choices() -> None:
    """The marked candidates never nest (each is skipped inside one chosen before it); a site's
    selectors and a promo box may hold a chosen element or sit inside one: only the outermost
    goes, its text reported once, and the tree is put back as it was."""
    box = '<div class="wrap"><div class="ad-slot">Ad here</div><a href="/subscribe">Join</a></div>'
    site = (
        '<div class="newsletter-box"><div class="x">Sign up <span class="y">now</span></div></div>'
    )
    html = page(paragraphs("en") + box + f"<p>{PROSE['en'][0]}</p>" + site)
    for rules in (None, SiteRules(remove_selectors=(".y", ".x"))):
        tree = lxml_html.fromstring(html)
        before = lxml_html.tostring(tree)
        pruned = prune_tree(tree, rules)
        assert pruned.removed == [
            "markup:newsletter: Sign up now", "markup:promo-box: Ad here Join"
        ], rules
        assert "Ad here" not in tree.text_content() and "Sign up" not in tree.text_content()
        pruned.restore()
        assert lxml_html.tostring(tree) == before
    nested = '<div class="x">a <b class="y">b</b></div>'  # a site's selectors alone
    tree = lxml_html.fromstring(page(paragraphs("en") + nested))
    removed = prune_tree(tree, SiteRules(remove_selectors=(".y", ".x"))).removed
    assert removed == ["markup:site: a b"]


# --------------------------------------------------------------------------- paywall flags


def test_paywall_markup_reads_json_ld_and_microdata() -> None:
    closed = '<script type="application/ld+json">{"isAccessibleForFree": "False"}</script>'
    free = '<script type="application/ld+json">{"isAccessibleForFree": true}</script>'
    micro = '<meta itemprop="isAccessibleForFree" content="false">'
    assert paywall_markup(lxml_html.fromstring(page("<p>x</p>", head=closed))).paywalled is True
    assert paywall_markup(lxml_html.fromstring(page("<p>x</p>", head=free))).paywalled is False
    assert paywall_markup(lxml_html.fromstring(page("<p>x</p>", head=micro))).paywalled is True
    assert paywall_markup(lxml_html.fromstring(page("<p>x</p>"))).paywalled is None


def test_gated_content_missing_from_the_page_means_truncated() -> None:
    head = (
        '<script type="application/ld+json">{"hasPart": {"isAccessibleForFree": "False",'
        ' "cssSelector": ".locked"}}</script>'
    )
    gate = paywall_markup(lxml_html.fromstring(page(paragraphs("en"), head=head)))
    assert gate.paywalled is True and gate.truncated is True


# --------------------------------------------------------------------------- phrase filter


PROMO_LINES = {
    "en": ["Subscribe now", "Sign up for our emails", "Advertisement", "Share this article"],
    "de": ["Jetzt abonnieren", "Anzeige", "Newsletter abonnieren und informiert bleiben", "Teilen"],
    "fr": ["Abonnez-vous", "Passer la publicité", "Partager", "Inscrivez-vous à notre newsletter"],
    "es": ["Suscríbete", "Publicidad", "Compartir", "Inicia sesión para comentar"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_filter_drops_calls_to_action_between_paragraphs(lang: str) -> None:
    prose = PROSE[lang]
    promo = PROMO_LINES[lang]
    lines = [prose[0], promo[0], promo[1], prose[1], promo[2], promo[3], prose[2]]
    result = filter_paragraphs(lines)
    assert result.kept == prose
    assert len(result.removed) == 4
    assert not result.truncated


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_promo_block_takes_the_lines_that_address_the_reader(lang: str) -> None:
    block = {
        "en": ["Subscribe to The Paper", "Independent news for your inbox and your weekend."],
        "de": ["Jetzt abonnieren", "Holen Sie sich Ihre tägliche Dosis Nachrichten."],
    }[lang]
    prose = PROSE[lang]
    assert kept([prose[0], *block, prose[1], prose[2]]) == prose


# --------------------------------------------------------------------------- paywall tail


PAYWALL_TAILS = {
    "en": ["To continue reading, subscribe for $1 a week.", "Already a subscriber? Log in"],
    "de": ["Lesen Sie jetzt weiter mit SZ Plus", "2 Wochen kostenlos testen"],
    "fr": [
        "Il vous reste 57% de cet article à lire. La suite est réservée aux abonnés.",
        "Déjà abonné ? Se connecter",
    ],
    "es": ["Para seguir leyendo, suscríbete", "¿Ya eres suscriptor? Inicia sesión"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_paywall_tail_is_cut_and_flags_truncated(lang: str) -> None:
    prose = PROSE[lang]
    result = filter_paragraphs([*prose, *PAYWALL_TAILS[lang], "Short"])
    assert result.kept == prose
    assert result.truncated and result.paywall_text
    assert all(line.startswith("paywall: ") for line in result.removed)


def test_paywall_notice_with_the_story_after_it_is_not_a_tail() -> None:
    prose = PROSE["en"]
    result = filter_paragraphs([prose[0], "Already a subscriber? Log in", prose[1], prose[2]])
    assert result.kept == prose
    assert result.paywall_text and not result.truncated


# --------------------------------------------------------------------------- repeats


@pytest.mark.parametrize("lang", ["en", "de", "es"])
def test_exact_repeated_paragraphs_are_dropped(lang: str) -> None:
    prose = PROSE[lang]
    result = filter_paragraphs([*prose, *prose])  # the body emitted twice
    assert result.kept == prose
    assert all(line.startswith("repeat: ") for line in result.removed)


def test_short_repeats_and_repeated_questions_stay() -> None:
    question = "What made you start cooking for an audience of strangers on the internet?"
    lines = ["Round one", PROSE["en"][0], question, "Round two", PROSE["en"][1], question]
    assert kept(lines, title="Cooking for strangers") == lines


# --------------------------------------------------------------------------- headline


@pytest.mark.parametrize(
    ("title", "first"),
    [
        ("Buses for three districts", "Buses for three districts"),
        ("Opinion | Des bus pour trois quartiers", "Des bus pour trois quartiers"),
        ("Busse für drei Bezirke – Stadtrat stimmt zu", "Busse für drei Bezirke - Stadtrat stimmt"),
    ],
)
def test_headline_repeated_at_the_top_is_dropped(title: str, first: str) -> None:
    lines = [first, *PROSE["en"]]
    result = filter_paragraphs(lines, title=title)
    assert result.kept == PROSE["en"]
    assert result.removed == [f"headline: {first}"]


def test_headline_without_a_title_is_dropped_by_shape() -> None:
    assert kept(["Des bus pour trois quartiers", *PROSE["fr"]]) == PROSE["fr"]


def test_standfirst_stays_with_the_story() -> None:
    """The standfirst is the story's first words (publishers' parsers keep it): only the
    repeated headline above it goes."""
    dek = "The council approved the plan after a year of hearings."
    result = filter_paragraphs(
        ["Buses for three districts", dek, *PROSE["en"]],
        title="Buses for three districts",
        description=dek,
        headings=[dek],
    )
    assert result.kept == [dek, *PROSE["en"]]


def test_a_lede_equal_to_the_description_stays() -> None:
    """Many sites copy the first paragraph into the meta description: it is the article."""
    lede = PROSE["en"][0]
    assert kept(PROSE["en"], description=lede) == PROSE["en"]


def test_dateline_above_the_text_is_dropped() -> None:
    lines = ["By Jane Doe, May 1, 2024 10:32", *PROSE["en"]]
    assert kept(lines, title="Buses") == PROSE["en"]
    lines = ["Publié le 1 mai 2024 à 10h32", *PROSE["fr"]]
    assert kept(lines, title="Bus") == PROSE["fr"]


# --------------------------------------------------------------------------- related lists


RELATED = {
    "en": ["Related articles", "Mayor unveils new cycling plan", "Rail strike called off"],
    "de": ["Mehr zum Thema", "Bürgermeister stellt Radwegeplan vor", "Bahnstreik abgesagt"],
    "fr": ["À lire aussi", "Le maire présente son plan vélo", "La grève du rail est levée"],
    "es": ["Te puede interesar", "El alcalde presenta su plan ciclista", "Desconvocada la huelga"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_related_list_is_dropped_up_to_the_next_paragraph(lang: str) -> None:
    prose = PROSE[lang]
    result = filter_paragraphs([prose[0], *RELATED[lang], prose[1], prose[2]])
    assert result.kept == prose
    assert [line.split(":")[0] for line in result.removed] == ["related"] * 3


@pytest.mark.parametrize("lang", ["en", "de"])
def test_related_list_ends_at_a_sentence(lang: str) -> None:
    short = {"en": "The vote was close.", "de": "Die Abstimmung war knapp."}[lang]
    lines = [PROSE[lang][0], RELATED[lang][0], RELATED[lang][1], short, PROSE[lang][1]]
    assert kept(lines) == [PROSE[lang][0], short, PROSE[lang][1]]


def test_read_more_links_bios_and_credits_are_dropped() -> None:
    prose = PROSE["en"]
    lines = [
        prose[0],
        "READ MORE: Mayor unveils new cycling plan",
        prose[1],
        "Photo: Jane Doe / Reuters",
        prose[2],
        "Jane Doe is a transport reporter at The Daily Example.",
        "Additional reporting by John Roe",
    ]
    assert kept(lines) == prose


# --------------------------------------------------------------------------- per-site rules


@pytest.mark.parametrize("lang", ["en", "es"])
def test_site_rules_remove_selectors_and_phrases(lang: str) -> None:
    prose = PROSE[lang]
    marker = {"en": "Brought to you by Acme", "es": "Patrocinado por Acme"}[lang]
    body = (
        f'<p>{prose[0]}</p><div class="acme-box"><p>{prose[1]} Acme.</p></div>'
        f"<p>{marker}</p><p>{prose[1]}</p><p>{prose[2]}</p>"
    )
    rules = SiteRules(
        remove_selectors=(".acme-box",), remove_phrases=(r"^(?:brought|patrocinado)",)
    )
    article = extract_article(page(body, lang=lang), URL, rules=rules, min_words=0)
    assert article is not None
    assert article.text.splitlines() == prose
    assert any(line.startswith("markup:site: ") for line in article.boilerplate)
    assert f"site: {marker}" in article.boilerplate


@pytest.mark.parametrize("outer", ["span", "div"])
def test_a_site_removes_any_element_once_with_the_promos_inside(outer: str) -> None:
    """A site's selector may choose any element (a <span>, whose tag the rules never choose):
    the promo box and the marked element inside it go with it, counted once."""
    promo = '<div class="ad-slot">Ad</div><div>Get our app <a href="/newsletter">Go</a></div>'
    body = paragraphs("en") + f'<{outer} class="acme">Partner {promo}</{outer}>'
    tree = lxml_html.fromstring(page(body))
    pruned = prune_tree(tree, SiteRules(remove_selectors=(".acme",)))
    assert pruned.removed == ["markup:site: Partner Ad Get our app Go"]
    assert "Partner" not in tree.text_content() and "Ad" not in tree.text_content()
    pruned.restore()
    assert "Partner Ad" in tree.text_content()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_site_rules_keep_selectors_protect_an_element(lang: str) -> None:
    prose = PROSE[lang]
    facts = "Route 7: 42 km, 18 stops"  # short: no evidence of story in its text alone
    body = f'<p>{prose[0]}</p><div class="related-facts"><p>{facts}</p></div><p>{prose[2]}</p>'
    tree = lxml_html.fromstring(page(body, lang=lang))
    prune_tree(tree)
    assert facts not in tree.text_content()  # the vocabulary calls it related ...
    tree = lxml_html.fromstring(page(body, lang=lang))
    prune_tree(tree, SiteRules(keep_selectors=(".related-facts",)))
    assert facts in tree.text_content()  # ... the site says it is article


# --------------------------------------------------------------------------- guards


REPORTING = {
    "en": [
        "The newspaper said its digital subscriptions rose 12% last year, to 10 million "
        "subscribers.",
        "Subscribe buttons were added to every article, the company said in a statement.",
        "Sign up for the service rose sharply in March, according to the regulator.",
        "Readers who reached the paywall were asked to log in, the report found.",
    ],
    "de": [
        "Die Zeitung teilte mit, die Zahl der Digital-Abonnenten sei um 12 Prozent gestiegen.",
        "Jetzt abonnieren kann man das Blatt auch am Kiosk, sagte der Verlagschef.",
    ],
    "fr": [
        "Le journal a annoncé que ses abonnements numériques ont augmenté de 12 %.",
        "Abonnez-vous, disait la publicité, selon les documents consultés par l'AFP.",
    ],
    "es": [
        "El diario anunció que sus suscripciones digitales crecieron un 12 % el año pasado.",
        "Suscríbete, decía el anuncio, según los documentos revisados por la agencia.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_reporting_sentences_about_subscriptions_stay(lang: str) -> None:
    prose = PROSE[lang]
    lines = [prose[0], *REPORTING[lang], prose[1], prose[2]]
    result = filter_paragraphs(lines)
    assert result.kept == lines
    assert not result.paywall_text


def test_a_long_paragraph_mentioning_newsletters_stays() -> None:
    line = (
        "The newsletter, which the company launched in 2019, now reaches readers in 40 "
        "countries; its editor told staff that sign-ups for the newsletter had doubled, and "
        "that a paid tier would follow in the spring."
    )
    assert kept([PROSE["en"][0], line, PROSE["en"][1]]) == [PROSE["en"][0], line, PROSE["en"][1]]


def test_promo_kind_detects_promo_and_paywall_lines() -> None:
    assert boilerplate.promo_kind("Subscribe Now!") == "subscribe"
    assert boilerplate.promo_kind("Log in or create an account to continue") == "paywall"
    assert boilerplate.promo_kind("Passer la publicité") == "ad"
    assert boilerplate.promo_kind("この記事は会員限定です。") == "paywall"
    assert boilerplate.promo_kind(PROSE["en"][0]) is None


# --------------------------------------------------------------------------- removal by evidence


def test_paywall_classed_body_paragraphs_are_kept() -> None:
    """Condé Nast and others class every story paragraph ``paywall``: prose is the story."""
    prose = PROSE["en"]
    body = "".join(f'<p class="paywall">{line}</p>' for line in prose)
    tree = lxml_html.fromstring(page(body))
    pruned = prune_tree(tree)
    assert pruned.removed == []
    article = extract_article(page(body), URL, min_words=0)
    assert article is not None and article.text.splitlines() == prose


def test_a_container_named_promo_holding_the_story_is_kept() -> None:
    prose = PROSE["de"]
    body = f'<div class="promo-wrapper">{"".join(f"<p>{line}</p>" for line in prose)}</div>'
    tree = lxml_html.fromstring(page(body, lang="de"))
    assert prune_tree(tree).removed == []
    assert all(line in tree.text_content() for line in prose)


def test_a_promo_box_with_promo_wording_still_goes() -> None:
    pitch = ("Sign up for our newsletter and get the day's most important stories, hand-picked "
             "by our editors and delivered straight to your inbox every single weekday morning.")
    body = f'<p>{PROSE["en"][0]}</p><div class="newsletter"><p>{pitch}</p></div>'
    tree = lxml_html.fromstring(page(body))
    pruned = prune_tree(tree)
    assert pruned.removed and pitch not in tree.text_content()


def test_a_paywall_notice_followed_by_comments_ends_the_article() -> None:
    """The prose test after a removed paywall notice reads elements: a comment after it (a tree
    parsed with comments kept) is no prose and no error; a paragraph after it still is."""
    notice = '<div class="paywall">Subscribe to continue reading</div>'
    long_comment = f"<!-- {PROSE['en'][1]} -->"
    for after, truncated in (("", True), (long_comment, True), (f"<p>{PROSE['en'][1]}</p>", False)):
        tree = lxml_html.fromstring(page(paragraphs("en") + notice + "<!-- end -->" + after))
        pruned = prune_tree(tree)
        assert pruned.paywall_text and pruned.truncated is truncated, after


def test_inside_a_chosen_element_stops_at_the_guarded_ancestors() -> None:
    """``_inside`` stops its walk up at the first of the guard's ancestors (they hold their own
    ancestors, and none can be chosen): the answer of the whole walk, on every element, for
    choices made as the prune makes them (headline, gated and kept parts guarded)."""
    html = page(
        '<header><h1>Buses</h1><div class="share"><a>x</a></div></header>'
        f'<div class="gated"><p>{PROSE["en"][0]}</p><aside class="ad"><b>Ad</b></aside></div>'
        '<div class="keep"><div class="promo"><i>kept</i></div></div>'
        '<footer><div class="promo"><div><ul class="nav"><li><a>y</a></li></ul></div></div>'
        "</footer>"
    )
    tree = lxml_html.fromstring(html)
    guard = boilerplate._Guard(tree, tree.findall(".//h1"), [".gated"], [".keep"])
    chosen: dict = {}
    for node in tree.iter():
        plain = any(n in chosen for n in [node, *node.iterancestors()])
        assert boilerplate._inside(node, chosen, guard) is plain, node.tag
        if node.get("class") and not plain and guard.allows(node):
            chosen[node] = node.get("class")
    assert sorted(chosen.values()) == ["ad", "promo", "share"]


def test_promo_boxes_read_once_are_the_boxes_read_per_link() -> None:
    """Links under one box share their boxes' answers (``_promo_box(small=...)``): for every
    promo link, the box the plain climb finds (each level's words read anew)."""
    small_box = '<div class="a"><div class="b"><a href="/subscribe">Join</a> or <a href=' \
        '"/newsletter">sign up</a></div><a href="/subscribe?x=1">Subscribe</a></div>'
    large = f'<section><div><p>{PROSE["en"][0]}</p><a href="/subscribe">Join</a></div>' \
        f'<span>{PROSE["en"][1]} {PROSE["en"][2]}</span><div><a href="/subscribe">Join</a></div>' \
        '</section>'
    tree = lxml_html.fromstring(page(small_box + large + small_box))
    anchors = boilerplate._candidates(tree).anchors
    assert len(anchors) == 8

    def plain(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
        box, node = None, anchor.getparent()
        for _ in range(3):
            if node is None or node.tag not in ("div", "section", "aside", "figure"):
                break
            if boilerplate.words(node.text_content()) > boilerplate.PROMO_BOX_MAX_WORDS:
                break
            if not boilerplate._Guard(tree, [], (), ()).allows(node):
                break
            box, node = node, node.getparent()
        return box

    guard, small = boilerplate._Guard(tree, [], (), ()), {}
    found = [boilerplate._promo_box(anchor, guard, small) for anchor in anchors]
    assert found == [plain(anchor) for anchor in anchors]
    assert {box.get("class") for box in found if box is not None} == {"a", None}


def test_json_ld_article_body_is_evidence_of_the_story() -> None:
    """Short fact lines under a promo class: removed, unless the publisher's articleBody
    holds them (then they are the story); the articleBody never replaces the text."""
    facts = ["Route 7 opens on 1 September with 18 stops", "Route 9 opens next spring in May"]
    box = f'<div class="upsell-box">{"".join(f"<p>{line}</p>" for line in facts)}</div>'
    body = f"<p>{PROSE['en'][0]}</p>{box}<p>{PROSE['en'][1]}</p>"
    story = " ".join([PROSE["en"][0], *facts, PROSE["en"][1]])
    tree = lxml_html.fromstring(page(body))
    prune_tree(tree)
    assert facts[0] not in tree.text_content()
    tree = lxml_html.fromstring(page(body))
    prune_tree(tree, story=story)
    assert all(line in tree.text_content() for line in facts)
    ld = json.dumps({"@type": "NewsArticle", "articleBody": story + " Not on the page."})
    html = page(body, head=f'<script type="application/ld+json">{ld}</script>')
    article = extract_article(html, URL, min_words=0)
    assert article is not None
    assert facts[0] in article.text and "Not on the page" not in article.text


def test_one_budget_for_the_page_holds_every_rule() -> None:
    """What the markup rules would remove is most of the page's text: nothing is removed."""
    lines = [f"Item {n}: the council heard residents from district {n} on the bus plan today"
             for n in range(8)]
    body = "".join(f'<div class="share-{n}"><p>{line}</p></div>' for n, line in enumerate(lines))
    body += f"<p>{PROSE['en'][0]}</p>"
    tree = lxml_html.fromstring(page(body))
    pruned = prune_tree(tree)
    assert pruned.held and pruned.removed == []
    assert all(line in tree.text_content() for line in lines)
    article = extract_article(page(body), URL, min_words=0)
    assert article is not None and article.guard_held


def test_words_of_unspaced_scripts_are_counted_from_characters() -> None:
    assert boilerplate.words("The council voted on Tuesday.") == 5
    japanese = "市議会は火曜日、バス路線網を三つの新しい地区に拡大することを決めた。"
    assert boilerplate.words(japanese) == -(-len(japanese.rstrip("。")) // 2)
    assert boilerplate.words("東京2020年") == 3  # 東京, 2020, 年
    thai = "สภาเมืองลงมติขยายเครือข่ายรถประจำทาง"
    assert boilerplate.words(thai) == -(-len(thai) // 4)
    assert boilerplate.tokens("今日 AB") == ["今", "日", "ab"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
         "paywall"),
        ("CLICK HERE TO GET THE FOX NEWS APP", "app"),
        ("Aktuelle Nachrichten aufs Handy? Hier geht es zur neuen News-App", "app"),
        ("Esta funcionalidad es sólo para suscriptores", "subscribe"),
        ("Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns mit einer Spende",
         "subscribe"),
        ("有料会員になると会員限定の有料記事もお読みいただけます。", "subscribe"),
        ("Ein Klick für den Datenschutz", "consent"),
        ("Questo articolo è riservato agli abbonati", "paywall"),
        ("Bu içerik sadece abonelere özeldir", "paywall"),
        ("Подпишитесь на нашу рассылку", "subscribe"),
        ("Zapisz się do naszego newslettera", "newsletter"),
        ("Reklama", "ad"),
        ("【キャンペーン】有料記事読み放題！今なら2カ月間月額100円", "subscribe"),
        ("Ein Mitglied schenkt dir diesen Artikel.", "paywall"),
        ("A subscriber has gifted you this article.", "paywall"),
        ("광고", "ad"),
    ],
)
def test_promo_vocabulary_in_the_languages_of_the_news(line: str, kind: str) -> None:
    assert boilerplate.promo_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "The paper has 2 million subscribers and said its app grew 12 per cent last year.",
        "Laut Verlag hat der Newsletter inzwischen 40.000 Abonnenten, sagte der Sprecher.",
    ],
)
def test_reporting_on_subscriptions_stays(line: str) -> None:
    assert kept([PROSE["en"][0], line, PROSE["en"][1]]) == [PROSE["en"][0], line, PROSE["en"][1]]



def test_a_newsletter_pitch_to_the_reader_goes() -> None:
    line = "Der BR24 Newsletter informiert Sie immer montags bis freitags über das Wichtigste."
    assert kept([PROSE["de"][0], line, PROSE["de"][1]]) == [PROSE["de"][0], PROSE["de"][1]]


def test_a_newsletter_in_the_news_stays() -> None:
    line = "Der Verlag sagte, der Newsletter habe inzwischen 40.000 Leser."
    assert kept([PROSE["de"][0], line, PROSE["de"][1]]) == [PROSE["de"][0], line, PROSE["de"][1]]


def test_the_line_rules_share_the_page_budget() -> None:
    """Line rules that would take most of the text take nothing; copies and the headline still
    go, and the page is counted."""
    prose = PROSE["en"][0]
    teasers = [f"Route {n} plan and the council's options for district {n}" for n in range(9)]
    lines = ["Buses for three districts", prose, "Read more", *teasers, prose]
    result = filter_paragraphs(lines, title="Buses for three districts")
    assert result.held
    assert result.kept == [prose, "Read more", *teasers]
    assert result.removed == ["headline: Buses for three districts", f"repeat: {prose}"]
    small = filter_paragraphs([prose, "Read more", *teasers[:2], *PROSE["en"][1:]])
    assert not small.held and teasers[0] not in small.kept


# A promo box of short lines (none prose) and promo lines for the text: each alone spends less
# than the page budget on two paragraphs of story, together more.
BUDGET_BOX = (
    '<div class="subscribe-box"><p>Get the morning briefing from our city desk.</p>'
    "<p>Every weekday before seven, the stories the region talks about.</p>"
    "<p>Written by our reporters, free for readers.</p></div>"
)
BUDGET_LINES = [
    "Sign up for our newsletter and get the briefing every morning.",
    "Download our app for the latest news on your phone.",
    "Share this article with your friends and family.",
]


def test_markup_and_line_rules_share_one_budget() -> None:
    """The box alone and the lines alone are under the budget; together they are over it, so
    neither goes: the box is put back before extraction and the page is counted."""
    prose = PROSE["en"][:2]
    story = [prose[0], *BUDGET_LINES, prose[1]]
    alone = [
        (f"<p>{prose[0]}</p>{BUDGET_BOX}<p>{prose[1]}</p>", prose),
        ("".join(f"<p>{line}</p>" for line in story), prose),
    ]
    for body, text in alone:
        article = extract_article(page(body), URL, min_words=0)
        assert article is not None and not article.guard_held
        assert article.text.splitlines() == text
    both = f"<p>{prose[0]}</p>{BUDGET_BOX}" + "".join(f"<p>{line}</p>" for line in story[1:])
    article = extract_article(page(both), URL, min_words=0)
    assert article is not None and article.guard_held and article.boilerplate == []
    assert all(line in article.text for line in BUDGET_LINES)
    assert "morning briefing from our city desk" in article.text


def test_filter_counts_the_markup_rules_words_in_the_budget() -> None:
    lines = [*PROSE["en"][:2], *BUDGET_LINES]
    assert not filter_paragraphs(lines).held
    held = filter_paragraphs(lines, markup_words=25)
    assert held.held and held.kept == lines and held.removed == []
    forced = filter_paragraphs(["Buses for three districts", *lines], hold=True,
                               title="Buses for three districts")
    assert forced.held and forced.kept == lines  # structural rules still act
    assert forced.removed == ["headline: Buses for three districts"]


def test_pruned_elements_are_put_back_where_they_were() -> None:
    html = page(
        f'text <div class="share">Share</div>tail one <p>{PROSE["en"][0]}</p>'
        f'<div class="ad-slot">Ad</div>tail two{BUDGET_BOX}<aside class="related">x</aside>end'
    )
    tree = lxml_html.fromstring(html)
    before = lxml_html.tostring(tree)
    pruned = prune_tree(tree)
    assert len(pruned.removed) == 4 and pruned.words > 0
    assert "tail one" in tree.text_content() and "Share" not in tree.text_content()
    pruned.restore()
    assert lxml_html.tostring(tree) == before
    assert pruned.removed == [] and pruned.words == 0


def _goes_alone(lang: str, line: str, rule: str) -> None:
    """``line`` between two story paragraphs of its language is removed by ``rule``, alone."""
    prose = PROSE[lang if lang in PROSE else "en"]
    result = filter_paragraphs([prose[0], line, prose[1]])
    assert result.kept == [prose[0], prose[1]]
    assert result.removed == [f"{rule}: {line}"]


def _stays_between_prose(line: str) -> None:
    prose = PROSE["en"]
    assert kept([prose[0], line, prose[1]]) == [prose[0], line, prose[1]]


@pytest.mark.parametrize(
    ("lang", "line", "rule"),
    [
        ("en", "Follow The Daily Courier on Instagram and TikTok for updates from the newsroom.",
         "follow"),
        ("en", "Like what you read? Follow us on Facebook, X and LinkedIn.", "follow"),
        ("en", "Join our readers' Facebook group to talk about the week's stories.", "follow"),
        ("de", "Folgen Sie uns auf Instagram, Facebook und WhatsApp.", "share"),
        ("en", "Back to blog", "nav"),
        ("en", "Table of Contents", "nav"),
        ("en", "Book a demo", "cta"),
        ("en", "As an affiliate partner, we earn from qualifying purchases.", "affiliate"),
        ("en", "Products are picked by our writers. Sales made through our links may earn us a "
         "commission.", "affiliate"),
        ("en", "This newsletter is funded by readers like you.", "subscribe"),
        ("en", "Get the print edition every month: 12 issues for £29.", "subscribe"),
        ("de", "Für die Nutzung dieser Inhalte ist ein Abonnement erforderlich.", "subscribe"),
        ("de", "Das kostet Zeit und Geld. Sie können das unterstützen: jetzt abonnieren!",
         "subscribe"),
        ("de", "Sie wollen mehr? Dann sind Sie beim wöchentlichen Kultur-Newsletter richtig.",
         "newsletter"),
        ("es", "¿Quieres compartir tu suscripción con otra persona de tu casa?", "subscribe"),
        ("en", "Cloud costs explained for small teams (Sponsored)", "ad"),
        ("en", "Enjoy the Morning Brief? Tell your friends and earn rewards.", "newsletter"),
        ("en", "Written by Maria Lopez", "credit"),
    ],
)
def test_generic_calls_to_action_and_disclosures_go(lang: str, line: str, rule: str) -> None:
    _goes_alone(lang, line, rule)


@pytest.mark.parametrize(
    "line",
    [
        # a story sentence that names affiliate links without disclosing a commission of its own
        "Streamers with 50 followers can run ads, use affiliate links and receive virtual tips.",
        # a reporting sentence on social networks
        "The ministry said it would follow the debate on Facebook and X closely this week.",
        "The band's 12 issues of the fanzine sold for £5 each, the organisers said.",
    ],
)
def test_reporting_on_affiliates_and_social_networks_stays(line: str) -> None:
    _stays_between_prose(line)


def test_reading_time_goes_above_the_story_only() -> None:
    prose = PROSE["en"]
    assert kept(["6 min read", *prose]) == prose
    assert kept([*prose, "6 min read"]) == [*prose, "6 min read"]


@pytest.mark.parametrize(
    ("lang", "line", "rule"),
    [
        ("en", "NOEL CELIS/AFP via Getty Images", "agency"),
        ("de", "(Quelle: APA/sda/dpa)", "agency"),
        ("de", "Externer Inhalt nicht verfügbar", "consent"),
        ("de", "Fehler gefunden? Jetzt melden.", "share"),
        ("de", "Bitte markieren Sie die Wörter im Text. Mit zwei Klicks melden Sie den Fehler der "
         "Redaktion.", "share"),
        ("en", "Got a story? Get in touch with our news team by emailing us at news@paper.example.",
         "share"),
        ("en", "For more stories like this, check our news page.", "nav"),
        ("de", "Wie hat Ihnen dieser Artikel gefallen?", "subscribe"),
        ("de", "Unabhängiger Journalismus braucht deine Unterstützung.", "subscribe"),
        ("de", "Testen Sie für zwei Wochen die gedruckte Zeitung. Sie bekommen sie kostenlos in "
         "Ihren Briefkasten.", "subscribe"),
        ("en", "Start building today with $300 in free credits.", "subscribe"),
        ("en", "Fill out the form for a free quote that includes a custom design.", "subscribe"),
        ("en", "Did you make this recipe? Leave a star rating below.", "subscribe"),
        ("en", "Get daily National news", "newsletter"),
        ("en", "We select everything we recommend. Buying through us may earn us a commission.",
         "affiliate"),
        ("de", "Folgst du schon 20 Minuten auf Whatsapp?", "follow"),
        ("de", "❤ Tagesblatt unterstützen", "subscribe"),
        ("de", "Dann nutzen Sie einen der Links, um Tagesblatt zu unterstützen:", "subscribe"),
        ("en", "Article content", "nav"),
        ("cs", "Článek", "nav"),
        ("en", "- Print Article", "share"),
        ("en", "An error has occurred, please try again later.", "share"),
        ("en", "Also on paper.com Ministers face a vote on the budget next week", "readmore"),
        ("pt", "ATENÇÃO: Comentários ofensivos não serão aprovados pelo moderador.", "share"),
        ("it", "(Leggi anche su: Il nuovo orario dei treni regionali –FOTO)", "readmore"),
        ("en", "Related post: Pickled Brussels Sprouts Recipe", "readmore"),
        ("en", "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports",
         "readmore"),
        ("fr", "À lire aussi La natalité russe menacée d’effondrement", "readmore"),
        ("de", "ssi, dan; Foto [M]: Shutterstock", "credit"),
        ("de", "Sendung: Antenne Brandenburg, Nachrichten am Abend", "credit"),
        ("de", "Dies ist eine maschinelle Übersetzung eines Artikels unserer US-Kollegen.",
         "credit"),
        ("en", "Recommended Videos", "nav"),
        ("en", "Get real-time updates and result insights on the exam results.", "newsletter"),
    ],
)
def test_page_chrome_and_reader_pitches_go(lang: str, line: str, rule: str) -> None:
    _goes_alone(lang, line, rule)


@pytest.mark.parametrize(
    "line",
    [
        # story sentences that hold the same words as a credit, a form or a pitch
        "The pictures of the flood were distributed to newspapers via Getty Images.",
        "The council asked residents to fill out the form by Friday, the mayor said.",
        "Lawmakers said the ministry would talk to our experts next week.",
        "The law took effect on January 22nd, 2019, after a long debate in parliament.",
        "Die Regierung stellt Geld bereit, um die Ukraine zu unterstützen.",
    ],
)
def test_story_sentences_like_chrome_stay(line: str) -> None:
    _stays_between_prose(line)


@pytest.mark.parametrize("related", ["Czytaj więcej", "Weiterführende Links"])
def test_related_headings_of_more_languages_go(related: str) -> None:
    prose = PROSE["de"]
    result = filter_paragraphs([prose[0], related, "Ein anderer Artikel", prose[1]])
    assert result.kept == [prose[0], prose[1]]


@pytest.mark.parametrize(
    "line", ["| Backup Strategy | January 22nd, 2019 |", "Tempo de leitura: 2 minutos",
             "Lesedauer: 4 Minuten", "2025年1月14日 01時28分 (1月14日 01時40分更新)"],
)
def test_dates_and_reading_times_go_at_the_top_only(line: str) -> None:
    prose = PROSE["en"]
    assert kept([line, *prose]) == prose


TEASERS = [
    ("Verkehr", "Neue Buslinien fahren ab Herbst durch drei Bezirke"),
    ("Interview", "Warum die Stadt jetzt mehr Fahrer braucht"),
    ("Haushalt", "Was der Ausbau des Netzes wirklich kostet"),
]


def _list_page(items: list[tuple[str, str]], *, linked: bool) -> str:
    def item(kicker: str, text: str) -> str:
        head = f'<a href="/{abs(hash(text))}">{text}</a>' if linked else text
        return f"<li><strong>{kicker}:</strong> {head}</li>"

    lis = "".join(item(kicker, text) for kicker, text in items)
    prose = PROSE["de"]
    return page(f"<p>{prose[0]}</p><ul>{lis}</ul><p>{prose[1]}</p><p>{prose[2]}</p>", lang="de")


def test_a_list_of_teasers_for_other_articles_goes() -> None:
    article = extract_article(_list_page(TEASERS, linked=True), URL, min_words=0)
    assert article is not None
    assert all(text not in article.text for _, text in TEASERS)
    assert all(line in article.text for line in PROSE["de"])
    assert sum(entry.startswith("teaser: ") for entry in article.boilerplate) == len(TEASERS)


@pytest.mark.parametrize(
    ("items", "linked"),
    [
        (TEASERS, False),  # the same lines, not links: the story's own list
        # a list of picks: each link a product's name, not a headline
        ([("Best overall", "Stitch Fix"), ("Best budget pick", "Braun BrewSense Drip Coffee Maker"),
          ("Runner up", "Ratio Six Coffee Maker Stainless Edition")], True),
    ],
)
def test_lists_that_are_not_teasers_stay(items: list[tuple[str, str]], linked: bool) -> None:
    article = extract_article(_list_page(items, linked=linked), URL, min_words=0)
    assert article is not None
    assert all(text in article.text for _, text in items)


def test_one_teaser_is_not_a_list_of_them() -> None:
    prose = PROSE["de"]
    kicker, text = TEASERS[0]
    lines = [prose[0], f"- {kicker}: {text}", prose[1]]
    assert kept(lines, links={text}) == lines
    assert kept([*lines[:2], f"- {TEASERS[1][0]}: {TEASERS[1][1]}", prose[1]],
                links={text, TEASERS[1][1]}) == [prose[0], prose[1]]


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Fatma Sevinç Çetin", ["Fatma Sevinç Çetin"]),
        ("Von Anna Berg und Jan Roth", ["Anna Berg", "Jan Roth"]),
        ("By Maria Lopez", ["Maria Lopez"]),
    ],
)
def test_a_byline_that_repeats_the_authors_goes(line: str, authors: list[str]) -> None:
    prose = PROSE["en"]
    # above the text, after a standfirst too, and below it
    result = filter_paragraphs([prose[0], line, *prose[1:]], authors=authors)
    assert result.kept == prose and result.removed == [f"byline: {line}"]
    assert kept([*prose, line], authors=authors) == prose


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Maria Lopez", []),  # no author known
        ("Maria", ["Maria Lopez"]),  # part of a name
        ("Maria Lopez said the council had voted.", ["Maria Lopez"]),  # a story sentence
        ("Maria Lopez, Mayor of Springfield", ["Maria Lopez"]),  # more than a byline
    ],
)
def test_lines_that_are_not_the_byline_stay(line: str, authors: list[str]) -> None:
    prose = PROSE["en"]
    lines = [prose[0], line, *prose[1:]]
    assert kept(lines, authors=authors) == lines


def test_a_dated_list_item_with_a_sentence_stays_at_the_top() -> None:
    prose = PROSE["en"]
    line = ("- 2023-06-12 Further arguments for raising awareness on issues of privacy, "
            "data-protection and lock-in situations.")
    assert kept([line, *prose]) == [line, *prose]


def test_a_teaser_kicker_may_end_with_a_question_mark() -> None:
    prose = PROSE["de"]
    items = ["- KI in der Schule? Minister Wildberger: „Werden die KI immer bei uns haben“",
             "- Warnung: Präsidentin schlägt bei Pflege Alarm: „Häuser gehen insolvent“"]
    links = {"Minister Wildberger: „Werden die KI immer bei uns haben“",
             "Präsidentin schlägt bei Pflege Alarm: „Häuser gehen insolvent“"}
    assert kept([prose[0], *items, prose[1]], links=links) == [prose[0], prose[1]]


CLOSING_PITCH = (
    "Buses for Three Districts is a production of the Courier. If you liked this article, please "
    "consider liking, sharing and subscribing to our weekly newsletter, and if you want to help "
    "us keep reporting on the city you can also become a member of the Courier's club today."
)


def test_a_closing_pitch_to_the_reader_goes_from_the_last_line_only() -> None:
    prose = [*PROSE["en"], *PROSE["fr"], *PROSE["es"]]  # a story long enough for the budget
    result = filter_paragraphs([*prose, CLOSING_PITCH])
    assert result.kept == prose and result.removed == [f"subscribe: {CLOSING_PITCH}"]
    # the same words in the middle of the story, or reported, are the story's
    assert kept([prose[0], CLOSING_PITCH, *prose[1:]]) == [prose[0], CLOSING_PITCH, *prose[1:]]
    reported = CLOSING_PITCH + " The club has 2 million members, the editor said."
    assert kept([*prose, reported]) == [*prose, reported]
