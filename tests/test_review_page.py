"""The review page as a review tool: statuses, flags, origins, notes, source diffs, anchors, CSP."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from pofactory import fake_glossary
from reviewfactory import CHANGED, FLAG_MT, FLAG_NAME, review_catalog

from bilingual.build import build_bilingual_html
from bilingual.build.review import origin_of, source_diff


class Rows(HTMLParser):
    """Each ``tr[data-ctx]``: its attributes and the text of its elements by class."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict] = {}
        self.ids: list[str] = []
        self.row: dict | None = None
        self.stack: list[str] = []
        self.scripts: list[str] = []
        self.in_script = False
        self.csp = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]
        if tag == "script":
            self.in_script = True
            self.scripts.append("")
        if tag == "tr" and "data-ctx" in attrs:
            self.row = {"attrs": attrs, "text": {}, "tags": []}
            self.rows[attrs["data-ctx"]] = self.row
        if self.row is not None:
            self.row["tags"].append((tag, attrs))
            self.stack.append(attrs.get("class", tag))

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if self.row is not None and self.stack:
            self.stack.pop()
        if tag == "tr":
            self.row, self.stack = None, []

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
        if self.row is not None and self.stack:
            key = self.stack[-1]
            self.row["text"][key] = self.row["text"].get(key, "") + data


def parse(page: str) -> Rows:
    parser = Rows()
    parser.feed(page)
    parser.close()
    return parser


def test_every_row_has_its_msgctxt_as_anchor_and_its_status():
    po = review_catalog()
    page = parse(build_bilingual_html(po, fake_glossary()))
    entries = [e for e in po if not e.obsolete]
    assert list(page.rows) == [e.msgctxt for e in entries]
    for entry in entries:
        row = page.rows[entry.msgctxt]
        assert row["attrs"]["id"] == entry.msgctxt
        assert ("a", {"class": "anchor", "href": f"#{entry.msgctxt}"}) in row["tags"]
        expected = "untranslated" if not entry.msgstr else ("mt" if entry.fuzzy else "reviewed")
        assert row["attrs"]["data-status"] == expected
    assert len(page.ids) == len(set(page.ids)), "ids must be unique for anchors to work"
    reviewed = page.rows["measure-1.s2"]
    assert "reviewed" in row_classes(reviewed) and reviewed["text"]["status"] == "reviewed"


def row_classes(row) -> set[str]:
    return set(row["attrs"]["class"].split())


def test_flagged_rows_show_their_reasons():
    page = parse(build_bilingual_html(review_catalog(), fake_glossary()))
    flagged = {ctx for ctx, row in page.rows.items() if "data-flagged" in row["attrs"]}
    assert flagged == {"measure-15.s3", "measure-5.s2"}
    assert page.rows["measure-15.s3"]["text"]["flag-reason"] == FLAG_MT
    assert page.rows["measure-5.s2"]["text"]["flag-reason"] == FLAG_NAME
    assert "flagged" in row_classes(page.rows["measure-5.s2"])
    assert page.rows["measure-5.s2"]["attrs"]["data-status"] == "untranslated"  # flags are orthogonal
    summary = re.search(r'<p class="summary">([^<]*)</p>', build_bilingual_html(review_catalog())).group(1)
    assert summary.endswith("; 2 flagged.")


def test_origin_of_each_english_and_translator_notes():
    page = parse(build_bilingual_html(review_catalog(), fake_glossary()))
    kinds = {}
    for ctx, row in page.rows.items():
        spans = [attrs for tag, attrs in row["tags"] if attrs.get("class") == "origin"]
        kinds[ctx] = spans[0]["data-origin"] if spans else None
    assert kinds["notice.issuer-1"] == "glossary"
    assert kinds["notice.date"] == "rule"
    assert kinds["measure-15.s2"] == "MT"
    assert kinds["measure-2.s1"] == "memory"
    assert kinds["measure-20.s2"] is None  # untranslated: no English, no origin
    assert page.rows["measure-2.s1"]["text"]["origin"] == "origin: translation memory old.tmx (exact match)"
    assert page.rows["measure-1.s1"]["text"]["note"] == ("translator: Checked against the GACC English page."
                                                         "translator: Keep 'Optimise' (house style).")
    assert origin_of("origin: moved from measure-3.s1") == ("moved", "moved from measure-3.s1")


def test_changed_source_is_shown_as_a_diff():
    po = review_catalog()
    page = build_bilingual_html(po)
    row = parse(page).rows[CHANGED]
    assert row["text"]["label"] == "Previous source:"
    assert row["text"]["del"] == "柜" and row["text"]["ins"] == "箱"
    # a diff rebuilds both sources
    entry = po.find(CHANGED, by="msgctxt")
    runs = source_diff(entry.previous_msgid, entry.msgid)
    assert "".join(t for op, t in runs if op != "ins") == entry.previous_msgid
    assert "".join(t for op, t in runs if op != "del") == entry.msgid
    assert page.count('class="previous"') == 1


def test_script_is_allowed_by_its_hash_and_nothing_loads():
    page = parse(build_bilingual_html(review_catalog(), fake_glossary()))
    assert len(page.scripts) == 1
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page.csp and "default-src 'none'" in page.csp
    assert "fetch(" not in page.scripts[0] and "XMLHttpRequest" not in page.scripts[0]


def test_a_reviewed_row_is_not_flagged_by_the_mt_lines_of_the_output_it_replaced():
    """A translator unfuzzied machine output in Poedit; its ``mt-check:`` line stays in the file until
    a run rewrites the entry. check and translate's ``flagged`` count ignore it on a reviewed entry:
    so does the page (it said "reviewed · flagged", and counted one more than translate)."""
    catalog = review_catalog()
    signed = catalog.find("measure-15.s3", by="msgctxt")
    signed.flags.remove("fuzzy")
    page = parse(build_bilingual_html(catalog, fake_glossary()))
    assert page.rows["measure-15.s3"]["attrs"]["data-status"] == "reviewed"
    assert "data-flagged" not in page.rows["measure-15.s3"]["attrs"]
    assert "flag-reason" not in page.rows["measure-15.s3"]["text"]
    flagged = {ctx for ctx, row in page.rows.items() if "data-flagged" in row["attrs"]}
    assert flagged == {"measure-5.s2"}
    summary = re.search(r'<p class="summary">([^<]*)</p>', build_bilingual_html(catalog)).group(1)
    assert summary.endswith("; 1 flagged.")


def test_an_earlier_translation_kept_in_a_note_is_shown_as_english_not_as_a_po_string():
    """merge.py keeps a replaced translation as ``earlier translation: "…"``, quoted and escaped
    like a PO string so that its quotes, backslashes and line breaks survive the comment; the
    page shows the English itself. Other notes are shown as written."""
    from bilingual.po import earlier_note

    po = review_catalog()
    entry = po.find("measure-1.s1", by="msgctxt")
    kept = 'Use the "Single Window" C:\\ path\nand\ttabs'
    entry.tcomment = "\n".join([earlier_note(kept), 'not a kept one: "\\"'])
    notes = parse(build_bilingual_html(po, fake_glossary())).rows["measure-1.s1"]["text"]["note"]
    assert notes == f'translator: earlier translation: {kept}translator: not a kept one: "\\"'
