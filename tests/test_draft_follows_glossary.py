"""Unreviewed machine drafts follow a change of their glossary terms' English; nobody's work is touched.

Before, a draft kept the English a glossary row had when it was translated until
``--retranslate`` (which redoes every draft): after 上海海关 became "Shanghai Customs
District", drafts still said "Shanghai Customs" (bilingual/draftrefresh.py).
"""

from __future__ import annotations

import csv
import io

import polib
from pofactory import REPO_ROOT

from bilingual.engines.pseudo import PseudoEngine
from bilingual.glossary import load_glossary
from bilingual.translate import Job, run

SOURCE = ("上海市商务委员会关于加强口岸管理的通知\n"
          "一、优化通关。支持上海海关开展通关改革。（上海海关）\n"
          "二、加强保障。各单位要落实责任。（上海市商务委员会）\n"
          "三、提升效率。上海海关要提升查验效率。（上海海关）\n"
          "四、强化监管。上海海关要加强风险防控。（上海海关）\n")
DRAFT, UNRELATED, REVIEWED, EDITED = "section-1.s2", "section-2.s2", "section-3.s2", "section-4.s2"
REVIEWED_EN = "Shanghai Customs shall make inspection more efficient."
EDITED_EN = "Shanghai Customs shall tighten risk control."  # typed into the draft, left fuzzy


class CountingEngine(PseudoEngine):
    """The pseudo engine (same identity), remembering every input it was sent."""

    def __init__(self):
        self.inputs: list[str] = []

    def translate(self, texts):
        self.inputs += texts
        return super().translate(texts)


def _glossary_row(folder, english: str, phrase: str = "fulfil responsibilities", ningbo: str = "Ningbo Customs") -> None:
    """The project's glossary: the built-in 上海海关 row with ``english``, a phrase of the unrelated
    draft (落实责任) and a body the document does not name (宁波海关)."""
    with open(REPO_ROOT / "glossary" / "customs-districts.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows if r[0] == "上海海关")
    row[1] = english
    other = next(r for r in rows if r[0] == "宁波海关")
    other[1] = ningbo
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [rows[0], row, other, ["落实责任", phrase, "phrase", "", "", "A phrase.", "coined", "", "", ""]])
    folder.mkdir(exist_ok=True)
    (folder / "project.csv").write_text(out.getvalue(), encoding="utf-8")


def _run(tmp_path, engine=None):
    engine = engine or CountingEngine()
    [stats] = run([Job("doc", tmp_path / "doc.txt", tmp_path / "doc.en.po")], engine,
                  load_glossary(tmp_path / "glossary"))
    return stats, engine


def _blocks(tmp_path) -> dict[str, list[str]]:
    """Each entry's lines in the file as written, by msgctxt."""
    blocks = {}
    for block in (tmp_path / "doc.en.po").read_text(encoding="utf-8").split("\n\n"):
        ctx = next((line for line in block.splitlines() if line.startswith("msgctxt ")), None)
        if ctx:
            blocks[ctx.split('"')[1]] = block.splitlines()
    return blocks


def _without_glossary_line(lines: list[str]) -> list[str]:
    """An entry's lines but its ``#. glossary:`` line: that one says what the glossary holds *now*,
    for every entry (entrycomments.comment_lines_of), reviewed or not."""
    return [line for line in lines if not line.startswith("#. glossary: ")]


def _start(tmp_path) -> None:
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    _glossary_row(tmp_path / "glossary", "Shanghai Customs")
    _run(tmp_path)
    catalog = polib.pofile(str(tmp_path / "doc.en.po"), wrapwidth=0)
    assert catalog.find(DRAFT, by="msgctxt").msgstr == "[zh:2] Shanghai Customs [zh:6]."
    reviewed = catalog.find(REVIEWED, by="msgctxt")
    reviewed.msgstr, reviewed.flags = REVIEWED_EN, []
    catalog.find(EDITED, by="msgctxt").msgstr = EDITED_EN
    catalog.save()


