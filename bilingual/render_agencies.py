"""English of agency lists, agency clauses and role lines, by rule from the glossary.

The part of :mod:`bilingual.render` that reads who does what: ``（上海海关、市公安局）`` → a
"; "-joined list of glossary names; ``（海关总署牵头，各有关部门配合）`` → ``(Lead agencies: ….
Partner agencies: …)``; ``责任单位：A`` → ``Lead agencies: A``; 按职责分工负责 → one phrase,
the glossary's. A name the glossary does not know stays in Chinese, fuzzy, with a comment:
these lines are never sent to an engine. Addressees made of known names, a reply's list of
provinces sharing one 人民政府 included, are rendered the same way (:func:`render_addressee`).
"""

from __future__ import annotations

import re

from .render import LIST_SPLIT_RE, ROLE_LABELS, ROLE_RE, Rendered, _missing, render_deadline


def _role(text: str) -> tuple[str, str]:
    """(role, rest) of ``责任单位：A、B`` — role ``agencies`` | ``partners`` | ``deadline``, or ``""``."""
    match = ROLE_RE.match(text)
    if not match:
        return "", text
    return match.lastgroup or "", text[match.end():]


def render_name_list(text: str, glossary) -> Rendered:
    """Agency lists and single names: every name from the glossary, never MT.

    Groups separated by ；may each start with a role (``牵头单位：市商务委；配合单位：市财政局``):
    the role becomes its English label and the groups are joined with ". ".
    """
    from .glossary import render_terms_only

    # A clause with roles (牵头, 配合, 按职责分工负责, 等) first: its role words are no agencies, even
    # where the glossary knows them as phrases ("…; each according to …" listed like a body).
    clause = render_agency_clause(text, glossary)
    if clause is not None:
        return clause
    english = render_terms_only(text, glossary) if glossary is not None else None
    if english is not None:
        return Rendered(english, "glossary")
    inner = text.strip()
    wrapped = inner[:1] in "（(" and inner[-1:] in "）)"
    if wrapped:
        inner = inner[1:-1].strip()
    groups = [g.strip() for g in re.split(r"[；;]", inner) if g.strip()]
    roles = [_role(g) for g in groups]
    if not any(role for role, _ in roles):
        roles = [("", inner)]
    rendered, missing = [], []
    for role, names in roles:
        parts = []
        for name in (p.strip() for p in LIST_SPLIT_RE.split(names)):
            if not name:
                continue
            term = glossary.lookup(name) if glossary is not None else None
            if term is None:
                missing.append(name)
                parts.append(name)
            else:
                parts.append(glossary.english(term))
        joined = "; ".join(parts)
        rendered.append(f"{ROLE_LABELS[role]}: {joined}" if role else joined)
    joined = ". ".join(rendered)
    comments = [_missing(name) for name in missing]
    return Rendered(f"({joined})" if wrapped else joined, "glossary", fuzzy=bool(missing), comments=comments)


#: The notes that follow an agency list (排名不分先后, 下同), in English.
AGENCY_NOTES = (
    (re.compile(r"按行政序列排序"), "listed in administrative order"),
    (re.compile(r"不分先后"), "listed in no particular order"),
    (re.compile(r"^(?:以下同|下同)$"), "the same applies below"),
)


SHARED = "按职责分工负责"
SHARED_ENGLISH = "each according to its responsibilities"


def shared_english(glossary) -> str:
    """The one English of 按职责分工负责 closing an agency clause: the glossary's, else its default."""
    term = glossary.lookup(SHARED) if glossary is not None else None
    return glossary.english(term) if term is not None else SHARED_ENGLISH


