"""Agency clauses: who is responsible for a measure, in every form documents print it.

Forms recognised (the bodies come out as separate names, in order):

* a final parenthesis of names: ``（上海海关、市公安局）``;
* with a role in front, several groups, a note: ``(责任单位: 青岛海关、山东港口青岛港集团、
  中铁联集青岛中心站按职责分工负责。各相关单位按行政序列排序, 下同)``,
  ``(牵头单位:省发展改革委;责任单位:省编办、省国土资源厅)``;
* with a role after the names: ``（省发展改革委牵头负责）``, ``（海关总署牵头，各有关部门配合）``,
  ``（海关总署、商务部等按职责分工负责）``, ``(…能源局等省有关部门和各地级以上市人民政府按职责分工负责)``;
* groups separated by ``，`` as well as ``、``: ``（省商务厅，省发展改革委、财政厅、交通运输厅）``;
* the same in Traditional characters: ``(牽頭單位:省商務廳)``;
* a final sentence without brackets, made only of bodies and a written role:
  ``…强化服务。省商务厅、省发展改革委等省有关部门和各地级以上市人民政府按职责分工负责。``
  (:func:`sentence_clause`).

``牵头`` / ``责任`` / ``主责`` / ``主办`` / ``负责`` name the bodies responsible (:attr:`AgencyClause.lead`),
``配合`` / ``协办`` / ``参与`` / ``协同`` / ``协助`` those that assist (:attr:`AgencyClause.partners`).
A parenthesis is an agency clause only if it reads as one: names of bodies, with a role or
ending like a body (局, 委, 厅, 海关, 集团 …) — ``（含港澳台，下同）`` and ``（MaaS）`` are not.
Lines that start with a role (``责任单位：…``, ``配合单位：…``, ``完成时限：…``) are read by
:func:`role_groups`.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from .fold import fold

__all__ = [
    "AgencyClause",
    "parse_clause",
    "split_agencies",
    "find_final_paren",
    "split_unit_text",
    "sentence_clause",
    "split_inline_clauses",
    "role_groups",
]

_ROLE_PREFIX_RE = re.compile(r"^[^：:、，,]{1,8}[：:]\s*")  # 牵头单位： / 责任单位: / 责任部门：
_LEAD_ROLES = ("牵头", "责任", "主责", "主办", "实施", "承办", "负责")
_PARTNER_ROLES = ("配合", "协办", "参与", "协同", "协助")
_DEADLINE_ROLES = ("时限", "时间", "期限", "节点")
#: A role written after the names: 牵头负责, 按职责分工负责, 配合 …
_ROLE_SUFFIX_RE = re.compile(
    r"(?:按职责分工负责|按职责分工落实|按职责负责|分别负责|共同负责|牵头负责|牵头|配合|负责|参与|协同|协助)$"
)
_SHARED_SUFFIXES = ("按职责分工负责", "按职责分工落实", "按职责负责", "分别负责", "共同负责")
#: Notes that may follow the names after 。: 排名不分先后, 各相关单位按行政序列排序, 下同.
_NOTE_RE = re.compile(r"^(?:[^。，,]*(?:不分先后|排序)|下同|以下同)$")
_ROLE_LINE_RE = re.compile(
    r"(?P<role>(?:牵头|责任|主责|主办|实施|承办|配合|协办|参与|协同|协助)(?:单位|部门|主体)?"
    r"|(?:完成|办结)(?:时限|时间|期限)|时间节点|时限要求|时间安排|时限)\s*[：:]"
)
#: How the name of a body ends (a name list without roles must read as bodies).
_BODY_ENDINGS = (
    "局", "委", "厅", "部", "署", "办", "院", "会", "处", "室", "站", "所", "队", "海关", "集团", "中心", "公司",
    "政府", "单位", "部门", "机构", "银行", "港", "组", "办公室", "管委", "总署", "分署",
)  # fmt: skip
#: A district, county or city named in an agency list stands for its government (浦东新区、宝山区).
_PLACE_ENDINGS = ("区", "县", "市", "省", "州", "旗")
_MAX_NAME = 30
#: 等 + a bare generic word ends a list: ``省商务厅等部门`` is 省商务厅 and others (等有关部门 is a name).
_OTHER_BODIES_RE = re.compile(r"等(?:部门|单位|机构|方面)$")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


@dataclasses.dataclass(frozen=True)
class AgencyClause:
    """The bodies a clause names: ``lead`` responsible, ``partners`` assisting; ``shared`` if the
    clause says they act each according to its responsibilities (按职责分工负责), ``others`` if it ends
    with 等 (and others), ``note`` the note after the names (排名不分先后, 下同)."""

    lead: tuple[str, ...]
    partners: tuple[str, ...] = ()
    shared: bool = False
    others: bool = False
    note: str = ""
    explicit: bool = False  # a role is written (责任单位：…, …牵头, …配合)

    @property
    def names(self) -> tuple[str, ...]:
        return self.lead + self.partners


def _spaced_names(text: str) -> list[str]:
    """``text`` split at whitespace, where a space separates two names: after a piece that ends
    like a body or a place (市商务委 市发展改革委, 浦东新区 宝山区). After any other piece the space
    is extraction damage inside one name and is taken out (上海 海关 → 上海海关, 市交 通委 → 市交通委)."""
    names: list[str] = []
    for piece in text.split():
        if names and not fold(names[-1]).endswith(_BODY_ENDINGS + _PLACE_ENDINGS):
            names[-1] += piece
        else:
            names.append(piece)
    return names


def _split_names(text: str) -> tuple[list[str], bool]:
    """Names of one group: ``A、B等C和D`` → ``[A, B, C, D]``; also whether it ended with 等."""
    names: list[str] = []
    others = False
    for piece in (name for part in text.strip().split("、") for name in _spaced_names(part)):  # none empty
        generic = _OTHER_BODIES_RE.search(piece)
        if generic and generic.start() > 0:  # 省商务厅等部门: "and others", not a body called 部门
            others = True
            piece = piece[: generic.start()]
        if piece.endswith("等"):
            others = True
            piece = piece[:-1]
        names.extend(_split_and(piece))
    return [n for n in names if n], others


def _split_and(name: str) -> list[str]:
    """``省有关部门和各地级以上市人民政府`` → two names, ``能源局等省有关部门`` too; ``工业和信息化厅``
    and ``各高等院校`` stay one (和, 及 and 等 split only after a name that ends like a body)."""
    for joiner in ("以及", "和", "及", "等"):
        at = name.find(joiner)
        while at > 0:
            left, right = name[:at], name[at + len(joiner):]
            if right and fold(left).endswith(_BODY_ENDINGS):
                return [*_split_and(left), *_split_and(right)]
            at = name.find(joiner, at + 1)
    return [name]


def _role_of(word: str) -> str:
    folded = fold(word)
    if any(r in folded for r in _PARTNER_ROLES):
        return "partners"
    return "lead"


@lru_cache(maxsize=8192)
def parse_clause(text: str) -> AgencyClause | None:
    """The bodies of an agency clause (with or without its brackets), or None if it is none.

    ``（上海海关、市公安局）`` → lead ``(上海海关, 市公安局)``; ``（海关总署牵头，各有关部门配合）`` →
    lead ``(海关总署,)``, partners ``(各有关部门,)``; ``（含港澳台，下同）`` → None.
    """
    inner = text.strip()
    if inner[:1] in "(（" and inner[-1:] in ")）" and find_final_paren(inner) == 0:
        inner = inner[1:-1].strip()
    if not inner:
        return None
    note = ""
    if "。" in inner:  # names。note: (责任单位: …按职责分工负责。排名不分先后, 下同)
        inner, _, note = inner.partition("。")
        note = note.strip().rstrip("。")
        if not all(_NOTE_RE.match(part.strip()) for part in re.split(r"[,，]", fold(note)) if part.strip()):
            return None
    else:
        tail = re.search(r"[,，]\s*(?:下同|以下同)$", inner)
        if tail:
            inner, note = inner[: tail.start()], inner[tail.start() :].lstrip(",， ")
    if any(ch in "。！？!?《》“”" for ch in inner):
        return None
    lead: list[str] = []
    partners: list[str] = []
    shared = others = explicit = False
    for group in re.split(r"[；;]", inner):
        group = group.strip()
        if not group:
            continue
        role = "lead"
        prefix = _ROLE_PREFIX_RE.match(fold(group))
        if prefix:
            label = prefix.group(0)
            if not any(r in label for r in _LEAD_ROLES + _PARTNER_ROLES):
                return None  # 完成时限： … is no list of bodies
            role, explicit = _role_of(label), True
            group = group[prefix.end():]
        for sub in re.split(r"[，,]", group):
            sub = sub.strip()
            if not sub:
                continue
            sub_role = role
            suffix = _ROLE_SUFFIX_RE.search(fold(sub))
            if suffix:
                word = suffix.group(0)
                shared = shared or word in _SHARED_SUFFIXES
                sub_role, explicit = _role_of(word), True
                sub = sub[: suffix.start()]
            names, more = _split_names(sub)
            others = others or more
            (partners if sub_role == "partners" else lead).extend(names)
    if not lead and not partners:
        return None
    names = lead + partners
    if any(len(name) > _MAX_NAME or not _CJK_RE.search(name) for name in names):
        return None  # （MaaS） names no body
    if not explicit and (note or len(names) == 1 or re.search(r"[，,]", inner)) and not all(
            fold(n).endswith(_BODY_ENDINGS + _PLACE_ENDINGS) for n in names):
        return None  # （含港澳台，下同） and （试行） are no list of bodies; （…、机场集团、东航物流） is one
    return AgencyClause(tuple(lead), tuple(partners), shared, others, note, explicit)


def split_agencies(paren: str) -> tuple[str, ...]:
    """``（上海海关、市公安局）`` → ``("上海海关", "市公安局")``: every body a clause names.

    Roles (``牵头单位：``, ``…牵头``), notes and connectors (等, 和) are not names; a text that
    is no agency clause is split on 、 ， ； as it stands.
    """
    clause = parse_clause(paren)
    if clause is not None:
        return clause.names
    inner = paren[1:-1] if paren[:1] in "(（" and paren[-1:] in ")）" else paren
    return tuple(name for part in re.split(r"[、，,；;]", inner) for name in _spaced_names(part))


def find_final_paren(text: str) -> int | None:
    """Index of the bracket opening the parenthesis that ends ``text``, or None."""
    if not text or text[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return i
    return None


#: Words of a sentence that does something, not of a body's name: ``各地要强化服务``, ``由…负责``.
_ACTION_RE = re.compile(r"要|应|须|将|由|按照|依照|根据|会同|加强|做好|切实|积极|认真|进一步|统筹|组织|指导|督促|推动|确保")
_SENTENCE_END_RE = re.compile(r"[。！？；]")


def sentence_clause(text: str) -> AgencyClause | None:
    """The agency clause of a sentence written without brackets, or None.

    ``省商务厅、省发展改革委等省有关部门和各地级以上市人民政府按职责分工负责。``, ``海关总署牵头，各有关部门
    配合。``, ``省商务厅负责。``: only bodies (each ending like one: 厅, 委, 部门, 政府 …), joined by
    、 和 等, and a written role (按职责分工负责, 负责, 牵头, 配合 …). ``各地要强化服务。`` (no role,
    no body) and ``由省商务厅负责。`` (由 is a verb here) are none.
    """
    inner = text.strip()
    if not inner or inner[0] in "(（" or _SENTENCE_END_RE.search(inner.rstrip("。")):
        return None
    clause = parse_clause(inner)
    if clause is None or not clause.explicit or clause.note:
        return None
    if not all(fold(name).endswith(_BODY_ENDINGS) and not _ACTION_RE.search(name) for name in clause.names):
        return None
    return clause


def split_final_sentence(rest: str) -> tuple[str, str]:
    """``…强化服务。省商务厅…按职责分工负责。`` → (the text before, the final sentence) when that
    sentence is an agency clause (:func:`sentence_clause`) after at least one other sentence."""
    body = rest.rstrip()
    if not body.endswith("。"):
        return rest, ""
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(body[:-1])]
    if not ends:
        return rest, ""
    before, sentence = body[: ends[-1]].rstrip(), body[ends[-1] :].strip()
    if not before or sentence_clause(sentence) is None:
        return rest, ""
    return before, sentence


def split_unit_text(rest: str) -> tuple[str, str]:
    """A unit's text (label removed) → (text, its final agency clause as printed, or "").

    The clause must follow the end of a sentence: ``…建设。（上海海关）`` is one,
    ``…出行服务（MaaS）`` is not; a final sentence that is only an agency clause
    (``…强化服务。省商务厅、省发展改革委等省有关部门按职责分工负责。``) is one too.
    """
    start = find_final_paren(rest)
    if start is None or start == 0:
        return split_final_sentence(rest)
    before, paren = rest[:start].rstrip(), rest[start:]
    if not before or before[-1] not in "。！？；…”":
        return rest, ""
    if parse_clause(paren) is None:
        return rest, ""
    return before, paren


_INLINE_RE = re.compile(r"(?<=[。！？；])\s*([(（][^()（）]{2,200}[)）])")


def split_inline_clauses(text: str) -> list[tuple[str, bool]]:
    """A unit's text cut at agency clauses in the middle of it: ``[(piece, is_clause), …]``.

    ``优化…用时。(责任单位:天津海关)港口方面…服务。`` → ``[("优化…用时。", False),
    ("(责任单位:天津海关)", True), ("港口方面…服务。", False)]``. Only a parenthesis after the
    end of a sentence, followed by more text, that reads as an agency clause, is cut out.
    """
    pieces: list[tuple[str, bool]] = []
    pos = 0
    if "(" not in text and "（" not in text:
        return [(text, False)]
    for match in _INLINE_RE.finditer(text):
        start, end = match.span(1)
        if end >= len(text.rstrip()) or parse_clause(match.group(1)) is None:
            continue
        if text[pos:start].strip():
            pieces.append((text[pos:start].rstrip(), False))
        pieces.append((match.group(1), True))
        pos = end
    if not pieces:
        return [(text, False)]
    if text[pos:].strip():
        pieces.append((text[pos:].strip(), False))
    return pieces


def role_groups(text: str) -> list[tuple[str, str, str]] | None:
    """``责任单位：A、B；完成时限：2025年底前`` → ``[("lead", "责任单位：", "A、B"), ("deadline", …)]``.

    None unless the line (without enclosing brackets) starts with a role.
    """
    inner = text
    if inner[:1] in "(（" and find_final_paren(inner) == 0:
        inner = inner[1:-1].strip()
    if not _ROLE_LINE_RE.match(fold(inner[:12])):
        return None
    folded = fold(inner)
    matches = list(_ROLE_LINE_RE.finditer(folded))
    if not matches or matches[0].start() != 0:
        return None
    groups = []
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(inner)
        value = inner[match.end() : end].strip().rstrip("；;，, ").strip()
        role = match["role"]
        if any(r in role for r in _DEADLINE_ROLES):
            kind = "deadline"
        elif any(role.startswith(r) for r in _LEAD_ROLES):
            kind = "lead"
        else:
            kind = "partners"
        if not value:
            return None
        if kind != "deadline" and (
            any(ch in "。！？" for ch in value) or any(len(n) > _MAX_NAME for n in split_agencies(value))
        ):
            return None
        groups.append((kind, inner[match.start() : match.end()], value))
    return groups