def test_a_draft_follows_its_terms_new_english_and_reviewed_work_stays_byte_for_byte(tmp_path):
    _start(tmp_path)
    before = _blocks(tmp_path)
    _glossary_row(tmp_path / "glossary", "Shanghai Customs District")
    stats, engine = _run(tmp_path)

    # only the two drafts that used 上海海关 went to the engine (the one a translator typed into, to
    # see whether the engine's output explains it), not the unrelated one; the untouched one follows
    assert sorted(engine.inputs) == ["QXZ1 要加强风险防控。", "支持 QXZ1 开展通关改革。"]
    after = polib.pofile(str(tmp_path / "doc.en.po"), wrapwidth=0)
    draft = after.find(DRAFT, by="msgctxt")
    assert draft.msgstr == "[zh:2] Shanghai Customs District [zh:6]." and "fuzzy" in draft.flags
    assert "origin: machine translation (pseudo/0.1.0)" in draft.comment.splitlines()
    assert stats.retranslated == 1 and stats.machine == 2
    assert any(w.startswith("1 unreviewed machine translation translated again") and
               "上海海关: 'Shanghai Customs' → 'Shanghai Customs District'" in w for w in stats.warnings)

    # the reviewed entry and the draft a translator typed into: not a byte changed (but the line
    # that lists the glossary's current English); the unrelated draft: not a byte at all
    blocks = _blocks(tmp_path)
    for ctx in (REVIEWED, EDITED):
        assert _without_glossary_line(blocks[ctx]) == _without_glossary_line(before[ctx])
        assert "#. glossary: 上海海关 = Shanghai Customs District" in blocks[ctx]
    assert after.find(REVIEWED, by="msgctxt").msgstr == REVIEWED_EN
    assert after.find(EDITED, by="msgctxt").msgstr == EDITED_EN
    assert blocks[UNRELATED] == before[UNRELATED]
    assert any(w.startswith("1 unreviewed machine translation use glossary terms whose English changed") and
               "kept as they are" in w for w in stats.warnings)
    # the agency lines the glossary rendered followed as before (refresh.py)
    assert after.find("section-1.agencies", by="msgctxt").msgstr == "(Shanghai Customs District)"

    # settled: the next run sends nothing
    again, engine = _run(tmp_path)
    assert engine.inputs == [] and not again.written


def test_a_draft_whose_origin_msgmerge_removed_is_kept(tmp_path):
    """Without its origin line nothing says the entry is machine output: it may be a translator's
    English that msgmerge marked fuzzy. It is kept as it is (provenance.py asks the engine)."""
    _start(tmp_path)
    catalog = polib.pofile(str(tmp_path / "doc.en.po"), wrapwidth=0)
    entry = catalog.find(DRAFT, by="msgctxt")
    entry.comment = "\n".join(line for line in entry.comment.splitlines() if not line.startswith("origin:"))
    catalog.save()
    before = _blocks(tmp_path)[DRAFT]
    _glossary_row(tmp_path / "glossary", "Shanghai Customs District")
    stats, _ = _run(tmp_path)
    assert _without_glossary_line(_blocks(tmp_path)[DRAFT]) == _without_glossary_line(before)
    assert polib.pofile(str(tmp_path / "doc.en.po")).find(DRAFT, by="msgctxt").msgstr == \
        "[zh:2] Shanghai Customs [zh:6]."
    assert stats.retranslated == 0 and any("kept as a translator's" in w for w in stats.warnings)


def test_a_phrase_or_an_unrelated_row_changing_sends_nothing(tmp_path):
    """Phrases are never placeholders, so no draft carries their English; a row of a term the
    document does not use changes no draft either."""
    _start(tmp_path)
    before = _blocks(tmp_path)[UNRELATED]
    assert {"#. glossary: 落实责任 = fulfil responsibilities", "#. origin: machine translation (pseudo/0.1.0)",
            "#, fuzzy"} <= set(before)
    _glossary_row(tmp_path / "glossary", "Shanghai Customs", phrase="fulfil their responsibilities",
                  ningbo="Ningbo Customs District")
    stats, engine = _run(tmp_path)
    assert engine.inputs == [] and stats.retranslated == 0
    after = _blocks(tmp_path)[UNRELATED]
    assert "#. glossary: 落实责任 = fulfil their responsibilities" in after
    assert _without_glossary_line(after) == _without_glossary_line(before)


def test_a_draft_is_recognised_as_the_engines_whatever_other_english_holds_the_terms_words():
    """``untouched``: the new English may also sit inside another term's English ("overseas
    warehouse" in "overseas warehouses"), the old one inside a word ("port" in "support"); either
    way an unedited draft is the engine's, and a draft edited anywhere else is not."""
    from bilingual.draftrefresh import untouched

    depot = {"海外仓": ("overseas depot", "overseas warehouse")}
    assert untouched("Export to overseas warehouses; support the overseas depot.",
                     "Export to overseas warehouses; support the overseas warehouse.", depot)
    port = {"口岸": ("port", "border crossing")}
    assert untouched("We support the port.", "We support the border crossing.", port)
    assert not untouched("We strongly support the port.", "We support the border crossing.", port)
    assert not untouched("Export to overseas warehouses; help the overseas depot.",
                         "Export to overseas warehouses; support the overseas warehouse.", depot)
