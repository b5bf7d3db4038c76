"""Calibrate the length flags of bilingual/mtcheck.py on real zh→en translations of the genre.

Two kinds of input, both measured with :func:`bilingual.mtcheck.measure` (characters
without whitespace, glossary terms found on both sides taken out), so the figures mean
exactly what the flag compares:

* ``bench/mtcheck_reference.json``: figures (never texts) of sentence pairs from
  official English versions of Chinese government documents, each with the addresses
  of its Chinese and English pages. The texts stay where they are; the figures were
  measured once with ``--add-pairs PAIRS.tsv`` (columns: zh_url, en_url, kind, zh, en)
  from a local file that is not kept.
* the project's own reviewed translations (``translations/*/*.en.po``, every entry
  with a msgstr and no fuzzy flag), measured live on every run: re-run this script
  after more of the document is reviewed.

It fits the model of :func:`bilingual.mtcheck.length_bounds` — log(English/Chinese)
normal around a centre, with a spread sd(n)² = floor² + short / n that shrinks with
the source length n: the floor is the spread between two official translations of
one text (:func:`translator_spread`), centre and short are maximum-likelihood, and k
(how many sd make an outlier) is the smallest that flags at most 1 in 100 of the
measured pairs. It prints the figures, the fitted parameters next to the ones in
mtcheck.py, and how many measured pairs the current flags fire on (false positives:
every pair here is a real translation)::

    python bench/calibrate_mtcheck.py                 # table
    python bench/calibrate_mtcheck.py --format json   # for machines

It also counts, on the same pairs, every other flag of ``check_output`` (a real
translation should raise none; the README gives the figures). The length flags are
computed now from the stored figures with the current bounds; the other flags of a
reference pair were recorded when it was measured (``flags``).
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bilingual import mtcheck  # noqa: E402

REFERENCE = ROOT / "bench" / "mtcheck_reference.json"
RULE_ORIGINS = ("origin: glossary", "origin: rule")
LENGTH_CODES = ("too-short", "too-long")


def length_flag(record: dict) -> str:
    """The length flag the current bounds of mtcheck.py raise on a measured pair ("" if none)."""
    if record["zh_chars"] < mtcheck.LENGTH_MIN_CHARS:
        return ""
    low, high = mtcheck.length_bounds(record["zh_chars"])
    ratio = record["en_chars"] / record["zh_chars"]
    return "too-short" if ratio < low else "too-long" if ratio > high else ""


def add_pairs(tsv: Path, glossary) -> list[dict]:
    """Figures of the pairs in a local TSV file (the texts are not kept)."""
    records = []
    with tsv.open(encoding="utf-8", newline="") as handle:
        for zh_url, en_url, kind, zh, en in csv.reader(handle, delimiter="\t"):
            zh_chars, en_chars = mtcheck.measure(zh, en, glossary)
            reasons = [r.code for r in mtcheck.check_output(zh, en, glossary) if r.code not in LENGTH_CODES]
            records.append({"zh_url": zh_url, "en_url": en_url, "kind": kind,
                            "zh_id": hashlib.sha1(zh.encode()).hexdigest()[:10],  # groups translations of one text
                            "zh_chars": zh_chars, "en_chars": en_chars, "flags": reasons})
    return records


def project_pairs(pattern: str, glossary) -> list[dict]:
    """Reviewed entries of the project's PO files, measured now."""
    import polib

    records = []
    for path in sorted(glob.glob(str(ROOT / pattern))):
        for entry in polib.pofile(path):
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags or not entry.msgctxt:
                continue
            rule = any(line.startswith(RULE_ORIGINS) for line in entry.comment.splitlines())
            zh_chars, en_chars = mtcheck.measure(entry.msgid, entry.msgstr, glossary)
            reasons = [r.code for r in mtcheck.check_output(entry.msgid, entry.msgstr, glossary)
                       if r.code not in LENGTH_CODES]
            records.append({"zh_url": Path(path).relative_to(ROOT).as_posix(), "en_url": entry.msgctxt,
                            "kind": "rule" if rule else "reviewed", "zh_chars": zh_chars, "en_chars": en_chars,
                            "flags": reasons})
    return records


def _judged(records: list[dict]) -> list[dict]:
    return [r for r in records if r["zh_chars"] >= mtcheck.LENGTH_MIN_CHARS and r["en_chars"] > 0]


