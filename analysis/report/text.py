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


def md_text(value: object) -> str:
    """``value`` as Markdown text: no markup, no raw HTML, on one line."""
    flat = " ".join(str(value).split())
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


def md_link(title: object, url: str) -> str:
    """A Markdown link to ``url`` (see :func:`safe_href`), or the title and address as text."""
    href = safe_href(url)
    if href is None:
        return f"{md_text(title)} ({md_text(url)})"
    return f"[{md_text(title)}]({href.replace('(', '%28').replace(')', '%29')})"


def html_link(title: object, url: str) -> str:
    """An HTML link to ``url`` (see :func:`safe_href`), or the title and address as text."""
    href = safe_href(url)
    if href is None:
        return f"{html_text(title)} ({html_text(url)})"
    return f'<a href="{html_text(href)}">{html_text(title)}</a>'


_INTERNAL_NOTE = re.compile(r"\s*\([^()]*docs/research[^()]*\)|\s*docs/research/\S+")
_PARTNER_ID = re.compile(r"(?<![\w/.-])ftrow(?![\w/-]|\.\w)")


def for_readers(text: str) -> str:
    """Text from the project's files as readers see it: the internal research notes
    (``docs/research``) are working files, not sources, so mentions of them are dropped; a
    missing source is said in words; the partner id ``ftrow`` is named."""
    text = _INTERNAL_NOTE.sub("", text).replace("NO VERIFIED SOURCE", "no published source found")
    name = PARTNER_LABELS["ftrow"]
    return _PARTNER_ID.sub(name[0].lower() + name[1:], text).strip()