def render_agency_clause(text: str, glossary) -> Rendered | None:
    """An agency clause the plain list rule cannot read, split by :func:`bilingual.structure.parse_clause`.

    ``(责任单位: 青岛海关、山东港口青岛港集团按职责分工负责。各相关单位按行政序列排序, 下同)`` →
    ``(Lead agencies: Qingdao Customs; Shandong Port Qingdao Port Group, each according to its
    responsibilities. Listed in administrative order; the same applies below)``;
    ``（海关总署牵头，各有关部门配合）`` → ``(Lead agencies: …. Partner agencies: …)``;
    ``（海关总署、商务部等按职责分工负责）`` → ``(…; … and others, each according to its responsibilities)`` — one phrase for
    按职责分工负责 (:func:`shared_english`, the glossary's), never listed like a body.
    None for a plain list of names (``（上海海关、市公安局）``: the list rule renders it) or text
    that is no agency clause. Names come from the glossary only; a missing one stays in Chinese,
    fuzzy, with a comment.
    """
    from .structure import parse_clause

    clause = parse_clause(text)
    if clause is None:
        return None
    grouped = _render_role_groups(text, glossary)
    if grouped is not None:
        return grouped
    inner = text.strip()
    wrapped = inner[:1] in "（(" and inner[-1:] in "）)"
    plain = [n.strip() for n in LIST_SPLIT_RE.split(inner[1:-1] if wrapped else inner) if n.strip()]
    if not (clause.explicit or clause.shared or clause.others or clause.note) and plain == list(clause.names):
        return None
    missing: list[str] = []

    def names(group: tuple[str, ...]) -> str:
        return _names_english(group, glossary, missing)

    lead = names(clause.lead) + (" and others" if clause.others and not clause.partners else "")
    labelled = clause.partners or ROLE_RE.match(inner[1:] if wrapped else inner)
    parts = [f"{ROLE_LABELS['agencies']}: {lead}" if labelled and clause.lead else lead]
    if clause.partners:
        parts = [p for p in parts if clause.lead]
        parts.append(f"{ROLE_LABELS['partners']}: {names(clause.partners)}")
    english = ". ".join(parts)
    if clause.shared:
        english += f", {shared_english(glossary)}"
    if clause.note:
        notes = []
        for piece in (p.strip() for p in re.split(r"[,，]", clause.note) if p.strip()):
            found = next((en for pattern, en in AGENCY_NOTES if pattern.search(piece)), None)
            notes.append(found or piece)
            if found is None:
                missing.append(piece)
        english += ". " + "; ".join(notes).capitalize()
    comments = [_missing(name) for name in missing]
    if not wrapped and inner.endswith("。"):  # a clause written as a sentence (…按职责分工负责。) ends as one
        english += "."
    return Rendered(f"({english})" if wrapped else english, "glossary", fuzzy=bool(missing), comments=comments)


def _names_english(names, glossary, missing: list[str]) -> str:
    """Each name's glossary English, "; "-joined; an unknown one stays Chinese and goes to ``missing``."""
    out = []
    for name in (n for n in names if n):
        term = glossary.lookup(name) if glossary is not None else None
        if term is None:
            missing.append(name)
        out.append(name if term is None else glossary.english(term))
    return "; ".join(out)


#: Written lead roles that name the body in charge (牵头单位) and those that name the bodies
#: sharing the work (责任单位): distinct labels when one clause writes both.
_IN_CHARGE = ("牵头", "主办", "主责")
RESPONSIBLE_LABEL = "Responsible agencies"


