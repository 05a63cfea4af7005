"""Text from files is shown as text; links only to https:// addresses and DOIs."""

from __future__ import annotations

import pytest

from analysis.report.text import html_link, html_text, md_link, md_text, safe_href, signs_joined

HOSTILE = "<script>alert('x')</script> [click](javascript:alert(1)) **bold** <img src=x onerror=y>"


def test_markdown_text_cannot_open_a_tag_a_link_or_emphasis() -> None:
    out = md_text(HOSTILE)
    assert "<" not in out and ">" not in out
    assert "[" not in out.replace("\\[", "") and "](" not in out.replace("\\]\\(", "")
    assert "**" not in out.replace("\\*\\*", "")
    assert md_text("two\nlines  here") == "two lines here"


def test_html_text_escapes_tags_and_quotes() -> None:
    assert html_text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


@pytest.mark.parametrize(
    ("url", "href"),
    [
        (
            "https://www.federalregister.gov/d/2025-06063",
            "https://www.federalregister.gov/d/2025-06063",
        ),
        ("doi:10.1257/jep.33.4.187", "https://doi.org/10.1257/jep.33.4.187"),
        ("https://x.org/a b", None),
        ("http://insecure.example", None),
        ("javascript:alert(1)", None),
        ("repo:tariff-reports/analysis/data/SOURCES.md", None),
        ('https://x.org/"onmouseover="alert(1)', "https://x.org/%22onmouseover=%22alert%281%29"),
    ],
)
def test_only_https_and_doi_become_links(url: str, href: str | None) -> None:
    got = safe_href(url)
    if href is None:
        assert got is None
    else:
        assert got is not None and got.replace("(", "%28").replace(")", "%29") == href


def test_links_in_markdown_and_html() -> None:
    fr = "https://www.federalregister.gov/d/2025-06063"
    assert md_link("EO 14257", fr) == f"[EO 14257]({fr})"
    assert html_link("EO <14257>", fr) == f'<a href="{fr}">EO &lt;14257&gt;</a>'
    assert md_link("x", "javascript:alert(1)") == "x (javascript:alert\\(1\\))"
    assert html_link("x", "javascript:alert(1)") == "x (javascript:alert(1))"


def test_partners_are_named_for_readers() -> None:
    from analysis.report.text import partner_label

    assert partner_label("japan") == "Japan" and partner_label("ftrow") == "Other FTA partners"
    assert partner_label("atlantis") == "atlantis"


def test_quotes_stay_quotes_so_a_title_never_shows_an_entity() -> None:
    """An escaped quote (&#x27;) would have its # escaped for Markdown and show as text."""
    import mistune

    text = md_text("Japanese automakers 'slash' prices & <b>")
    assert "&#x27;" not in text and "'slash'" in text
    rendered = mistune.html(text)
    assert "'slash'" in rendered and "&amp;" in rendered and "<b>" not in rendered


def test_text_for_readers_drops_internal_notes_and_names_partners() -> None:
    from analysis.report.text import for_readers

    text = "On 15 Apr every member of ftrow paid 10% (docs/research/law_2026.md)."
    assert for_readers(text) == "On 15 Apr every member of other FTA partners paid 10%."
    assert for_readers("NO VERIFIED SOURCE") == "source not verified"
    assert for_readers("see ftrow.csv") == "see ftrow.csv"  # a file name stays
    assert for_readers("every member of ftrow and row paid") == (
        "every member of other FTA partners and the rest of the world paid"
    )
    # A cell that is the id alone, or a sentence that starts with it, starts with a capital
    # (FINDINGS5 #11: "other FTA partners" at the start of a table cell).
    assert for_readers("ftrow") == "Other FTA partners"
    assert for_readers("Paid 10%. ftrow paid 11%") == "Paid 10%. Other FTA partners paid 11%"


def test_weak_and_internal_sources_are_never_shown_as_sources() -> None:
    from analysis.report.text import for_readers, html_link, md_link, reputable

    assert reputable("https://www.federalregister.gov/d/2025-06063") and reputable("doi:10.1/x")
    assert reputable("https://fred.stlouisfed.org/series/X")  # a subdomain of a reputable host
    assert not reputable("https://legistrack.vercel.app/bills/eo/1")
    assert not reputable("https://notgov.example/x") and not reputable("http://www.census.gov/")
    assert html_link("EO 14257", "https://www.executiveactions.org/304") == (
        "EO 14257 (source not verified)"
    )
    assert md_link("EO", "https://blog.example/x") == "EO (source not verified)"
    weak = "https://blog.example/x"
    assert html_link(weak, weak) == md_link(weak, weak) == "source not verified"
    assert html_link("Notes", "repo:tariff-reports/analysis/data/SOURCES.md") == "Notes"
    note = "1 (x; the prior spans 50% (repo:tariff-reports/params/elasticities.yaml)"
    assert "repo:" not in for_readers(note)
    assert for_readers("Rates. Secondary source (Mint/WSJ). Next") == (
        "Rates. Source not verified (reported by Mint/WSJ). Next"
    )
    assert for_readers("list. Secondary: the order was not read") == (
        "list. Source not verified: the order was not read"
    )
    assert for_readers("a copy (secondary host). The figure could not be read offline.") == (
        "a copy (source not verified against the original). The figure was not checked."
    )
    assert for_readers(
        "EO (90 FR 15041; the Annex I rates are also listed at x.com/a); paused"
    ) == ("EO (90 FR 15041); paused")


