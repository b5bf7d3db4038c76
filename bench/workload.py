"""What the benchmark translates: the shipped document, a 10× version of it, and
the exact strings the pipeline would send to the engine for each.

The 10× document keeps the cover notice, attachment title and preamble once and
then repeats the attachment's sections and measures ten times. Copy ``k`` (0 is
the original) continues the numbering (sections 六、… 五十、, measures （三十二）…
（三百一十）) and is varied so that no sentence of a copy equals one of another
copy or of the original (the translator de-duplicates engine inputs; the MT
cache and PO reuse would short-circuit repeats): every number is shifted by
``k`` (2025 → 2026 …), a few common verbs are swapped by the bits of ``k``, and
every sentence gets a deadline clause (``，2026年3月底前完成。``). Agency names are
left alone, so the lead-agency lists are still rendered from the glossary. It
still parses into sections and measures.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"

COPIES = 10
# Applied to copy k when bit n of k is set.
SWAPS = (("推进", "推动"), ("提升", "提高"), ("优化", "改进"), ("支持", "鼓励"))
_OPEN, _CLOSE = "（(《“「【", "）)》”」】"

_DIGITS = "零一二三四五六七八九"
_LABEL_NUM = "一二三四五六七八九十百零〇两"
_SECTION_LINE = re.compile(rf"^(\s*)([{_LABEL_NUM}]+)、")
_MEASURE_LINE = re.compile(rf"^(\s*)([(（])([{_LABEL_NUM}]+)([)）])")
_NUMBER = re.compile(r"\d+")


def chinese_numeral(n: int) -> str:
    """1 → 一, 15 → 十五, 31 → 三十一, 105 → 一百零五, 110 → 一百一十 (1 ≤ n ≤ 999)."""
    if not 1 <= n <= 999:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def split_source(text: str) -> tuple[str, str]:
    """(cover notice + attachment title + preamble, sections and measures)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if _SECTION_LINE.match(line) and len(line.strip()) <= 60 and "。" not in line:
            return "".join(lines[:i]), "".join(lines[i:])
    raise ValueError("no section heading found in the source")


def vary(body: str, copy: int, sections_before: int, measures_before: int,
         compendium: bool = False) -> tuple[str, int, int]:
    """Copy ``copy`` of the sections/measures part, renumbered after the given counts.

    ``compendium``: sections become chapters (第N章) and measures articles (第N条), with
    Arabic numbers, as in a compilation of regulations: numbering that goes on for ever
    (Chinese numerals in labels stop at 九千九百九十九)."""
    if copy == 0:
        text = body
    else:
        text = _NUMBER.sub(lambda m: str(int(m.group()) + copy), body)
        for bit, (old, new) in enumerate(SWAPS):
            if copy >> bit & 1:
                text = text.replace(old, new)
        text = _deadlines(text, 2025 + copy)
    sections = measures = 0
    out = []
    for line in text.splitlines(keepends=True):
        if (m := _SECTION_LINE.match(line)) and len(line.strip()) <= 60 and "。" not in line:
            sections += 1
            number = sections_before + sections
            label = f"第{number}章\u3000" if compendium else f"{chinese_numeral(number)}、"
            line = f"{m.group(1)}{label}{line[m.end():]}"
        elif m := _MEASURE_LINE.match(line):
            measures += 1
            number = measures_before + measures
            label = (f"第{number}条\u3000" if compendium
                     else f"{m.group(2)}{chinese_numeral(number)}{m.group(4)}")
            line = f"{m.group(1)}{label}{line[m.end():]}"
        out.append(line)
    return "".join(out), sections, measures


def _deadlines(text: str, year: int) -> str:
    """Add ``，<year>年<month>月底前完成`` before every 。 outside brackets and quotes."""
    out = []
    depth = sentences = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0:
            out.append(f"，{year}年{sentences % 12 + 1}月底前完成")
            sentences += 1
        out.append(ch)
    return "".join(out)


def repeated_document(text: str, copies: int = COPIES) -> str:
    """The cover notice and preamble once, then ``copies`` varied copies of the body."""
    head, body = split_source(text)
    parts = [head]
    sections = measures = 0
    for copy in range(copies):
        part, s, m = vary(body, copy, sections, measures)
        sections += s
        measures += m
        if not part.endswith("\n"):
            part += "\n"
        parts.append(part + ("\n" if copy < copies - 1 else ""))
    return "".join(parts)


