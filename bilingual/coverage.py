"""Coverage of a new document by the glossary (``bilingual glossary coverage``).

:func:`coverage` lists what a new document needs from the glossary: quoted terms
(“…”, 《…》) neither in the glossary nor in ``left-to-mt.txt``; organisation-like
names not in the glossary (first the names ``translate`` would flag as suspects, the
same code path, then running-text candidates: a segment bounded by punctuation, 、 or
a line break that ends like an agency: 局, 委, 委员会, 办, 站, 集团, 协会, 会, 中心 …),
each with the closest known organisation names; and frequent n-grams (CJK 4–8-grams
occurring at least 3 times, extended to maximal repeats, minus those with fewer than
4 characters outside glossary terms, minus substrings of reported ones).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BilingualError
from .fileio import read_bytes
from .glossary import Glossary, load_left_to_mt, render_terms_only, term_key

ORG_SUFFIXES = ("委员会", "管理局", "总站", "集团", "协会", "中心", "公司", "总部", "政府", "办公室", "办公厅", "海关",
                "局", "委", "办", "站", "会", "署", "部", "厅", "院", "所")
_DELIMITERS = r"[\n，。、；：;:,（）()「」“”《》!?！？\[\]【】]"
_NOT_IN_NAMES = set("的了在对为将是把被从向以及并或与等")
_ORG_PREFIXES = ("中华人民共和国", "中国共产党", "中共", "中国", "国家", "上海市", "上海", "市", "各")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass
class QuotedTerm:
    text: str
    count: int
    status: str  # "glossary" | "left-to-mt" | "unknown"


@dataclass
class OrgName:
    text: str
    count: int
    closest: list[tuple[str, str, float]] = field(default_factory=list)  # (zh, en, score 0-100)


@dataclass
class CoverageReport:
    source: str
    quoted: list[QuotedTerm] = field(default_factory=list)
    organisations: list[OrgName] = field(default_factory=list)
    ngrams: list[tuple[str, int]] = field(default_factory=list)

    @property
    def unknown_quoted(self) -> list[QuotedTerm]:
        return [q for q in self.quoted if q.status == "unknown"]

    @property
    def gaps(self) -> int:
        return len(self.unknown_quoted) + len(self.organisations) + len(self.ngrams)


def _flat(text: str) -> str:
    """Join PDF line breaks (a term may be wrapped) while keeping other spaces."""
    return re.sub(r"[ \t]*\n\s*", "", text)


def quoted_terms(text: str) -> Counter[str]:
    """Counts of “…” and 《…》 contents (whitespace-normalised), outermost only for 《》."""
    flat = _flat(text)
    found: Counter[str] = Counter()
    for pattern in (r"“([^“”\n]{1,80})”", r"《([^《》\n]{1,120})》", r"「([^「」\n]{1,80})」"):
        for m in re.finditer(pattern, flat):
            found[re.sub(r"\s+", " ", m.group(1).strip())] += 1
    return found


def _covered(term: str, glossary: Glossary) -> bool:
    return glossary.lookup(term) is not None or render_terms_only(term, glossary) is not None


_PROSE_START = re.compile(r"^(?:根据|依托|鼓励|通过|支持|推动|推进|加强|优化|落实|按照|经|由|向|对|会同|组织|指导|发挥)")
_NOT_NAME_ENDINGS = ("部署", "布局", "格局", "全会", "机会", "社会", "体会", "领会", "开会", "大会")


def organisation_candidates(text: str, glossary: Glossary | None = None) -> Counter[str]:
    """Segments between delimiters that look like names of bodies (see module docstring).

    Segments are taken both line by line (a masthead has one body per line) and
    with line breaks joined (a PDF may wrap a name); the larger count wins.
    Segments that start like prose (根据…, 依托…), end in a word such as 部署 or
    布局, or end with a known glossary term (国务院和上海市委) are skipped.
    """
    def scan(chunks: list[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        for chunk in chunks:
            if glossary is not None:  # a known name spanning delimiters (各省、自治区、直辖市人民政府) is no piece
                for m in reversed([m for m in glossary.match(chunk) if m.term.kind == "organisation"
                                   and re.search(_DELIMITERS, chunk[m.start:m.end])]):
                    chunk = chunk[:m.start] + "\n" + chunk[m.end:]
            names = []
            for piece in re.split(_DELIMITERS, chunk):
                names += split_bodies(piece, glossary)
            for name in names:
                name = re.sub(r"^[（(]?[一二三四五六七八九十]+[)）、]?", "", name)
                if not 3 <= len(name) <= 25 or not name.endswith(ORG_SUFFIXES):
                    continue
                if name.endswith(_NOT_NAME_ENDINGS) or _PROSE_START.match(name):
                    continue
                if _NOT_IN_NAMES & set(name) or not _CJK_RUN.fullmatch(name):
                    continue
                if glossary is not None and glossary.lookup(name) is None:
                    tail = [m for m in glossary.match(name) if m.end == len(name)]
                    if tail and tail[0].term.kind == "organisation":
                        continue
                found[name] += 1
        return found

    by_line = scan(text.splitlines())
    joined = scan([_flat(text)])
    return Counter({name: max(by_line[name], joined[name]) for name in by_line | joined})


def split_bodies(piece: str, glossary: Glossary | None = None) -> list[str]:
    """Bodies sharing one line: ``海关总署 发展改革委 财政部`` (spaces, as signature lines are
    set) or ``交通运输部商务部卫生健康委`` (run together by a mirror) → one name each.

    Whitespace separates names when every part ends like a body; a run without separators
    is cut where that covers the most characters with glossary names (each other part must
    still end like a body), so the unknown bodies among them are reported alone.
    """
    parts = [p for p in re.split(r"\s+", piece.strip()) if p]
    if len(parts) > 1 and all(p.endswith(ORG_SUFFIXES) and len(p) >= 2 for p in parts):
        return [name for p in parts for name in split_bodies(p, glossary)]
    name = "".join(parts)
    if glossary is None or not 5 <= len(name) <= 40 or not name.endswith(ORG_SUFFIXES):
        return [name] if name else []  # prose and short names are not cut
    # best[i] = (known characters, -pieces, cut) for name[:i]
    best: list[tuple[int, int, list[str]] | None] = [None] * (len(name) + 1)
    best[0] = (0, 0, [])
    for i in range(len(name)):
        if best[i] is None:
            continue
        known, pieces, cut = best[i]
        for j in range(i + 2, min(len(name), i + 25) + 1):
            chunk = name[i:j]
            if glossary.lookup(chunk) is not None and glossary.lookup(chunk).kind == "organisation":
                score = (known + len(chunk), pieces - 1, [*cut, chunk])
            elif chunk.endswith(ORG_SUFFIXES) and len(chunk) >= 3:
                score = (known, pieces - 1, [*cut, chunk])
            else:
                continue
            if best[j] is None or score[:2] > best[j][:2]:
                best[j] = score
    result = best[len(name)]
    return result[2] if result is not None and result[0] > 0 else [name]


def _core(name: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for prefix in _ORG_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                name, stripped = name[len(prefix):], True
                break
    return name


def closest_names(name: str, glossary: Glossary, limit: int = 3,
                  among: Callable[[str], bool] | None = None) -> list[tuple[str, str, float]]:
    """Known organisation names nearest to ``name`` (only those whose zh passes ``among``, if given).

    The score weighs the distinctive part of the name (without 上海市/市/国家…
    prefixes, which nearly every body shares) at 0.7 and the whole name at 0.3,
    so 上海市海归会 is nearest to 上海海关 (海归会 ~ 海关), not 上海市海事局.
    """
    from rapidfuzz import fuzz, process

    organisations = _organisations(glossary)
    if among is not None:
        organisations = tuple(o for o in organisations if among(o[0]))
    if not organisations:
        return []
    # all scores at once (C loops): translate asks this for every unknown body of a document.
    # process.extract, not cdist: the same fuzz.ratio values without importing NumPy (~0.1 s of
    # a translate run's start-up, bench/README.md).
    cores = _scores(process.extract(_core(name), [o[1] for o in organisations], scorer=fuzz.ratio, limit=None))
    whole = _scores(process.extract(name, [o[0] for o in organisations], scorer=fuzz.ratio, limit=None))
    scored = [(round(0.7 * float(c) + 0.3 * float(w), 1), zh, english)
              for (zh, _, english), c, w in zip(organisations, cores, whole, strict=True)]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(zh, en, score) for score, zh, en in scored[:limit]]


def _scores(extracted: list[tuple[str, float, int]]) -> list[float]:
    """process.extract's (choice, score, index) triples as scores in choice order."""
    scores = [0.0] * len(extracted)
    for _, score, index in extracted:
        scores[index] = score
    return scores


