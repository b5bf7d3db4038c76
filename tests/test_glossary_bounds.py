"""A glossary folder is a curated termbase, not a bulk term dump: bounded rows and bytes.

A million-row CSV made ``translate`` take two minutes at 3 GB; past the bounds of
:mod:`bilingual.glossary.bounds` every command stops with one line naming the file (exit 2),
before it has written anything — an oversized folder before any of its files is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cliassert import one_line_error

from bilingual.glossary import bounds, read_glossary_files

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
HEADER = "zh,en,kind,full_form,en_abbr,note,source\n"  # the seven-column layout: the fewest bytes a row


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk: a bound checked from the size never reads it."""
    with open(path, "wb") as out:
        out.truncate(size)
    return path


def rows(count: int, start: int = 0) -> str:
    return "".join(f"术语{i},Term {i},phrase,,,n,s\n" for i in range(start, start + count))


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "glossary").mkdir()
    (folder / "doc.zh.txt").write_bytes(SHANGHAI.read_bytes())
    return folder


@pytest.mark.parametrize("split", [False, True], ids=["one-file", "two-files"])
def test_a_glossary_folder_over_the_byte_bound_is_refused_before_it_is_read(run_cli, work, split):
    glossary = work / "glossary"
    if split:  # each file under the bound, the two together over it: the second one is named
        sparse(glossary / "a.csv", bounds.MAX_BYTES // 2)
        named = sparse(glossary / "b.csv", bounds.MAX_BYTES // 2 + 1)
        what = f"brings its folder's CSV files to {bounds.MAX_BYTES + 1:,} bytes"
    else:
        named = sparse(glossary / "huge.csv", bounds.MAX_BYTES + (1 << 20))
        what = "is 33 MB"
    before = files_of(work)
    result = run_cli(["translate", "doc.zh.txt", "--engine", "none", "--glossary", "glossary", "-o", "doc.en.po"],
                     cwd=work)
    # zeros read as CSV would be a different finding: the refusal comes from the sizes alone
    one_line_error(result, named.relative_to(work), "glossary too large", what,
                   "over the 32 MB a glossary folder may hold", "a curated glossary holds")
    assert files_of(work) == before
    checked = run_cli(["glossary", "check", "--glossary", glossary, "-q"])
    one_line_error(checked, named, "glossary too large")


def test_a_glossary_folder_past_the_row_bound_is_refused(run_cli, work):
    big = work / "glossary" / "terms.csv"
    big.write_text(HEADER + "\n" + rows(bounds.MAX_ROWS + 1), encoding="utf-8")  # a blank line is no row
    assert big.stat().st_size < bounds.MAX_BYTES  # few bytes a row: only the row count can stop it
    before = files_of(work)
    result = run_cli(["translate", "doc.zh.txt", "--engine", "none", "--glossary", "glossary", "-o", "doc.en.po"],
                     cwd=work)
    one_line_error(result, Path("glossary") / "terms.csv", "glossary too large",
                   "more than 100,000 rows in its folder", "at line 100,003 of this file")
    assert files_of(work) == before


def test_the_row_bound_counts_every_file_of_a_folder_and_nothing_but_rows(work, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROWS", 4)
    glossary = work / "glossary"
    (glossary / "a.csv").write_text(HEADER + rows(2) + "\n,,,,,,\n", encoding="utf-8")  # blank rows are no rows
    (glossary / "b.csv").write_text(HEADER + rows(2, start=2), encoding="utf-8")
    terms, problems = read_glossary_files(glossary)
    assert [t.zh for t in terms] == ["术语0", "术语1", "术语2", "术语3"] and problems == []
    (glossary / "b.csv").write_text(HEADER + rows(3, start=2), encoding="utf-8")
    with pytest.raises(bounds.GlossaryTooLarge) as refused:
        read_glossary_files(glossary)
    assert refused.value.path == str(glossary / "b.csv")
    assert "more than 4 rows in its folder (the next one at line 4 of this file)" in refused.value.message
    # a file that is not UTF-8 is one finding, and none of its rows count (decoding stops past 8 KB here)
    (glossary / "a.csv").write_bytes((HEADER + "".join(f"术语{i},T,phrase,,,{'n' * 4000},s\n" for i in (7, 8, 9))
                                      ).encode() + "术语9,T,phrase,,,n,s\n".encode("gb18030"))
    terms, problems = read_glossary_files(glossary)
    assert [t.zh for t in terms] == ["术语2", "术语3", "术语4"]
    assert [(p.file, p.code) for p in problems] == [(str(glossary / "a.csv"), "encoding")]

