"""How approved terms reach the engine: placeholders, inline English, or placeholders with an inline retry.

``placeholder`` (glossary.protect): every protected term becomes ``QXZ<n>`` and the
approved English is put back afterwards. Exact when the engine copies the token, but
a real model may drop or garble it (the term is then appended in brackets).

``inline``: every protected term is written in its approved English inside the
Chinese (``支持 Shanghai Customs 开展…``), the "inline annotation" of
terminology-constrained NMT (Dinu et al. 2019, "Training Neural Machine Translation
to Apply Terminology Constraints", the *replace* variant): models trained on web text
tend to copy Latin-script spans, and the output is read as it comes — a term whose
English is not in it is lost (appended, like a lost placeholder).

``retry`` (the default): placeholders first; a segment whose output lost a
placeholder (or kept a mangled one) is translated again inline, and the output that
carries every approved term and raises no MT flag is kept — else the one with fewer
lost terms, then fewer flags, the placeholder output on a tie. The ``origin:``
comment says which way won.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STRATEGIES = ("placeholder", "inline", "retry")
DEFAULT_STRATEGY = "retry"
LOST_CODES = ("placeholder", "term-lost")


def annotate_inline(protected, glossary) -> tuple[str, list[tuple[int, int]]]:
    """The source with every protected slot written in its approved English (quoted slots in "…"),
    and the spans of those English terms (the engine's input must not be cut inside them)."""
    text, pos, spans = "", 0, []
    for slot in protected.slots:
        english = glossary.english(slot.term)
        english = f'"{english}"' if slot.quoted else english
        text += protected.source[pos:slot.start]
        if text and not text[-1].isspace():
            text += " "
        spans.append((len(text), len(text) + len(english)))
        trail = " " if slot.end < len(protected.source) and not protected.source[slot.end].isspace() else ""
        text += english + trail
        pos = slot.end
    return text + protected.source[pos:], spans


def lost_inline(english: str, protected, glossary) -> list:
    """Terms of the protected slots whose approved English is not (often enough) in ``english``."""
    from .mtcheck import english_pattern

    needed: dict[str, list] = {}
    for slot in protected.slots:
        needed.setdefault(glossary.english(slot.term), []).append(slot.term)
    lost = []
    for name, terms in needed.items():
        found = len(english_pattern(name).findall(english))
        lost += terms[found:]
    return lost


@dataclass
class Candidate:
    """One engine output for a segment, restored and checked."""

    english: str  # placeholders restored, lost terms not yet appended
    lost: list  # glossary terms the engine lost (one per slot)
    reasons: list = field(default_factory=list)  # mtcheck.Reason
    inline: bool = False

    def flags(self) -> int:
        return sum(1 for r in self.reasons if r.code not in LOST_CODES)

    def clean(self) -> bool:
        return not self.lost and not self.reasons


def candidate(output: str, protected, glossary, *, inline: bool, pseudo: bool = False) -> Candidate:
    from . import mtcheck
    from .glossary import restore

    if inline:
        english, lost = output, lost_inline(output, protected, glossary)
    else:
        english, lost = restore(output, protected, glossary)
    pairs = [(term.zh, glossary.english(term)) for term in lost]
    reasons = mtcheck.check_output(protected.source, english, glossary, lost=pairs,
                                   lost_code="term-lost" if inline else "placeholder", pseudo=pseudo)
    return Candidate(english, lost, reasons, inline)


def needs_retry(first: Candidate) -> bool:
    """The placeholder output lost a term or kept a mangled placeholder."""
    return bool(first.lost) or any(r.code == "placeholder" for r in first.reasons)


def choose(first: Candidate, retry: Candidate) -> tuple[Candidate, str]:
    """The output to keep (placeholder ``first`` vs inline ``retry``) and a note for the origin comment."""
    lost_first = ", ".join(dict.fromkeys(t.zh for t in first.lost)) or "a placeholder"
    if retry.clean() or (len(retry.lost), retry.flags()) < (len(first.lost), first.flags()):
        return retry, f"terms inline, kept after the placeholder output lost {lost_first}"
    why = (f"it lost {', '.join(dict.fromkeys(t.zh for t in retry.lost))}" if retry.lost
           else f"it raised {retry.flags()} MT flag(s)")
    return first, f"inline retry not kept: {why}"
