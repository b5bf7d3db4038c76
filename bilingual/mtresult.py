"""What a segment's machine translation leaves the MT stream as: its English and its ``#.`` lines.

Split from mtstream.py, which decides *which* output is kept (the placeholder output or
the inline retry, bilingual/termstrategy.py); this module writes the kept one up for the
PO file: an approved term the engine lost is appended in brackets (the entry stays
fuzzy, and a ``missing term:`` line says which), the ``origin:`` line names the engine
and how the terms went in, and each MT-check reason becomes a ``mt-check:`` line
(bilingual/mtcheck.py). The counts feed the run's summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MTResult:
    text: str
    comments: list[str]
    from_cache: bool
    protected: int  # glossary occurrences sent as placeholders (or inline)
    dropped: int  # … the engine lost (appended, entry fuzzy)
    recovered: int = 0  # … lost by the placeholder output, carried by the kept inline retry
    reasons: list = field(default_factory=list)  # mtcheck.Reason of the kept output


def mt_result(first, chosen, glossary, *, origin: str, note: str, from_cache: bool, protected: int) -> MTResult:
    """The result of ``chosen`` (a termstrategy ``Candidate``; ``first`` is the placeholder output
    it was chosen against, or itself). ``origin`` is the engine's ``origin:`` line, one string
    shared by every result (a large document has ~300,000); ``note`` how the terms went in."""
    english = chosen.english
    comments = [f"{origin}; {note}" if note else origin]
    if chosen.lost:
        names = [glossary.english(term) for term in chosen.lost]
        english = f"{english} [{'; '.join(dict.fromkeys(names))}]".strip()
        comments += [f"missing term: {t.zh} = {n} (dropped by MT, appended)"
                     for t, n in dict.fromkeys(zip(chosen.lost, names, strict=True))]
    comments += [reason.comment() for reason in chosen.reasons]
    recovered = len(first.lost) - len(chosen.lost) if chosen is not first else 0
    return MTResult(english, comments, from_cache, protected, len(chosen.lost), max(recovered, 0), chosen.reasons)
