"""A catalogue with every kind of row the review page shows (shared by its tests)."""

from __future__ import annotations

from pofactory import make_catalog

FLAG_MT = "mt-check: repetition: 'support support' repeated"
FLAG_NAME = "suspect name: 上海市海归会 (closest known: 上海海关 → Shanghai Customs)"
CHANGED = "measure-8.s2"
OLD_SOURCE_EDIT = ("一箱制", "一柜制")  # the previous source had 一柜制 where the current one has 一箱制


def review_catalog():
    """Rows: reviewed, fuzzy (one flagged by an MT check), untranslated (one a suspect name),
    a changed source with its previous msgid, a translator comment, a memory origin."""
    po = make_catalog(fuzzy={"measure-15.s2", "measure-15.s3", CHANGED}, untranslated={"measure-20.s2", "measure-5.s2"})
    flagged = po.find("measure-15.s3", by="msgctxt")
    flagged.comment += "\n" + FLAG_MT
    suspect = po.find("measure-5.s2", by="msgctxt")
    suspect.comment += "\n" + FLAG_NAME
    changed = po.find(CHANGED, by="msgctxt")
    assert OLD_SOURCE_EDIT[0] in changed.msgid
    changed.previous_msgid = changed.msgid.replace(*OLD_SOURCE_EDIT, 1)
    noted = po.find("measure-1.s1", by="msgctxt")
    noted.tcomment = "Checked against the GACC English page.\nKeep 'Optimise' (house style)."
    memory = po.find("measure-2.s1", by="msgctxt")
    memory.comment = "\n".join([*(c for c in memory.comment.splitlines() if not c.startswith("origin:")),
                                "origin: translation memory old.tmx (exact match)"])
    return po
