"""The parts of `bilingual align`: English cleaning and structure, sentences, anchors, names, lengths.

Forms below are the ones found on real official translations (tests/align/SOURCES.md); the
expected results are written by hand.
"""

from __future__ import annotations

import pytest

from bilingual import model
from bilingual.align import lengths
from bilingual.align.anchors import Anchors, en_numbers, zh_numbers
from bilingual.align.english import clean_english, strip_markdown
from bilingual.align.enstructure import is_doc_number, is_name_line, parse_english, split_agencies
from bilingual.align.names import pair_names, split_names
from bilingual.align.sentences import split_sentences


def _parse(text: str):
    return parse_english(clean_english(text, "t.txt"))


@pytest.mark.parametrize("line", [
    "Hu Shang Zi Mao [2023] No. 132", "Hu Shang Zi Mao [2021] No. 40 Document", "Guo Ban Fa [2021] No. 24",
    "GUOBANFA [2020]28", "SMPG GO G [2021] No. 25", "No. 24 [2021] of the General Office of the State Council",
    "General Administration of Customs Announcement No. 196 of 2023",
])
def test_document_numbers_of_official_translations(line):
    assert is_doc_number(line)


@pytest.mark.parametrize("line", ["In 2021 the share of advance declarations is expected to exceed 50%.",
                                  "June 21, 2023", "I. General Requirements"])
def test_not_document_numbers(line):
    assert not is_doc_number(line)


def test_names_one_a_line_are_names_and_sentences_are_not():
    assert is_name_line("Shanghai Municipal Tax Service, State Taxation Administration")
    assert is_name_line("China Banking and Insurance Regulatory Commission Shanghai office")
    assert is_name_line("Shanghai Municipal Development & Reform Commission")
    assert not is_name_line("To all departments concerned,")
    assert not is_name_line("Circular on Issuing the Several Measures for Deepening the Reform")
    assert not is_name_line("Port charges will be regulated.")


def test_front_matter_body_signatures_and_attachment():
    doc = _parse("Shanghai Municipal Commission of Commerce\nShanghai Customs District\n\n"
                 "Hu Shang Zi Mao [2023] No. 132\n\nCircular on Issuing the Several Measures\n\n"
                 "To all departments concerned,\n\nThe Measures are hereby issued to you. Please implement them.\n\n"
                 "Shanghai Municipal Commission of Commerce\n\nJune 21, 2023\n\n"
                 "(This document is released for public disclosure)\n\n(This article has been abridged)\n\n"
                 "Several Measures for Deepening the Reform\n\nThe following measures are formulated.\n\n"
                 "I. Improving Efficiency\n\n(1) Reducing time. Customs will act. (Shanghai Customs District)\n\n"
                 "(2) Second measure.\n\nLead agencies: Shanghai Customs District; Shanghai Maritime Safety "
                 "Administration\n")
    got = [(b.kind, b.key) for b in doc.blocks]
    assert got == [
        (model.ISSUER, "notice.issuer-1"), (model.ISSUER, "notice.issuer-2"), (model.DOC_NUMBER, "notice.doc-number"),
        (model.TITLE, "notice.title"), (model.ADDRESSEE, "notice.addressee"), (model.BODY, "notice"),
        (model.SIGNATORY, "notice.signatory-1"), (model.DATE, "notice.date"),
        (model.DISCLOSURE, "notice.disclosure"), ("note", "note.line-18"),
        (model.ATTACHMENT_TITLE, "attachment.title"), (model.PREAMBLE, "preamble"),
        (model.SECTION_TITLE, "section-1.title"), (model.MEASURE, "measure-1"), (model.AGENCIES, "measure-1.agencies"),
        (model.MEASURE, "measure-2"), (model.AGENCIES, "measure-2.agencies"),
    ]
    agencies = [b for b in doc.blocks if b.kind == model.AGENCIES]
    assert agencies[0].names == "Shanghai Customs District"
    assert agencies[1].names == "Shanghai Customs District; Shanghai Maritime Safety Administration"


def test_measure_styles_and_items():
    doc = _parse("I. Heading\n\n1. First measure.\n\n(1) an item of it.\n\n2. Second measure.\n\n"
                 "II. Other\n\n3. Third measure.\n")
    assert [(b.key, b.label) for b in doc.blocks] == [
        ("section-1.title", "I."), ("measure-1", "1."), ("measure-1.item-1", "(1)"), ("measure-2", "2."),
        ("section-2.title", "II."), ("measure-3", "3.")]
    roman = _parse("III. Customs\n\nviii. Seals will be issued centrally.\n\nix. Paperless operations.\n")
    assert [(b.key, b.number) for b in roman.blocks] == [("section-1.title", 3), ("measure-1", 8), ("measure-2", 9)]


