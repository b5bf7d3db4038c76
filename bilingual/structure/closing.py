"""The closing of a notice or of the last part: signing bodies, date, disclosure, contact.

Several bodies may sign on one line, separated by spaces (``市商务局 天津海关``, ``海关总署　发展改革委
财政部``): each is its own ``notice.signatory-N``. The disclosure (``(此件主动公开)``) and the
contact line (``联系人:…;联系电话:…``) follow the date in either order. Issuers of the masthead
that match no signatory are reported (an extraction error, like 上海市海归会 for 上海海关).
"""

from __future__ import annotations

import difflib

from ..ingest import is_date_line
from ..ingest.lines import is_contact_line, is_disclosure_line
from ..model import DATE, DISCLOSURE, SIGNATORY, Block
from .head import Head, Lines, first_structure
from .kinds import CONTACT
from .recognisers import COPY_TO_RE, PRINTED_RE, SENTENCE_END, is_official, signatory_names

__all__ = ["Closing", "SAME_BODY_RATIO", "masthead_warnings"]

#: Issuer and signatory names at least this similar are the same body written two ways
#: (上海市海事局 / 上海海事局).
SAME_BODY_RATIO = 0.85


def _is_signature(text: str) -> bool:
    return signatory_names(text) is not None


class Closing(Head):
    """Reads closings (see the module docstring); the notice body is the assembler's."""

    pending_closing: tuple | None = None

    def notice(self, lines: Lines, i: int) -> tuple[int, list[Block]]:
        """The notice body, its signatories, date, disclosure and contact; index after them.

        Numbered parts may make up the body (现将有关事项通知如下：一、…): a date after the first
        heading still closes the notice when signatories precede it."""
        n = len(lines)
        end = first_structure(lines, i)
        d = next((j for j in range(i, n) if is_date_line(lines[j][0])), None)
        if d is not None and d > end and not _is_signature(lines[d - 1][0]):
            d = None
        if d is None:
            self.notice_body(lines[i:end])
            return end, []
        s = d
        while s > i and _is_signature(lines[s - 1][0]):
            s -= 1
        self.notice_body(lines[i:s])
        signatories = self.signatories("notice", lines[s:d])
        self.add_date("notice", lines[d])
        self.notice_signed = True
        i = d + 1
        for _ in range(2):  # (此件主动公开) and 联系人:… in either order
            if i < n and is_disclosure_line(lines[i][0]) and "notice.disclosure" not in self.keys:
                self.add(DISCLOSURE, "notice.disclosure", *lines[i])
                i += 1
            elif i < n and is_contact_line(lines[i][0]) and "notice.contact" not in self.keys:
                self.add(CONTACT, "notice.contact", *lines[i])
                i += 1
        return i, signatories

    def signatories(self, prefix: str, lines: Lines) -> list[Block]:
        """One block per signing body; several bodies on one line are each their own."""
        out: list[Block] = []
        for text, line in lines:
            for name in signatory_names(text) or [text]:
                out.append(self.blocks[self.add(SIGNATORY, f"{prefix}.signatory-{len(out) + 1}", name, line)])
        return out

    def add_date(self, prefix: str, line: tuple[str, int]) -> None:
        key = f"{prefix}.date"
        if key in self.keys:  # the date was already printed with the number
            self.paragraph(*line)
            return
        self.add(DATE, key, *line)
        self.date = self.date or line[0]

    def closing(self, lines: Lines) -> tuple[int, int]:
        """Find the signatories, date and disclosure that end ``lines`` (before any 版记 lines).

        Returns ``(start, stop)``: they are ``lines[start:stop]`` (remembered for
        :meth:`emit_closing`); ``(len, len)`` when there are none.
        """
        n = len(lines)
        t = n
        while t > 0 and (COPY_TO_RE.match(lines[t - 1][0]) or PRINTED_RE.match(lines[t - 1][0])):
            t -= 1
        stop = t
        disclosure = None
        if t > 0 and is_disclosure_line(lines[t - 1][0]):
            disclosure = lines[t - 1]
            t -= 1
        if t == 0 or not is_date_line(lines[t - 1][0]):
            return n, n
        d = t - 1
        s = d
        while s > 0 and _is_signature(lines[s - 1][0]):
            s -= 1
        if s == d and (s == 0 or not lines[s - 1][0].endswith(tuple(SENTENCE_END + "）)"))):
            return n, n  # a date alone after an unfinished line: text
        prefix = "attachment" if self.notice_signed else "notice"
        self.pending_closing = (prefix, lines[s:d], lines[d], disclosure)
        return s, stop

    def emit_closing(self) -> None:
        if self.pending_closing is None:
            return
        prefix, signatories, date, disclosure = self.pending_closing
        self.signatories(prefix, signatories)
        self.add_date(prefix, date)
        if disclosure is not None:
            self.add(DISCLOSURE, f"{prefix}.disclosure", *disclosure)
        self.pending_closing = None


def masthead_warnings(issuers: list[Block], signatories: list[Block]) -> list[str]:
    """Warn about masthead issuers that match no signatory (likely extraction errors). An order
    signed by its head (``署 长 牟新生``) names no body to compare."""
    signatories = [s for s in signatories if not is_official(s.text)]
    if not issuers or not signatories:
        return []
    free = list(signatories)
    unmatched: list[Block] = []
    def bare(block: Block) -> str:  # a masthead letter-spaced (大 同 市 …) is the same name
        return "".join(block.text.split())

    for issuer in issuers:
        same = next((s for s in free if bare(s) == bare(issuer)), None)
        if same is None:  # 中华人民共和国海关总署 signs as 海关总署
            same = next((s for s in free if bare(issuer).endswith(bare(s)) or bare(s).endswith(bare(issuer))), None)
        if same is not None:
            free.remove(same)
        else:
            unmatched.append(issuer)
    warnings = []
    for issuer in unmatched:
        pool = free or signatories
        best = max(pool, key=lambda s: difflib.SequenceMatcher(None, issuer.text, s.text).ratio())
        ratio = difflib.SequenceMatcher(None, issuer.text, best.text).ratio()
        if free and ratio >= SAME_BODY_RATIO:
            free.remove(best)  # the same body, written with / without 市
            continue
        warnings.append(
            f"line {issuer.line}: masthead issuer '{issuer.text}' is not a known issuing body "
            f"(it matches no signatory); it most resembles signatory '{best.text}' (line {best.line}) "
            "— probably a text-extraction error, kept as written"
        )
    return warnings
