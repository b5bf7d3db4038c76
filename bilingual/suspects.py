"""Suspect names: a body in the masthead, the signatures or an agency list that no glossary knows.

The README promises that these places are rendered from the glossary alone. A name
the glossary does not know there is nearly always an extraction error (the masthead's
``上海市海归会`` is ``上海海关`` mangled by a PDF) or a body the glossary still lacks —
in neither case may an engine invent an English name for it. The entry gets an empty
``msgstr`` and one ``#. suspect name: <zh> (closest known: <zh2> → <English>)`` comment
per unknown name (closest by :func:`bilingual.termbase.closest_names`, the code behind
``glossary coverage``); ``check`` warns on it and the review page marks it.
"""

from __future__ import annotations

import re
from collections import Counter

from . import model
from .render import LIST_SPLIT_RE, ROLE_LABELS, ROLE_RE

SUSPECT_PREFIX = "suspect name:"
NAME_KINDS = frozenset({model.ISSUER, model.SIGNATORY, model.AGENCIES})
NAME_ROLES = ("agencies", "partners")


def is_name_place(segment) -> bool:
    """A masthead issuer, a signatory, or a lead/partner-agency list."""
    role = segment.ctx.rsplit(".", 1)[-1]
    return segment.kind in NAME_KINDS or (role in ROLE_LABELS and role in NAME_ROLES)


def _known(name: str, glossary) -> bool:
    from .glossary import render_terms_only

    return glossary.lookup(name) is not None or render_terms_only(name, glossary) is not None


def unknown_names(text: str, glossary) -> list[str]:
    """The names of a name list that the glossary does not know, in order."""
    inner = text.strip()
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1].strip()
    if not inner or _known(inner, glossary):
        return []
    from .structure import parse_clause

    clause = parse_clause(text)  # the structure's own reading of an agency clause (roles, notes, 等)
    if clause is not None:
        return list(dict.fromkeys(n for n in (*clause.lead, *clause.partners) if not _known(n, glossary)))
    found: list[str] = []
    for group in re.split(r"[；;]", inner):
        group = ROLE_RE.sub("", group.strip(), count=1)
        for name in (n.strip() for n in LIST_SPLIT_RE.split(group)):
            if not name or _known(name, glossary):
                continue
            if all(_known(part, glossary) for part in name.split()):  # 上海海关 上海海事局 on one line
                continue
            if name not in found:
                found.append(name)
    return found


def suspect_comments(segment, glossary) -> list[str]:
    """``suspect name: …`` lines for the unknown bodies of a name place (empty elsewhere)."""
    if glossary is None or not is_name_place(segment):
        return []
    if _signed_by_a_head(segment):
        return [f"{SUSPECT_PREFIX} {segment.source.strip()} (the office and name of the body's head, a person: "
                "no glossary holds people; write it by hand, the name in pinyin, surname first)"]
    lines = []
    for name in unknown_names(segment.source, glossary):
        closest = closest_known(name, glossary, limit=1)
        if closest:
            hint = f"closest known: {closest[0][0]} → {closest[0][1]}"
        elif _local_short_form(name):  # an issuer-unsure document: no city's or province's short forms
            hint = "a body of the issuing city or province: no known body of that level in the issuer's scope"
        else:
            hint = "no known body is close"
        lines.append(f"{SUSPECT_PREFIX} {name} ({hint})")
    return lines


def _signed_by_a_head(segment) -> bool:
    """An order's signature, ``署 长 牟新生``: a person, not a list of bodies (split by its spaces
    it read as the unknown bodies 署 and 长牟新生, each with a made-up closest body)."""
    from .structure.recognisers import is_official

    return segment.kind == model.SIGNATORY and is_official(segment.source.strip())


def document_suspects(segments, glossary) -> Counter[str]:
    """Every unknown body of a document's name places, with its count: what ``translate`` flags
    (``suspect name:``), for ``glossary coverage`` to report the same names."""
    found: Counter[str] = Counter()
    if glossary is None:
        return found
    for segment in segments:
        if is_name_place(segment) and not _signed_by_a_head(segment):
            found.update(unknown_names(segment.source, glossary))
    return found


def closest_known(name: str, glossary, limit: int = 3) -> list[tuple[str, str, float]]:
    """Known bodies nearest to ``name``; for 市…/省… short forms only the issuer's own bodies of
    that level (never the national body whose short form hides inside: 市发展改革委 ≠ NDRC)."""
    from .termbase import closest_names

    among = _local_body(name[0], glossary) if _local_short_form(name) else None
    return closest_names(name, glossary, limit=limit, among=among)


def _local_short_form(name: str) -> bool:
    """市发展改革委, 省财政厅, 区政府: a short form naming a body of the issuer's own city or province."""
    from .glossary.core import LEVEL_PREFIXES

    return name[:1] in LEVEL_PREFIXES and not name.startswith("市场")


def _local_body(level: str, glossary):
    """Known short forms of the same level that abbreviate a named place's body (市商务局 → 宁波市商务局):
    the only sensible "closest known" for 市…, never the national body (发展改革委 → NDRC)."""
    from .issuer import place_in_name

    def among(zh: str) -> bool:
        term = glossary.lookup(zh)
        return (zh.startswith(level) and term is not None and bool(term.abbreviation_of)
                and place_in_name(glossary.full_form(term).zh) is not None)
    return among