@functools.lru_cache(maxsize=8)
def _organisations(glossary: Glossary) -> tuple[tuple[str, str, str], ...]:
    """(zh, distinctive core, English) of every organisation: computed once per glossary, since
    translate asks for the closest names of every unknown body in a document's name lists."""
    return tuple((t.zh, _core(t.zh), glossary.english(t)) for t in glossary.terms if t.kind == "organisation")


def frequent_ngrams(text: str, glossary: Glossary, *, min_n: int = 4, max_n: int = 8, min_count: int = 3,
                    max_len: int = 16, reported: list[str] | None = None) -> list[tuple[str, int]]:
    """Frequent CJK n-grams not covered by the glossary, with their uncovered counts.

    n-grams never cross punctuation or line breaks; each is grown to its maximal
    repeat (up to ``max_len``) while its count stays the same. An occurrence
    counts only when at least ``min_n`` of its characters lie outside glossary
    matches (根据海关总署 is covered: only 根据 is new); a gram is reported when at least ``min_count`` occurrences count
    and it is not a substring of a longer reported gram or of ``reported``.
    """
    lines = [re.sub(r"[ \t\u3000]+", "", line) for line in text.splitlines()]
    runs: list[str] = []
    covered_runs: list[bytearray] = []
    for line in lines:
        covered = bytearray(len(line))
        for m in glossary.match(line):
            covered[m.start:m.end] = b"\1" * (m.end - m.start)
        for m in _CJK_RUN.finditer(line):
            runs.append(m.group())
            covered_runs.append(covered[m.start():m.end()])
    counts: Counter[str] = Counter()
    for run in runs:
        for n in range(min_n, max_n + 1):
            for i in range(len(run) - n + 1):
                counts[run[i:i + n]] += 1

    def count(s: str) -> int:
        return sum(len(_positions(run, s)) for run in runs)

    maximal: set[str] = set()
    for gram in (g for g, c in counts.items() if c >= min_count):
        best, c = gram, counts[gram]
        grown = True
        while grown and len(best) < max_len:
            grown = False
            candidates = {best + ch for run in runs for ch in _followers(run, best)}
            candidates |= {ch + best for run in runs for ch in _leaders(run, best)}
            for candidate in sorted(candidates):
                if count(candidate) == c:
                    best, grown = candidate, True
                    break
        maximal.add(best)

    def uncovered(s: str) -> int:
        total = 0
        for run, covered in zip(runs, covered_runs, strict=True):
            for i in _positions(run, s):
                if len(s) - sum(covered[i:i + len(s)]) >= min_n:
                    total += 1
        return total

    result: list[tuple[str, int]] = []
    already = list(reported or [])
    for gram in sorted(maximal, key=lambda g: (-len(g), g)):
        if any(gram in longer for longer, _ in result) or any(gram in r for r in already):
            continue
        n = uncovered(gram)
        if n >= min_count:
            result.append((gram, n))
    result.sort(key=lambda r: (-r[1], -len(r[0]), r[0]))
    return result


