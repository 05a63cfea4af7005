"""Text from files and parameters, made safe for a report: shown as text, never as markup.

Titles, descriptions, reasons and reference titles come from YAML files anyone can share, so
every one of them goes through :func:`md_text` (in Markdown) or :func:`html_text` (in HTML).
Links are made only for ``https://`` addresses and DOIs; anything else is shown as text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

# Markdown punctuation that could start emphasis, a link, an image, code, a heading, a table
# cell or raw HTML; each is shown literally when preceded by a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
# Characters allowed to stay as they are inside a link target (everything else is escaped).
_URL_SAFE = "/:?&=#%@+,;~.-_!*'$"


# How a reader sees each partner region (the data's ids are for code).
PARTNER_LABELS = {
    "china": "China",
    "canada": "Canada",
    "mexico": "Mexico",
    "uk": "United Kingdom",
    "japan": "Japan",
    "eu": "European Union",
    "ftrow": "Other FTA partners",
    "row": "Rest of world",
    "all": "All imports",
    "us": "US producers",
}


def partner_label(partner: str) -> str:
    """``japan`` -> ``Japan``; an unknown id is shown as it is."""
    return PARTNER_LABELS.get(partner, partner)


def html_text(value: object) -> str:
    """``value`` as HTML text: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape(str(value), quote=True)


#: A hyphen used as a minus sign: before a number (or $number), not inside a word, a date or a
#: range ("-19.4%", "-$3 bn"; not "2025-06-01", "HS 8703-10", "pre-2025").
_MINUS = re.compile(r"(?<![\w\-−])-(?=\$?\d)")


def minus_signs(text: str) -> str:
    """``text`` with the minus sign (U+2212) where a hyphen stands for one."""
    return _MINUS.sub("−", text)


#: A sign right before an amount ("−$29.2 bn", "−20.2%"), not yet joined to it.
_LOOSE_SIGN = re.compile(r"(?<![\w/=&?%.])([−+])(?=[$\d])")


def signs_joined(text: str) -> str:
    """``text`` with every sign joined to the amount after it by a word joiner (U+2060), so a
    line never breaks between "−" and "$29.2 bn" (a line-end "−" reads as a dash and the
    amount as positive)."""
    return _LOOSE_SIGN.sub("\\1\u2060", text)


def md_text(value: object) -> str:
    """``value`` as Markdown text: no markup, no raw HTML, on one line, minus signs set."""
    flat = minus_signs(" ".join(str(value).split()))
    # Quotes stay as they are: an entity such as &#x27; would have its # escaped below and
    # show as text. Outside attributes, quotes cannot start markup.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def safe_href(url: str) -> str | None:
    """The address a link may point to: ``https://`` as given (percent-encoded where needed),
    ``doi:X`` as ``https://doi.org/X``; None for anything else (``http:``, ``repo:``, ...)."""
    url = url.strip()
    if url.startswith("doi:"):
        return "https://doi.org/" + quote(url[4:].strip(), safe=_URL_SAFE)
    if url.startswith("https://") and not any(c.isspace() for c in url):
        return quote(url, safe=_URL_SAFE)
    return None


#: Publishers readers can cite: governments, courts, central banks, statistical offices,
#: international organisations, journals and research institutes, and newspapers of record.
#: A link to any other host is shown as its title and "source not verified".
REPUTABLE_HOSTS = (
    "gov", "gov.uk", "go.jp", "gc.ca", "canada.ca", "europa.eu", "gob.mx", "gov.cn", "gov.in",
    "usitc.gov", "federalregister.gov", "govinfo.gov", "supremecourt.gov", "whitehouse.gov",
    "congress.gov", "stlouisfed.org", "newyorkfed.org", "federalreserve.gov", "boj.or.jp",
    "oecd.org", "wto.org", "imf.org", "worldbank.org", "un.org", "unctad.org", "wits.worldbank.org",
    "budgetlab.yale.edu", "piie.com", "nber.org", "voxeu.org", "cepr.org", "brookings.edu",
    "taxfoundation.org", "aeaweb.org", "doi.org", "purdue.edu", "ssrn.com", "govdelivery.com",
    "yomiuri.co.jp", "japantoday.com", "nippon.com", "nikkei.com", "reuters.com", "apnews.com",
    "ft.com", "wsj.com", "bloomberg.com", "nytimes.com",
)  # fmt: skip


def reputable(url: str) -> bool:
    """True for a DOI or an ``https://`` address on a host of :data:`REPUTABLE_HOSTS` (or
    any of their subdomains)."""
    href = safe_href(url)
    if href is None:
        return False
    host = href.split("/", 3)[2].split(":")[0].lower()
    return any(host == h or host.endswith("." + h) for h in REPUTABLE_HOSTS)