@pytest.mark.parametrize("text, names", [
    ("Customs will act. (Shanghai Customs District, Shanghai Municipal Commission of Commerce)",
     "Shanghai Customs District, Shanghai Municipal Commission of Commerce"),
    ("Insurers will act. (The Ministry of Finance, the Ministry of Commerce, and China Export & Credit Insurance "
     "Corporation shall take their assigned responsibilities).",
     "Ministry of Finance, the Ministry of Commerce, and China Export & Credit Insurance Corporation"),
    ("Zones will open. (The Ministry of Commerce, the General Administration of Customs and other departments "
     "shall be responsible according to the division of their duties.)",
     "Ministry of Commerce, the General Administration of Customs"),
    ("Act. (Responsible entities: Shanghai Customs)", "Shanghai Customs"),
])
def test_final_agency_parenthesis(text, names):
    body, paren, found = split_agencies(text)
    assert found == names and text.startswith(body) and paren.startswith("(")


def test_a_final_parenthesis_that_is_not_names_stays():
    text = "Exports grow under the new mode (see the list published by the ministry)."
    assert split_agencies(text) == (text, "", "")


def test_sentences_keep_abbreviations_numbers_and_quotes_together():
    text = ('See Hu Shang Zi Mao [2023] No. 132 of Shanghai International Port (Group) Co., Ltd. for details. '
            'The "One Window. One Portal." slogan stays whole. In 2021 the U.S. share fell. It was 3.5% in total.')
    assert split_sentences(text) == [
        "See Hu Shang Zi Mao [2023] No. 132 of Shanghai International Port (Group) Co., Ltd. for details.",
        'The "One Window. One Portal." slogan stays whole.',
        "In 2021 the U.S. share fell.", "It was 3.5% in total."]


def test_cleaning_joins_wrapped_lines_and_drops_furniture():
    text = ("【译文】上海口岸2023年若干措施(英文版)\n发布日期(2023-06-21)\n"
            "Shanghai Municipal Commission of Commerce | Updated:Mar 5, 2021\n"
            "Shanghai Municipal Commission of Commerce\nShanghai Customs\n\n"
            "The bodies jointly formulate the\n\nSeveral Measures for Strengthening the Reform\n\n"
            ", which is hereby issued.\n- 2 -\nIt follows the Action\\r\\n Plan of Shanghai\n\nMunicipality.\n")
    lines = clean_english(text, "t.html").lines
    assert lines == ("Shanghai Municipal Commission of Commerce", "Shanghai Customs",
                     "The bodies jointly formulate the Several Measures for Strengthening the Reform, which is hereby "
                     "issued.", "It follows the Action Plan of Shanghai", "Municipality.")


def test_hard_wrapped_text_is_joined_and_short_name_lines_are_not():
    wrapped = ("Shanghai Municipal Commission of Commerce\nShanghai Customs District\n\n"
               "In order to apply the spirit of the 20th National Congress of the Communist\n"
               "Party of China, the bodies below have jointly formulated the Several Measures\n"
               "for Deepening the Reform of the Business Environment for Cross-border Trade\n"
               "at Ports of Entry in Shanghai in 2023. The Measures are hereby issued to you.\n")
    lines = clean_english(wrapped, "t.txt").lines
    assert lines[:2] == ("Shanghai Municipal Commission of Commerce", "Shanghai Customs District")
    assert len(lines) == 3 and lines[2].endswith("in 2023. The Measures are hereby issued to you.")


def test_markdown_of_our_own_build():
    assert strip_markdown("Hu Shang Zi Mao \\[2025\\] No. 181") == "Hu Shang Zi Mao [2025] No. 181"
    assert strip_markdown("**(1) Continuing the pilot.** Support more tanks.") == \
        "(1) Continuing the pilot. Support more tanks."
    assert strip_markdown("*Lead agencies:* Shanghai Customs; Shanghai Municipal Public Security Bureau") == \
        "Lead agencies: Shanghai Customs; Shanghai Municipal Public Security Bureau"
    assert strip_markdown("Shanghai Customs\\") == "Shanghai Customs"
    assert strip_markdown("bonded R\\&D \\<9610\\> in 2025\\. 7\\*24") == "bonded R&D <9610> in 2025. 7*24"
    assert strip_markdown("### I. Optimizing regulation") == "I. Optimizing regulation"
    assert strip_markdown("> **Draft:** text marked [ZH] is the Chinese original") == ""


def test_number_anchors():
    assert zh_numbers("2023年6月21日，７×２４小时，70%") == en_numbers("June 21, 2023, 24/7, 70 percent")
    assert en_numbers("the 20th National Congress") == {}
    assert en_numbers("1,000 enterprises") == {"1000": 1}
    anchors = Anchors(None)
    assert anchors("到2025年", "By 2025, more")[0] > 0
    score, conflict = anchors("到2025年", "By 2035, more")
    assert conflict and score < 0
    assert anchors("推动更多AEO企业", "More enterprises will benefit")[0] < anchors("推动更多AEO企业", "More AEO firms")[0]