def _render_role_groups(text: str, glossary) -> Rendered | None:
    """``(牵头单位：A；责任单位：B、C)`` → ``(Lead agencies: A. Responsible agencies: B; C)``.

    Only for a clause whose groups write different roles; each group keeps its own label
    (责任单位 alone stays "Lead agencies", the house rendering of a single responsible group).
    None when the clause has fewer than two role groups.
    """
    from .structure import parse_clause
    from .structure.agencies import role_groups
    from .structure.fold import fold

    groups = role_groups(text)
    if not groups or len(groups) < 2 or any(kind == "deadline" for kind, _, _ in groups):
        return None
    words = [fold(word) for _, word, _ in groups]
    in_charge = any(w.startswith(_IN_CHARGE) for w in words)
    parts, missing = [], []
    for (kind, _word, value), folded in zip(groups, words, strict=True):
        if kind == "partners":
            label = ROLE_LABELS["partners"]
        elif in_charge and not folded.startswith(_IN_CHARGE):
            label = RESPONSIBLE_LABEL
        else:
            label = ROLE_LABELS["agencies"]
        clause = parse_clause(value)
        names = clause.names if clause is not None else tuple(n.strip() for n in LIST_SPLIT_RE.split(value))
        english = _names_english(names, glossary, missing)
        english += " and others" if clause is not None and clause.others else ""
        if clause is not None and clause.shared:
            english += f", {shared_english(glossary)}"
        parts.append(f"{label}: {english}")
    inner = text.strip()
    wrapped = inner[:1] in "（(" and inner[-1:] in "）)"
    joined = ". ".join(parts)
    return Rendered(f"({joined})" if wrapped else joined, "glossary", fuzzy=bool(missing),
                    comments=[_missing(name) for name in missing])


def render_role_line(text: str, glossary, role: str = "") -> Rendered | None:
    """A lead-agency, partner or deadline segment, with or without its role written in front.

    ``role`` is the role the segment's key gives (``agencies``, ``partners``, ``deadline``);
    a role written in the text wins. The label appears in the English only when it is in the
    Chinese (``责任单位：A`` → ``Lead agencies: A``; ``A`` → ``A``).
    """
    written, rest = _role(text)
    kind = written or role
    if kind == "deadline":
        english = render_deadline(rest)
        if english is None:
            return None
        return Rendered(f"{ROLE_LABELS['deadline']}: {english}" if written else english, "rule (deadline)")
    if not rest.strip():
        return None
    names = render_name_list(rest, glossary)
    if written:
        names.text = f"{ROLE_LABELS[written]}: {names.text}"
    return names


#: A head several places share in an addressee: ``河北省、山西省…人民政府`` is each one's government.
_SHARED_HEADS = (("人民政府", "people's governments of {}"),)


def _places_english(places: list[str], glossary) -> str | None:
    """``Hebei Province, Shanxi Province, and Xinjiang Uygur Autonomous Region``; None unless every
    piece is a place the glossary knows."""
    english = []
    for place in places:
        term = glossary.lookup(place)
        if term is None or term.kind != "place":
            return None
        english.append(glossary.english(term))
    if len(english) < 2:
        return None
    return ", ".join(english[:-1]) + (", and " if len(english) > 2 else " and ") + english[-1]


def render_addressee(text: str, glossary) -> Rendered | None:
    """The addressee from the glossary when every body in it is known, else None (MT).

    Groups separated by ，/,/；are bodies or collective addressees the glossary has
    (``海关总署``, ``各省、自治区、直辖市人民政府``), or places sharing a head, as a State Council
    reply addresses the provinces that asked for it: ``河北省、山西省、…、新疆维吾尔自治区人民政府,商务部:``
    → ``people's governments of Hebei Province, Shanxi Province, …, and Xinjiang Uygur Autonomous
    Region; Ministry of Commerce of the People's Republic of China (MOFCOM):`` (the groups
    "; "-joined, as the glossary's own list rendering joins them).
    """
    if glossary is None:
        return None
    body = text.strip()
    colon = body[-1:] if body[-1:] in "：:" else ""
    groups = [g.strip() for g in re.split(r"[，,；;]", body[: len(body) - len(colon)]) if g.strip()]
    if not groups:
        return None
    parts = []
    for group in groups:
        term = glossary.lookup(group)
        if term is not None:
            parts.append(glossary.english(term))
            continue
        head = next(((zh, en) for zh, en in _SHARED_HEADS if group.endswith(zh)), None)
        places = _places_english(group[: -len(head[0])].split("、"), glossary) if head else None
        if places is None:
            return None
        parts.append(head[1].format(places))
    return Rendered("; ".join(parts) + (":" if colon else ""), "glossary")