UNVERIFIED = "source not verified"


def md_link(title: object, url: str) -> str:
    """A Markdown link to ``url`` (see :func:`safe_href`), or the title and address as text;
    the title and "source not verified" for an address not on a reputable host."""
    if not url.strip() or url.startswith("repo:"):
        return md_text(title)
    href = safe_href(url)
    if href is not None and not reputable(url):
        return (
            UNVERIFIED if str(title).strip() == url.strip() else f"{md_text(title)} ({UNVERIFIED})"
        )
    if href is None:
        return f"{md_text(title)} ({md_text(url)})"
    return f"[{md_text(title)}]({href.replace('(', '%28').replace(')', '%29')})"


def html_link(title: object, url: str) -> str:
    """An HTML link to ``url`` (see :func:`safe_href`), or the title and address as text;
    the title and "source not verified" for an address not on a reputable host; the title
    alone for a file of this project (``repo:``) or no address."""
    if not url.strip() or url.startswith("repo:"):
        return html_text(title)
    href = safe_href(url)
    if href is not None and not reputable(url):  # the address itself is not shown either
        return (
            UNVERIFIED
            if str(title).strip() == url.strip()
            else f"{html_text(title)} ({UNVERIFIED})"
        )
    if href is None:
        return f"{html_text(title)} ({html_text(url)})"
    return f'<a href="{html_text(href)}">{html_text(title)}</a>'


_INTERNAL_NOTE = re.compile(
    r"\s*\([^()]*(?:docs/research|repo:)[^()]*\)|\s*(?:docs/research/|repo:)\S+"
)
#: How the project's notes on a source's standing read to a reader (pattern, words).
_STANDING = (
    (re.compile(r"NO VERIFIED SOURCE: a modelling assumption"), "Modelling assumption"),
    (re.compile(r"NO VERIFIED SOURCE|[Nn]o published source found"), UNVERIFIED),
    (re.compile(r"\bNOT an estimate"), "not an estimate"),
    (re.compile(r"Secondary source \(([^()]*)\)"), r"Source not verified (reported by \1)"),
    (re.compile(r"Secondary(?: source)?(?=[.:;,)]|$)"), "Source not verified"),
    (re.compile(r"\s*\(secondary host\)"), f" ({UNVERIFIED} against the original)"),
    (re.compile(r";?\s*the Annex I rates are also listed at \S+?(?=\)|;|$)"), ""),
    (re.compile(r",?\s*could not be read offline"), " was not checked"),
)
_PARTNER_ID = re.compile(r"(?<![\w/.-])ftrow(?![\w/-]|\.\w)")


def for_readers(text: str) -> str:
    """Text from the project's files as readers see it: the internal research notes
    (``docs/research``) and the project's own files (``repo:``) are working files, not
    sources, so mentions of them are dropped; a missing or secondary source is said in plain
    words ("source not verified"); the partner id ``ftrow`` is named."""
    text = minus_signs(_INTERNAL_NOTE.sub("", text))
    for pattern, words in _STANDING:
        text = pattern.sub(words, text)
    text = text.replace("ftrow and row", "ftrow and the rest of the world")  # ids in a pair
    text = text.strip()
    name = PARTNER_LABELS["ftrow"]

    def named(match: re.Match[str]) -> str:
        # capitalised where a cell or a sentence starts, else lower case inside the sentence
        before = text[: match.start()].rstrip()
        starts = not before or before.endswith((".", "!", "?"))
        return name if starts else name[0].lower() + name[1:]

    return _PARTNER_ID.sub(named, text)


#: The project's own files: a build script is said in words, any other file is dropped.
_PROJECT_FILE = re.compile(
    r"\s*\((?P<inner>[^()]*\b(?P<dir>data_build|analysis|params|notebooks|tests)/[\w./-]+[^()]*)\)"
)
_COMMIT = re.compile(
    r",?\s*(?:@|\bat|\bblob)\s+(?=[a-f]*\d)[0-9a-f]{7,40}\b|,?\s*@\s*[0-9a-f]{7,40}\b"
)
#: A file or folder of a public repository, after its repository's name or on its own.
_REPO_PATH = re.compile(
    r"(?P<repo>\b[A-Z][\w-]*/[\w.-]+)?,?\s*(?<![\w/])(?P<path>(?:[a-z][\w.-]*/)+"
    r"(?:[\w.-]+\.(?:py|csv|txt|yaml|yml|json|parquet)\b)?)(?![\w/])"
)
_CODE_NAME = (
    (re.compile(r"\s+[\w.-]+\.(?:py|csv|txt|yaml|yml|json|parquet)\b"), ""),  # a bare file
    (re.compile(r"\s*\(indicator [A-Z_]+\)"), ""),
    (re.compile(r"economy_wide_evidence\.\w+ below"), "the economy-wide evidence below"),
)