def library_document(text: str, number: int) -> str:
    """Document ``number`` of a generated library: the cover notice and preamble with every
    number shifted by ``number`` (document number, dates), then copy ``number`` of the body
    (numbering from 一、 and （一）: a document of its own). Document 0 is ``text``."""
    if number == 0:
        return text
    head, body = split_source(text)
    head = _NUMBER.sub(lambda m: str(int(m.group()) + number), head)
    part, _, _ = vary(body, number, 0, 0)
    return head + part


def write_library(directory: Path, count: int, start: int = 0) -> list[Path]:
    """Documents ``start`` … ``start + count - 1`` of the library (written only when changed)."""
    directory.mkdir(parents=True, exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    paths = []
    for number in range(start, start + count):
        path = directory / f"doc{number:04d}.zh.txt"
        content = library_document(text, number)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths


def large_document(path: Path, target_bytes: int) -> Path:
    """A document of about ``target_bytes`` (UTF-8), not more: the cover notice and preamble,
    then varied copies of the body as chapters (第N章) and articles (第N条), numbered on, as
    a compilation of regulations is. Written only when missing."""
    if path.exists() and target_bytes - 200_000 <= path.stat().st_size <= target_bytes:
        return path
    head, body = split_source(SOURCE.read_text(encoding="utf-8"))
    parts, size = [head], len(head.encode())
    sections = measures = copy = 0
    while True:
        part, s, m = vary(body, copy, sections, measures, compendium=True)
        part = part if part.endswith("\n") else part + "\n"
        if size + len(part.encode()) + 1 > target_bytes:
            break
        parts.append(part + "\n")
        size += len(part.encode()) + 1
        sections, measures, copy = sections + s, measures + m, copy + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_documents(directory: Path) -> dict[str, Path]:
    """``{"1x": shipped source, "10x": generated copy}`` (written only when changed)."""
    directory.mkdir(parents=True, exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    big = directory / f"shanghai-port-2025-{COPIES}x.zh.txt"
    content = repeated_document(text)
    if not big.exists() or big.read_text(encoding="utf-8") != content:
        big.write_text(content, encoding="utf-8")
    return {"1x": SOURCE, f"{COPIES}x": big}


class RecordingEngine:
    """An engine that returns its input and remembers every batch it was sent."""

    name = "recording"

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def identity(self) -> str:
        return "recording/1"

    def translate(self, texts: list[str]) -> list[str]:
        self.batches.append(list(texts))
        return list(texts)


def describe(source: Path, scratch: Path) -> dict:
    """Structure and the exact engine inputs of ``source``, as ``bilingual translate`` makes them.

    Runs the real pipeline (ingest → structure → segment → glossary → render →
    protect → split_for_engine → de-duplicate → length-sorted batches) with a
    recording engine and a fresh PO file, so the inputs are exactly those the
    ``argos`` engine receives, in the order it receives them.
    """
    from bilingual.glossary import load_glossary
    from bilingual.ingest import read_source
    from bilingual.structure import parse
    from bilingual.translate import Job, run

    document = parse(read_source(source))
    kinds: dict[str, int] = {}
    for block in document.blocks:
        kinds[block.kind] = kinds.get(block.kind, 0) + 1
    scratch.mkdir(parents=True, exist_ok=True)
    po = scratch / f"{source.stem}.recording.po"
    po.unlink(missing_ok=True)
    engine = RecordingEngine()
    stats = run([Job("bench", source, po)], engine, load_glossary(REPO / "glossary"), term_strategy="placeholder")
    po.unlink(missing_ok=True)
    inputs = [text for batch in engine.batches for text in batch]
    return {
        "path": str(source.relative_to(REPO)) if source.is_relative_to(REPO) else str(source),
        "chars": len(source.read_text(encoding="utf-8")),
        "blocks": kinds,
        "warnings": len(document.warnings),
        "segments": stats[0].segments,
        "rendered": stats[0].rendered,
        "machine_segments": stats[0].machine,
        "engine_inputs": inputs,
        "engine_batches": [len(batch) for batch in engine.batches],
        "engine_input_chars": sum(len(text) for text in inputs),
    }