def test_a_hyphen_before_a_number_is_a_minus_sign() -> None:
    from analysis.report.text import minus_signs

    assert minus_signs("price -19.4%, -$3 bn (-0.9%)") == "price −19.4%, −$3 bn (−0.9%)"
    for kept in ("2025-06-01", "HS 8703-10", "pre-2025", "x--1"):
        assert minus_signs(kept) == kept
    assert md_text("fell -2.4%") == "fell −2\\.4%"


def test_scenario_titles_read_inside_a_sentence() -> None:
    from analysis.report.text import scenario_in_sentence

    assert scenario_in_sentence("Before 2025 (MFN, Section 301 on China)") == (
        "the law before 2025 (MFN, Section 301 on China)"
    )
    assert scenario_in_sentence("The 15% deal (EO 14345)") == "the 15% deal (EO 14345)"
    assert scenario_in_sentence("Japan at 30% (threatened on 1 July 2025)") == (
        "Japan at 30% (threatened on 1 July 2025)"
    )


def test_labels_keep_names_and_acronyms_inside_a_sentence() -> None:
    from analysis.report.text import in_sentence

    assert in_sentence("Substitution elasticity between sources") == (
        "substitution elasticity between sources"
    )
    assert in_sentence("US producers' supply elasticity") == "US producers' supply elasticity"
    assert in_sentence("Japan's car supply fitted to 2025") == "Japan's car supply fitted to 2025"


def test_partner_possessives_are_english() -> None:
    from analysis.report.text import possessive

    # a group, not a proper name: lower-case inside a sentence, capitalised at its start
    assert possessive("Other FTA partners") == "other FTA partners'"
    assert possessive("Other FTA partners", start=True) == "Other FTA partners'"
    assert possessive("European Union", start=True) == "The European Union's"
    assert possessive("Rest of world", start=True) == "The rest of the world's"
    assert possessive("Rest of world") == "the rest of the world's"
    assert possessive("Japan") == "Japan's"


def test_pronouns_articles_and_verbs_agree_with_plural_partner_names() -> None:
    from analysis.report.text import PARTNER_LABELS, its, subject, verb

    assert its("Other FTA partners") == "their" and its("US producers") == "their"
    assert its("European Union") == "its" and its("Japan") == "its"
    assert subject("European Union", start=True) == "The European Union"
    assert subject("Rest of world") == "the rest of the world"
    assert subject("Other FTA partners") == "other FTA partners"
    assert subject("Other FTA partners", start=True) == "Other FTA partners"
    assert subject("Japan", start=True) == "Japan"
    assert verb("Other FTA partners", "is", "are") == "are" and verb("Japan", "sells", "sell") == (
        "sells"
    )
    # Every partner name ending in "s" is a plural group or said with its article.
    for name in PARTNER_LABELS.values():
        if name.endswith("s"):
            assert its(name) == "their", name


def test_no_sentence_template_says_its_after_a_partner_name() -> None:
    """Sentence templates name the partner through the helpers (``its(who)``,
    ``possessive(who)``), never a bare "{who}'s" or "its" after it, which read "Other FTA
    partners's" and "Other FTA partners ... its sales" (issue 18)."""
    import re

    from analysis.inputs.paths import PROJECT_DIR

    for path in sorted((PROJECT_DIR / "notebooks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\{who\}'s", text), f"{path.name}: {{who}}'s"
        for line in text.splitlines():
            if "{who}" in line or "possessive(who" in line:
                assert not re.search(r"\bits (sales|US sales|tariff|exports|own)\b", line), (
                    f"{path.name}: {line.strip()}"
                )


def test_a_sign_is_joined_to_its_amount_so_a_line_cannot_break_after_it() -> None:
    joined = signs_joined("sales −$37.2 bn, −$29.2 bn (−20.2%), +4.2% and 1.6% + 12.5%")
    assert joined == (
        "sales −\u2060$37.2 bn, −\u2060$29.2 bn (−\u206020.2%), +\u20604.2% and 1.6% + 12.5%"
    )
    assert signs_joined(joined) == joined  # joined once, never twice
    assert (
        signs_joined("https://x.gov/?q=a+1 and 9903.82.02") == "https://x.gov/?q=a+1 and 9903.82.02"
    )


def test_no_sentence_template_puts_a_bare_partner_name_after_a_word() -> None:
    """Inside a sentence a partner's name goes through ``subject(who)`` (or ``possessive``):
    a bare "{who}" after "on", "from", "in"... read "US tariff on Rest of world" and
    "revenue from Other FTA partners" (issue 18's fourth review)."""
    import re

    from analysis.inputs.paths import PROJECT_DIR

    bare = re.compile(r"\b[a-z]+ \{(?:md_text\(|html\.escape\()?who\)?\}")
    paths = [
        *sorted((PROJECT_DIR / "notebooks").glob("*.py")),
        *sorted((PROJECT_DIR / "analysis" / "report").glob("*.py")),
    ]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not bare.search(line), f"{path.name}: {line.strip()}"
    assert bare.search('f"US tariff on {who}, peak"') and bare.search("from {md_text(who)}")