def _repo_path(match: re.Match[str]) -> str:
    if match["repo"]:
        return str(match["repo"])
    return " data files" if match.group(0)[:1].isspace() else "data files"


#: A measure's file id of one word after its statute ("section232_drones").
_MEASURE_ID = re.compile(r"\bsection(?P<section>\d+)_(?P<what>[a-z]+)\b")


def _measure_in_words(match: re.Match[str]) -> str:
    words = f"the Section {match['section']} measure on {match['what']}"
    before = match.string[: match.start()].rstrip()
    return words[:1].upper() + words[1:] if before == "" or before.endswith(".") else words


def cited_in_words(text: str, names: dict[str, str] | None = None) -> str:
    """A citation with no file paths, commits or code names: the project's build scripts are
    said in words ("rebuilt from the public source by the project's data scripts"), its other
    files dropped, a public repository's files named by the repository; ``names`` maps code
    names (parameters) to readers' labels."""

    def project(match: re.Match[str]) -> str:
        if match["dir"] == "data_build":
            return " (rebuilt from the public source by the project's data scripts)"
        return ""

    text = _PROJECT_FILE.sub(project, text)
    text = _REPO_PATH.sub(_repo_path, _COMMIT.sub("", text))
    for pattern, words in _CODE_NAME:
        text = pattern.sub(words, text)
    text = _MEASURE_ID.sub(_measure_in_words, text)
    for code, label in (names or {}).items():
        text = re.sub(rf"\b{code}\b", label[:1].lower() + label[1:], text)
    text = re.sub(r",\s*,", ",", re.sub(r"\s+([,;)])", r"\1", text))
    return re.sub(r"\(\s*[,;]\s*", "(", text).strip()


def scenario_in_sentence(title: str) -> str:
    """A scenario's title inside a sentence: "Before 2025 (MFN, ...)" -> "the law before 2025
    (MFN, ...)", "The 15% deal" -> "the 15% deal"; names ("Japan at 30%") and acronyms are
    left as they are (never lower-cased)."""
    first = title.split(" ", 1)[0]
    if first in ("Before", "Since", "Until"):
        return "the law " + title[:1].lower() + title[1:]
    if first in ("The", "A", "An"):
        return title[:1].lower() + title[1:]
    return title


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter lower-cased unless the first word is a name
    or an acronym ("US producers' ...", "Japan's ..." stay as they are)."""
    first = label.split(" ", 1)[0].removesuffix("'s").removesuffix("'")
    names = {w for name in PARTNER_LABELS.values() for w in name.split()}
    if not first or first in names or first[1:] != first[1:].lower():
        return label
    return label[:1].lower() + label[1:]


#: Partner names read with "the" in a sentence, and how they read there.
_WITH_ARTICLE = {
    "European Union": "European Union",
    "United Kingdom": "United Kingdom",
    "Rest of world": "rest of the world",
}


#: Partner names that are plural ("Other FTA partners' tariffs ... their sales").
_PLURAL = frozenset({"Other FTA partners", "US producers", "All imports"})


def is_plural(name: str) -> bool:
    """``name`` (a partner's) takes a plural verb and pronoun: "Other FTA partners sell"."""
    return name in _PLURAL


def its(name: str) -> str:
    """The pronoun for ``name``'s: "its" (Japan, the European Union), "their" (Other FTA
    partners)."""
    return "their" if is_plural(name) else "its"


#: Partner names that are not proper names, lower-cased inside a sentence.
_COMMON_NAMES = {"Other FTA partners": "other FTA partners"}


def subject(name: str, start: bool = False) -> str:
    """``name`` in a sentence, with its article: "Japan", "the European Union" ("The European
    Union" at the start, ``start``), "the rest of the world", "other FTA partners"."""
    if name in _WITH_ARTICLE:
        return ("The " if start else "the ") + _WITH_ARTICLE[name]
    return name if start else _COMMON_NAMES.get(name, name)


def verb(name: str, singular: str, plural: str) -> str:
    """The verb that agrees with ``name``: ``verb("Japan", "sells", "sell")`` is "sells"."""
    return plural if is_plural(name) else singular


def possessive(name: str, start: bool = False) -> str:
    """``name``'s, in English: "Japan's", "other FTA partners'", "the European Union's" (at
    the start of a sentence, ``start``: "The European Union's", "The rest of the world's")."""
    base = _WITH_ARTICLE.get(name) or (name if start else _COMMON_NAMES.get(name, name))
    owned = base + ("'" if base.endswith("s") else "'s")
    if name in _WITH_ARTICLE:
        return ("The " if start else "the ") + owned
    return owned[:1].upper() + owned[1:] if start else owned
