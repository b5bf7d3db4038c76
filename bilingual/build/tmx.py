"""A TMX 1.4b memory of the reviewed zh→en pairs, for CAT tools and ``translate --tm``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .. import __version__
from ..po import active_entries, is_reviewed
from .status import document_id, ensure_reviewed

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_BAD.sub("", text)


def _tmx_date(po) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})", po.metadata.get("PO-Revision-Date", ""))
    return f"{m.group(1)}{m.group(2)}{m.group(3)}T{m.group(4)}{m.group(5)}00Z" if m else ""


def build_tmx(po, *, reviewed_only: bool = False) -> str:
    """A TMX 1.4b memory of the reviewed zh→en pairs.

    ``tuid`` is ``<document>/<msgctxt>`` (unique across documents), with the msgctxt
    and the document also as ``x-context`` and ``x-bilingual-document`` props, which
    :mod:`bilingual.memory` reads to tell a match from the same place.
    """
    if reviewed_only:
        ensure_reviewed(po)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "bilingual",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "PO",
        "adminlang": "en",
        "srclang": "zh",
        "datatype": "plaintext",
    })
    date = _tmx_date(po)
    if date:
        header.set("creationdate", date)
    doc_id = document_id(po)
    if doc_id:
        ET.SubElement(header, "prop", type="x-bilingual-document").text = _xml_text(doc_id)
    body = ET.SubElement(root, "body")
    for entry in active_entries(po):
        if not is_reviewed(entry):
            continue
        tu = ET.SubElement(body, "tu")
        if entry.msgctxt:
            # unique across documents, so memories of many documents can be merged
            tu.set("tuid", _xml_text(f"{doc_id}/{entry.msgctxt}" if doc_id else entry.msgctxt))
            # Translate Toolkit reads the PO context back from this prop (as its po2tmx writes it).
            ET.SubElement(tu, "prop", type="x-context").text = _xml_text(entry.msgctxt)
        if doc_id:  # per unit too: a CAT tool merging memories keeps unit props, not headers
            ET.SubElement(tu, "prop", type="x-bilingual-document").text = _xml_text(doc_id)
        for lang, text in (("zh", entry.msgid), ("en", entry.msgstr)):
            tuv = ET.SubElement(tu, "tuv", {xml_lang: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(text)
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")

