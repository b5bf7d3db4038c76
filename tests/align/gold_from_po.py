"""Draft a gold alignment from a reviewed PO file and its `bilingual build -f md` publication.

    python tests/align/gold_from_po.py translations/shanghai-port-2025/shanghai-port-2025.en.po \
        > tests/align/shanghai-port-2025.gold.tsv

Each reviewed entry is its reviewer's alignment of one Chinese segment with its English, so the
entries are the gold pairs of the document and its English publication, with the English as the
publication prints it: a lead-agency list "(A; B)" is printed "Lead agencies: A; B". Read the
draft against the publication before committing it (hand-check), and mark what the publication
merges or drops.
"""

from __future__ import annotations

import sys

import polib


def published(entry) -> str:
    text = " ".join(entry.msgstr.split())
    if entry.msgctxt and entry.msgctxt.endswith(".agencies") and text.startswith("(") and text.endswith(")"):
        return "Lead agencies: " + text[1:-1]
    return text


def main(path: str) -> None:
    catalog = polib.pofile(path)
    print(f"# Gold alignment drafted from the reviewed entries of {path.rsplit('/', 1)[-1]} (gold_from_po.py),")
    print("# then checked by hand against the English publication (bilingual build -f md).")
    for entry in catalog:
        if entry.obsolete or not entry.msgid or not entry.msgstr or entry.fuzzy:
            continue
        print(f"{' '.join(entry.msgid.split())}\t{published(entry)}")


if __name__ == "__main__":
    main(sys.argv[1])
