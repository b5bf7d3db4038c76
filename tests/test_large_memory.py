"""A large new document's PO file is written without the whole file, or the whole catalogue, in memory.

A 50 MB source makes a 230 MB PO file and ~300,000 entries (bench/library_bench.py, the
50 MB row). Rendering it as one string, encoding that, and holding every entry at once cost
~40 bytes of memory per source byte; :func:`bilingual.po.merge_catalog` (``stream=True``)
and :func:`bilingual.po.save_catalog` make, write and forget one entry at a time. These
tests pin that property by allocation size (tracemalloc), not by time.
"""

import tracemalloc

from bilingual import model
from bilingual.model import Segment
from bilingual.po import StreamedCatalog, Translation, align, load_catalog, merge_catalog, save_catalog
from bilingual.translate import DocWork, Job, Prepared, Stats, merge_document, write_document

# Sentences of the kind the generated large document has (bench/workload.py), numbered on.
SENTENCE = "市商务委会同市相关部门，健全完善贸易调整援助协调机制，第{n}条规定的事项于2029年3月底前完成。"


def _document(count: int):
    segments = [Segment(ctx=f"article-{n}.s1", source=SENTENCE.format(n=n), kind=model.MEASURE, line=n + 1)
                for n in range(count)]
    proposals = {s.ctx: Translation(f"The municipal commission of commerce, item {n}, completes this by March 2029.",
                                    True, ["origin: machine translation (pseudo/0.1.0)",
                                           f"mt-check: numbers: not in the source {n}, {n + 1}"])
                 for n, s in enumerate(segments)}
    comments = {s.ctx: [f"section {n // 50 + 1}: 第{n // 50 + 1}章 贸易调整援助"] for n, s in enumerate(segments)}
    return segments, proposals, comments


def _merge(segments, proposals, comments, stream=True):
    return merge_catalog(segments, proposals, None, document="large", source_ref="large.zh.txt",
                         comments=comments, stream=stream)


def _peak_of(action) -> int:
    """Bytes allocated at the peak of ``action()`` beyond what was allocated before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_a_new_po_file_is_merged_and_written_one_entry_at_a_time(tmp_path):
    segments, proposals, comments = _document(12000)
    path = tmp_path / "large.en.po"
    peak = _peak_of(lambda: save_catalog(_merge(segments, proposals, comments), path, None))
    size = path.stat().st_size
    assert size > 5_000_000
    # The whole text as a str alone is ~1.3× the file (Chinese: 2 bytes a character), its UTF-8
    # copy 1×, the whole catalogue ~3×; written entry by entry, the peak is a few chunks.
    assert peak < size / 5, f"peak {peak:,} bytes for a {size:,}-byte file"
    assert not proposals and not comments  # each proposal and comment list released as its entry was made
    # Same bytes as the catalogue built whole (the header's dates aside: they are the same minute or not).
    whole = tmp_path / "whole.en.po"
    _, again, notes = _document(12000)
    save_catalog(_merge(segments, again, notes, stream=False), whole, None)
    assert _without_dates(path.read_text(encoding="utf-8")) == _without_dates(whole.read_text(encoding="utf-8"))


def _without_dates(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if "-Date: " not in line)


def test_the_peak_grows_no_faster_than_the_document(tmp_path):
    peaks = {}
    for count in (1500, 6000):
        parts = _document(count)
        peaks[count] = _peak_of(lambda parts=parts, path=tmp_path / f"{count}.en.po": save_catalog(
            _merge(*parts), path, None))
    # Four times the entries, at most about the same peak (the chunk size bounds it), not four times.
    assert peaks[6000] < 1.5 * peaks[1500] + 200_000, peaks


def test_a_streamed_catalog_is_counted_while_it_is_written(tmp_path):
    segments, proposals, _ = _document(300)
    proposals["article-7.s1"] = Translation("", False, ["suspect name: 上海市海归会 (closest known: 上海海关)"])
    proposals["article-8.s1"] = Translation("Reviewed English.", False, ["origin: glossary"])
    job = Job("large", tmp_path / "large.zh.txt", tmp_path / "large.en.po")
    document = model.Document(source="large.zh.txt", blocks=())
    work = DocWork(Prepared(job, document, segments, "large.zh.txt"), Stats(), None, {}, align(segments, None),
                   proposals, [])
    catalog = merge_document(work)  # what a run does: a new file's catalogue is streamed
    assert isinstance(catalog, StreamedCatalog)
    digest = write_document(work, catalog)
    st = work.stats
    assert st.written and digest is not None
    assert (st.fuzzy, st.untranslated, st.flagged) == (298, 1, 299)
    assert st.mt_flags == {"numbers": 298}
    # What a catalogue read back from the file counts the same way.
    entries = [e for e in load_catalog(job.po, "large") if e.msgid]
    assert sum("fuzzy" in e.flags for e in entries) == 298
