"""An HTML page no document has is refused before it is parsed (``bilingual/ingest/htmlbounds.py``).

A 20 MB page on one line was refused — too deep, or one paragraph longer than the sentence
splitter takes — but only after BeautifulSoup and lxml had built its tree: 0.6–2.4 GB of memory.
The tests here run the command in an address space of 400 MB: a refusal that comes from
parsing such a page cannot happen there (it ends in ``MemoryError``), so the right one-line
refusal shows that the page was never parsed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from cliassert import one_line_error

from bilingual import fileio
from bilingual.errors import BilingualError
from bilingual.ingest.htmlbounds import MIN_ELEMENTS, PARAGRAPH_CHARS, check_page, max_elements

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDRESS_SPACE = 400 << 20
HEAD = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>'
SENTENCE = "上海口岸促进跨境贸易便利化，"  # 14 characters, 42 bytes


def run_bounded(args, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m bilingual ARGS`` with its address space capped at :data:`ADDRESS_SPACE`."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "bilingual", *map(str, args)], cwd=cwd, env=env, preexec_fn=cap,
                          capture_output=True, text=True, timeout=300, check=False)


def one_line_page(kind: str, size: int = 20 << 20) -> str:
    if kind == "text":  # one paragraph of 7 million characters, 20 MB
        return HEAD + "<p>" + SENTENCE * (size // 42) + "</p></body></html>"
    if kind == "nested":  # four million <div>, never closed: far deeper than 256
        return HEAD + "<div>" * (size // 5)
    return HEAD + "<p>" + "<span>上海</span>" * (size // 19) + "</p></body></html>"  # a million inline elements


@pytest.mark.parametrize(("kind", "refusal"), [
    ("text", f"line 1: a paragraph of {len(SENTENCE) * ((20 << 20) // 42):,} characters, more than the sentence "
             "splitter takes (1,000,000)"),
    ("nested", f"is an HTML page of more than {max_elements():,} elements"),
    ("inline", f"is an HTML page of more than {max_elements():,} elements"),
])
def test_a_20_mb_page_on_one_line_is_refused_before_it_is_parsed(tmp_path, kind, refusal):
    page = tmp_path / "notice.html"
    page.write_text(one_line_page(kind), encoding="utf-8")
    result = run_bounded(["translate", page.name, "--engine", "none", "--no-state", "-o", "notice.en.po"], tmp_path)
    one_line_error(result, page.name, refusal, "refused before parsing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.html"]
    page.unlink()


def test_the_text_bound_is_the_splitters_and_only_text_counts():
    line = "上" * PARAGRAPH_CHARS
    check_page(f"{HEAD}<p>  {line}   </p>", "page.html")  # at the bound once spaces are stripped: taken
    with pytest.raises(BilingualError, match=r"line 3: a paragraph of 1,000,001 characters"):
        check_page(f"{HEAD}\n<p>短</p>\n<p>{line}海</p>", "page.html")
    for page in (
        f'{HEAD}<script>var state = "{line}x";</script>',  # a page's script or JSON state
        f"{HEAD}<style>/* {line} */</style><!-- a > {line} -->",  # a style, a comment
        f'{HEAD}<p><img alt="图" src="data:image/png;base64,{"A" * (PARAGRAPH_CHARS + 1)}"></p>',  # markup
        f"{HEAD}<pre>{(('海' * 999) + chr(10)) * 1100}</pre>",  # a long text of short lines
        f"{HEAD}<p>{'&amp;' * 250_000}</p>",  # 1.25 million characters written, 250,000 read
        f"{HEAD}<p>{'海   ' * 300_000}</p>",  # 1.2 million written, 600,000 once spaces collapse
    ):
        check_page(page, "page.html")


def test_the_element_bound_follows_max_size(monkeypatch):
    monkeypatch.setattr(fileio, "_max_size", 1 << 20)  # --max-size 1M: the floor of the bound
    assert max_elements() == MIN_ELEMENTS
    check_page(HEAD[:-6] + "<p>" * (MIN_ELEMENTS - 4), "page.html")  # and html, head, meta, title
    with pytest.raises(BilingualError, match=f"more than {MIN_ELEMENTS:,} elements.*now 1 MB"):
        check_page(HEAD + "<p>" * (MIN_ELEMENTS - 4), "page.html")
    monkeypatch.setattr(fileio, "_max_size", 100 << 20)
    assert max_elements() == 819_200
