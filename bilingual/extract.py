"""The gettext template (POT) of a source document: ``bilingual extract SOURCE -o DOC.pot``.

The template is what ``xgettext`` would write for a program: every segment with its
``msgctxt`` id, the Chinese ``msgid``, the ``#.`` comments the PO files carry (section,
measure, lead agencies, glossary terms), the ``#:`` reference to the source line and
an empty ``msgstr``; the header is the gettext template header (``Language`` empty,
``#, fuzzy``), so that

* ``msgmerge --previous OLD.po DOC.pot`` updates a translation to a changed source,
  keeping reviewed work (an unchanged entry stays as it is, a changed one comes back
  fuzzy with ``#| msgid``);
* ``msginit -i DOC.pot -l fr`` (or Weblate's "template for new translations")
  starts a new target language;
* entries whose Chinese holds ``%`` (``70%的支持``) are flagged ``no-c-format``, as
  xgettext flags them, so no tool takes ``%的`` for a printf directive.

The pipeline itself does not need the template: ``bilingual translate`` merges by
source and id directly (and moves translations whose ids shifted, which msgmerge
can only offer as fuzzy matches). The POT is for the gettext tools and Weblate.
Extracting again from an unchanged source leaves the file untouched (its
``POT-Creation-Date`` is not a reason to rewrite it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BilingualError
from .fileio import atomic_write_text
from .fileio import read_existing as read_output
from .po import (
    HEADER_DOC,
    HEADER_SOURCE,
    WRAP_WIDTH,
    PoSyntaxError,
    catalog_text,
    decode_po,
    format_flags,
    has_translation,
    now_stamp,
    parse_text,
)


@dataclass
class Extracted:
    """What ``extract`` wrote: the template's path, its entry count, and whether it changed."""

    document: str
    pot: str
    segments: int
    written: bool

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def template_metadata(document: str, source_ref: str) -> dict[str, str]:
    """A gettext template header (msginit fills in the translator-side fields)."""
    return {
        "Project-Id-Version": f"bilingual {document}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now_stamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": "zh",
        HEADER_DOC: document,
        HEADER_SOURCE: source_ref,
    }


def template_catalog(segments, comments: dict[str, list[str]], *, document: str, source_ref: str):
    """The POT catalogue of ``segments`` (document order, empty msgstr)."""
    import polib

    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.header = (f"Translation template of {document}, extracted by bilingual from {source_ref}.\n"
                  "Regenerate with: bilingual extract SOURCE -o FILE.pot")
    pot.metadata = template_metadata(document, source_ref)
    pot.metadata_is_fuzzy = True
    for seg in segments:
        pot.append(polib.POEntry(msgctxt=seg.ctx, msgid=seg.source, msgstr="",
                                 occurrences=[(source_ref, str(seg.line))],
                                 comment="\n".join(comments.get(seg.ctx, [])),
                                 flags=format_flags(seg.source)))
    return pot


def _same_template(old_text: str, new) -> bool:
    """The file on disk says what ``new`` says, apart from its creation date (and line wrapping)."""
    try:
        old = parse_text(old_text)
    except (OSError, ValueError):
        return False

    def content(catalog) -> tuple:
        meta = {k: v for k, v in catalog.metadata.items() if k != "POT-Creation-Date"}
        return tuple(sorted(meta.items())), tuple(
            (e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), tuple(e.occurrences), e.comment) for e in catalog)

    return content(old) == content(new)


def _previous_template(output: Path) -> str | None:
    """The template ``output`` holds now (None: no file, or an empty one). A file that is not a
    template is refused, left as it is: a PO file with translations or translator notes (``-o
    doc.en.po`` instead of ``doc.pot`` would replace a translator's work with empty msgstr, as
    ``translate`` refuses such mistakes too), or a file that is not PO at all."""
    data = read_output(output)  # bounded; None for a new file or a device written through
    if data is None:
        return None
    text = decode_po(data, output)
    if not text.strip():
        return None
    try:
        catalog = parse_text(text)
    except PoSyntaxError as exc:
        where = str(exc).partition(":")[0]  # "syntax error at line N"
        raise BilingualError(f"exists and is not a PO template ({where}); it was left unchanged", output) from None
    work = [e for e in catalog if has_translation(e) or e.tcomment]
    if work:
        translated = sum(1 for e in work if has_translation(e))
        notes = len(work) - translated
        held = f"{translated} translations" + (f" and {notes} translator notes" if notes else "")
        raise BilingualError(
            f"is a translation file ({held}), not a template: extracting would replace them with empty msgstr; "
            "it was left unchanged (write the template to a .pot file)", output)
    return text


def extract(source: str | Path, output: str | Path, *, name: str | None = None, encoding: str | None = None,
            glossary=None, chosen: bool = False) -> Extracted:
    """Read ``source``, segment it, and write its template to ``output`` (atomically).

    The ``glossary:`` comments come from the glossary ``translate`` uses for the document:
    its issuer's scope (scope.py), or ``glossary`` as given when ``chosen`` (a config's
    ``glossary_files``). A template with another city's short forms would bring them into
    the PO file at the next ``msgmerge``.
    """
    from .config import document_name_for
    from .entrycomments import note_unresolved_short_forms, segment_comments
    from .preparation import Job, prepare

    source, output = Path(source), Path(output)
    document = name or document_name_for(source)
    prep = prepare(Job(document, source, output, encoding))
    inference = None
    if not chosen:
        from .scope import document_glossary

        glossary, inference = document_glossary(glossary, prep.document)
    comments = segment_comments(prep.document, prep.segments, glossary)
    if inference is not None and inference.place is None:
        note_unresolved_short_forms(prep.segments, comments)  # as translate writes them
    pot = template_catalog(prep.segments, comments, document=document, source_ref=prep.source_ref)
    previous = _previous_template(output)
    if previous is not None and _same_template(previous, pot):
        return Extracted(document, str(output), len(prep.segments), False)
    atomic_write_text(output, catalog_text(pot))
    return Extracted(document, str(output), len(prep.segments), True)