def _followers(run: str, s: str) -> set[str]:
    return {run[i + len(s)] for i in _positions(run, s) if i + len(s) < len(run)}


def _leaders(run: str, s: str) -> set[str]:
    return {run[i - 1] for i in _positions(run, s) if i > 0}


def _positions(run: str, s: str) -> list[int]:
    out, i = [], run.find(s)
    while i >= 0:
        out.append(i)
        i = run.find(s, i + 1)
    return out


def coverage(text: str, glossary: Glossary, *, left_to_mt: dict[str, str] | None = None,
             source: str = "", suspects: Counter[str] | None = None) -> CoverageReport:
    """What ``text`` needs that the glossary (and left-to-mt list) does not give.

    ``suspects`` are the unknown bodies of the document's mastheads, signatures and agency
    lists, as ``translate`` flags them (:func:`bilingual.suspects.document_suspects`): reported
    first, whole (中国人民银行天津市分行, not a piece of it); the name-like pieces of the running
    text follow.
    """
    if left_to_mt is None:
        left_to_mt = load_left_to_mt(glossary) if glossary.directory or glossary.layers else {}
    left_keys = {term_key(t) for t in left_to_mt}
    report = CoverageReport(source=source)
    for term, count in quoted_terms(text).most_common():
        if _covered(term, glossary):
            status = "glossary"
        elif term_key(term) in left_keys:
            status = "left-to-mt"
        else:
            status = "unknown"
        report.quoted.append(QuotedTerm(term, count, status))
    from .suspects import closest_known

    suspects = suspects or Counter()
    for name, count in suspects.most_common():
        report.organisations.append(OrgName(name, count, closest_known(name, glossary)))
    for name, count in organisation_candidates(text, glossary).most_common():
        if _covered(name, glossary) or any(name in known for known in suspects):
            continue
        report.organisations.append(OrgName(name, count, closest_known(name, glossary)))
    reported = [q.text for q in report.quoted] + [o.text for o in report.organisations]
    report.ngrams = frequent_ngrams(text, glossary, reported=reported)
    return report


def read_document(path: str | Path) -> tuple[str, str]:
    """Text of a source document via ``bilingual.ingest.read_source`` (plain UTF-8 fallback).

    Returns (text, how) where ``how`` says which reader was used.
    """
    try:
        from .ingest import read_source
    except ImportError:
        read_source = None
    if read_source is not None:
        return read_source(path).text, "ingest.read_source"
    try:
        return read_bytes(path).decode("utf-8-sig"), "utf-8"
    except (OSError, UnicodeDecodeError) as exc:
        raise BilingualError(f"cannot read: {exc}", path) from None
