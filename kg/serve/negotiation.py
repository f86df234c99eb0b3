"""Content negotiation: the media type an ``Accept`` header prefers among those offered
(RFC 9110 section 12.5.1: q-values, ``type/*`` and ``*/*``, the most specific range
deciding), and the language of ``?lang=`` or ``Accept-Language``."""

from __future__ import annotations

LANGUAGES = ("en", "fr")


def _ranges(header: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) of each media range of an Accept header; bad q-values count as 0."""
    found = []
    for part in header.split(","):
        items = [item.strip() for item in part.split(";")]
        media = items[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        q = 1.0
        for param in items[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        found.append((kind.strip(), sub.strip(), q))
    return found


def quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q-value ``ranges`` give ``media_type``: that of the most specific matching range."""
    kind, _, sub = media_type.partition(";")[0].strip().lower().partition("/")
    best, specificity = 0.0, -1
    for r_kind, r_sub, q in ranges:
        if (r_kind, r_sub) == (kind, sub):
            level = 2
        elif r_kind == kind and r_sub == "*":
            level = 1
        elif (r_kind, r_sub) == ("*", "*"):
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers (ties: the first offered); the first
    when there is no Accept header; None when the client accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    if not ranges:
        return offered[0]
    scored = [(quality(media, ranges), -i, media) for i, media in enumerate(offered)]
    q, _, media = max(scored)
    return media if q > 0 else None


def language(query_lang: str | None, accept_language: str | None) -> str:
    """``en`` or ``fr``: ``?lang=`` when it names one, else the best of Accept-Language."""
    if query_lang and query_lang.lower() in LANGUAGES:
        return query_lang.lower()
    best, best_q = "en", 0.0
    for part in (accept_language or "").split(","):
        items = [item.strip() for item in part.split(";")]
        tag = items[0].lower().split("-")[0]
        q = 1.0
        for param in items[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag in LANGUAGES and q > best_q:
            best, best_q = tag, q
    return best