def translator_spread(records: list[dict]) -> dict:
    """Spread of log(English/Chinese) between translations of one Chinese text (pooled sd).

    Two official translators of one article differ by this much at any length; an
    engine's style differs from theirs at least as much, so it is the floor of the
    length model's spread (a likelihood fit on long sentences alone, few of them,
    would put it near zero and flag every long sentence an engine words differently).
    """
    groups: dict[str, list[float]] = {}
    for record in _judged(records):
        if record.get("zh_id"):
            groups.setdefault(record["zh_id"], []).append(math.log(record["en_chars"] / record["zh_chars"]))
    squares, freedom = 0.0, 0
    for values in groups.values():
        if len(values) > 1:
            mean = statistics.mean(values)
            squares += sum((v - mean) ** 2 for v in values)
            freedom += len(values) - 1
    return {"texts": sum(1 for v in groups.values() if len(v) > 1), "translations": freedom + sum(
        1 for v in groups.values() if len(v) > 1), "sd": round(math.sqrt(squares / freedom), 3) if freedom else None}


def fit(records: list[dict], floor: float) -> dict:
    """Maximum-likelihood centre and ``short`` of the length model, ``floor`` given (grid search)."""
    points = [(r["zh_chars"], math.log(r["en_chars"] / r["zh_chars"])) for r in _judged(records)]
    best = None
    for short in [x / 100 for x in range(5, 501)]:
        weights = [1 / (floor ** 2 + short / n) for n, _ in points]
        centre = sum(w * x for w, (_, x) in zip(weights, points, strict=True)) / sum(weights)
        nll = sum(-math.log(w) + w * (x - centre) ** 2 for w, (_, x) in zip(weights, points, strict=True))
        if best is None or nll < best[0]:
            best = (nll, short, centre)
    _, short, centre = best
    # k: the fewest standard deviations that flag at most 1 in 100 of these real translations.
    allowed = len(points) // 100
    for tenths in range(20, 61):
        k = tenths / 10
        flagged = sum(1 for n, x in points if abs(x - centre) > k * math.sqrt(floor ** 2 + short / n))
        if flagged <= allowed:
            break
    return {"pairs": len(points), "centre": round(math.exp(centre), 2), "sd_floor": floor, "sd_short": short,
            "k": k, "flagged_at_k": flagged}


def summary(records: list[dict]) -> dict:
    ratios = sorted(r["en_chars"] / r["zh_chars"] for r in records if r["zh_chars"] >= mtcheck.LENGTH_MIN_CHARS)
    if not ratios:
        return {"pairs": 0}

    def pct(p: float) -> float:
        return round(ratios[min(len(ratios) - 1, int(p * len(ratios)))], 2)

    flagged: dict[str, int] = {}
    entries = 0
    for record in records:
        found = set(record["flags"]) | ({length_flag(record)} - {""})
        entries += bool(found)
        for code in found:
            flagged[code] = flagged.get(code, 0) + 1
    return {"pairs": len(records), "measured": len(ratios), "min": round(ratios[0], 2), "p5": pct(0.05),
            "median": round(statistics.median(ratios), 2), "p95": pct(0.95), "max": round(ratios[-1], 2),
            "zh_chars": sum(r["zh_chars"] for r in records), "flagged_entries": entries,
            "flags": dict(sorted(flagged.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add-pairs", type=Path, help="measure a local TSV of pairs and write the reference figures")
    parser.add_argument("--po", default="translations/*/*.en.po", help="the project's PO files (glob)")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)
    from bilingual.glossary import load_glossary

    glossary = load_glossary(args.glossary)
    if args.add_pairs:
        records = add_pairs(args.add_pairs, glossary)
        REFERENCE.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(records)} pairs measured into {REFERENCE.relative_to(ROOT)}")
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    project = project_pairs(args.po, glossary)
    reviewed = [r for r in project if r["kind"] == "reviewed"]
    result = {
        "reference": summary(reference),
        "reference_by_kind": {kind: summary([r for r in reference if r["kind"] == kind])
                              for kind in sorted({r["kind"] for r in reference})},
        "project_reviewed": summary(reviewed),
        "project_rule_rendered": summary([r for r in project if r["kind"] == "rule"]),
        "translator_spread": translator_spread(reference),
        "fit": fit(reference + reviewed, floor=round(translator_spread(reference)["sd"] or 0.1, 2)),
        "mtcheck": {"centre": mtcheck.LENGTH_CENTRE, "sd_floor": mtcheck.LENGTH_SD_FLOOR,
                    "sd_short": mtcheck.LENGTH_SD_SHORT, "k": mtcheck.LENGTH_K,
                    "min_chars": mtcheck.LENGTH_MIN_CHARS,
                    "bounds": {n: [round(b, 2) for b in mtcheck.length_bounds(n)] for n in (4, 10, 20, 50, 100, 200)}},
    }
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for name in ("reference", "project_reviewed", "project_rule_rendered"):
        print(f"{name}: {result[name]}")
    for kind, figures in result["reference_by_kind"].items():
        print(f"  reference {kind}: {figures}")
    print(f"translator spread: {result['translator_spread']}")
    print(f"fit: {result['fit']}")
    print(f"mtcheck.py: {result['mtcheck']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