def test_split_names_regroups_commas_and_ands():
    forms = [["Shanghai Municipal Tax Service, State Taxation Administration"],
             ["Shanghai Municipal Development and Reform Commission"], ["Shanghai Municipal Finance Bureau"]]
    text = ("Shanghai Municipal Tax Service, State Taxation Administration, Shanghai Municipal Development "
            "and Reform Commission and Shanghai Municipal Finance Bureau")
    assert split_names(text, 3, forms) == [
        "Shanghai Municipal Tax Service, State Taxation Administration",
        "Shanghai Municipal Development and Reform Commission", "Shanghai Municipal Finance Bureau"]


def test_pair_names_by_glossary_then_by_order():
    zh = [("z1", "上海海关"), ("z2", "未知单位"), ("z3", "上海市财政局")]
    en = [("e1", "Shanghai Customs District"), ("e2", "Some Unknown Office"), ("e3", "Shanghai Municipal Finance Bureau")]
    forms = [["Shanghai Customs"], [], ["Shanghai Municipal Finance Bureau"]]
    got = [(p.zh, p.en, p.how) for p in pair_names(zh, en, forms)]
    assert got == [("上海海关", "Shanghai Customs District", "glossary"), ("未知单位", "Some Unknown Office", "order"),
                   ("上海市财政局", "Shanghai Municipal Finance Bureau", "glossary")]
    # two unknowns against one English name between anchors: not guessed
    zh2 = [zh[0], ("z2", "未知单位"), ("z2b", "另一单位"), zh[2]]
    got2 = [p.zh for p in pair_names(zh2, en, [forms[0], [], [], forms[2]])]
    assert got2 == ["上海海关", "上海市财政局"]


def test_length_dp_finds_one_two_and_two_one_beads():
    model_ = lengths.LengthModel.fit(100, 400)
    zh = ["一" * 10, "二" * 40, "三" * 12, "四" * 13]
    en = ["a" * 40, "b" * 80, "c" * 80, "d" * 100]
    beads = [(b.kind, b.i, b.j) for b in lengths.align(zh, en, model_)]
    assert beads == [("1-1", 0, 0), ("1-2", 1, 1), ("2-1", 2, 3)]


def test_a_conflicting_bead_is_not_kept():
    model_ = lengths.LengthModel.fit(100, 400)
    beads = lengths.align(["到2025年完成"], ["By 2035 it is done."], model_, Anchors(None))
    assert beads[0].conflict and not lengths.confident(beads[0])


def test_length_dp_finds_a_one_three_bead_and_doubts_an_unclear_one():
    model_ = lengths.LengthModel.fit(100, 400)
    beads = lengths.align(["一" * 60, "二" * 10], ["a" * 80, "b" * 80, "c" * 80, "d" * 40], model_)
    assert [(b.kind, b.i, b.j) for b in beads] == [("1-3", 0, 0), ("1-1", 1, 3)]
    assert lengths.confident(beads[0])
    # the first English sentence alone fits the Chinese: a 1-2 bead no better than 1-1 plus a skip
    doubtful = lengths.align(["一" * 30], ["a" * 120, "b" * 30], model_)
    assert [b.kind for b in doubtful] == ["1-2"] and not lengths.confident(doubtful[0])


def test_english_html_keeps_an_articles_header_and_footer_and_drops_the_pages(tmp_path):
    from bilingual.align.english import read_english

    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><header><p>Site Name</p><nav>Home | News</nav></header>"
        "<main><article><header class='masthead'><p>Shanghai Customs<br>Shanghai Municipal Finance Bureau</p>"
        "<p>Hu Shang Zi Mao [2025] No. 1</p></header><h1>Circular on the Measures</h1>"
        "<ol class='measures'><li><p>(1) <strong>First.</strong> Body one.</p></li>"
        "<li><p>(2) Second.</p></li></ol>"
        "<footer class='signatures'><p>Shanghai Customs</p><p>June 1, 2025</p></footer></article></main>"
        "<footer><p>Copyright the site</p></footer></body></html>", encoding="utf-8")
    assert read_english(page).lines == (
        "Shanghai Customs", "Shanghai Municipal Finance Bureau", "Hu Shang Zi Mao [2025] No. 1",
        "Circular on the Measures", "(1) First. Body one.", "(2) Second.", "Shanghai Customs", "June 1, 2025")


def test_a_bare_list_number_labels_the_next_line_or_goes():
    assert clean_english("1.\nGuiding thought. Follow it.\n2.\n(2) Objectives.\n", "t.docx", "docx").lines == (
        "1. Guiding thought. Follow it.", "(2) Objectives.")


def test_a_gap_in_the_english_numbering_is_warned_about():
    doc = _parse("I. Heading\n\n(1) First.\n\n(2) Second.\n\n(4) Fourth.\n")
    assert doc.warnings == ("line 7: measure (4) follows (2): one missing?",)
    assert [b.key for b in doc.blocks] == ["section-1.title", "measure-1", "measure-2", "measure-3"]
