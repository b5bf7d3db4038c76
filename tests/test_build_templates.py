"""The HTML outputs are Jinja2 templates a publications team restyles without touching Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from pofactory import make_catalog, write_po

from bilingual.build import build_bilingual_html, build_html
from bilingual.build.templating import environment
from bilingual.errors import BilingualError

SHIPPED = Path(__file__).resolve().parent.parent / "bilingual" / "build" / "templates"


def test_templates_are_package_data_files():
    names = {p.name for p in SHIPPED.iterdir()}
    assert {"base.html", "english.html", "english-parts.html", "english.css", "review.html", "review.css"} <= names
    # the CSS on the page is the CSS file, byte for byte
    css = (SHIPPED / "english.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}</style>" in build_html(make_catalog())


def test_a_folder_of_templates_overrides_the_shipped_ones(tmp_path):
    (tmp_path / "english.css").write_text("body { font-family: 'House Serif', serif; }\n", encoding="utf-8")
    (tmp_path / "review.html").write_text(
        '{% extends "base.html" %}{% block body %}<p class="house">{{ doc_id }}: {{ total }}</p>\n{% endblock %}',
        encoding="utf-8")
    po = make_catalog()
    page = build_html(po, templates=tmp_path)
    assert "House Serif" in page and "color-scheme" not in page
    assert '<ol class="measures">' in page  # the rest of the page is the shipped markup
    review = build_bilingual_html(po, templates=tmp_path)
    assert f'<p class="house">shanghai-port-2025: {len([e for e in po if e.msgid])}</p>' in review
    assert "<table>" not in review
    assert "House Serif" not in build_html(po)  # no leak between folders (the environment is per folder)


def test_values_are_escaped_in_overriding_templates_too(tmp_path):
    (tmp_path / "review.html").write_text(
        '{% extends "base.html" %}{% block body %}{{ doc_id }}\n{% endblock %}', encoding="utf-8")
    po = make_catalog()
    po.metadata["X-Bilingual-Document"] = '<script>alert("x")</script>'
    page = build_bilingual_html(po, templates=tmp_path)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_broken_template_is_one_clear_error(tmp_path, run_cli):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "english.html").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(BilingualError, match="template english.html"):
        build_html(make_catalog(), templates=tmp_path / "tpl")
    with pytest.raises(BilingualError, match="templates folder not found"):
        build_html(make_catalog(), templates=tmp_path / "missing")
    po = write_po(tmp_path / "doc.en.po", make_catalog())
    out = tmp_path / "doc.html"
    result = run_cli(["build", po, "-f", "html", "-o", out, "--templates", tmp_path / "tpl"])
    assert result.returncode == 2 and "template english.html" in result.stderr
    assert not out.exists()
    result = run_cli(["build", po, "-f", "html", "-o", out, "--templates", SHIPPED])
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == build_html(make_catalog())


def test_environment_escapes_like_html_escape():
    template = environment().from_string("{{ a }}|{{ b }}")
    assert template.render(a="\"'<&>", b=None) == "&quot;&#x27;&lt;&amp;&gt;|"
