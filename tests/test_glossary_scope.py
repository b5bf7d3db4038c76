"""Per-document glossary files: a Shanghai short form must not name another city's agency."""

import shutil

import polib
import pytest

from bilingual.errors import BilingualError
from bilingual.glossary import load_glossary, load_scoped

TIANJIN = """天津市商务局关于印发推进跨境贸易便利化若干措施的通知

各有关单位：

现将有关措施印发给你们，请认真贯彻落实。

一、优化通关模式

（一）推进“两步申报”改革。支持企业开展提前申报。（市商务委、天津海关）
"""


def test_scoped_glossary_keeps_only_the_listed_files():
    full = load_glossary("glossary")
    general = load_scoped("glossary", ["general", "national-organisations", "trade-regimes"])
    assert full.lookup("市商务委") is not None and general.lookup("市商务委") is None
    assert general.lookup("海关总署") is not None
    assert general.version != full.version  # the MT cache must not mix the two
    with pytest.raises(BilingualError, match="match no file"):
        load_scoped("glossary", ["tianjin-*"])


def test_config_glossary_files_scope_translation_and_check(run_cli, repo_root, tmp_path):
    shutil.copytree(repo_root / "glossary", tmp_path / "glossary")
    (tmp_path / "tianjin.zh.txt").write_text(TIANJIN, encoding="utf-8")
    (tmp_path / "bilingual.toml").write_text(
        '[defaults]\nengine = "none"\n\n[[document]]\nname = "tianjin"\nsource = "tianjin.zh.txt"\n'
        'po = "tianjin.en.po"\nglossary_files = ["general", "national-organisations", "trade-regimes", "places"]\n', encoding="utf-8")
    result = run_cli(["translate", "--config", "bilingual.toml", "-q"], cwd=tmp_path,
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    entry = polib.pofile(str(tmp_path / "tianjin.en.po")).find("measure-1.agencies", by="msgctxt")
    assert "Shanghai" not in entry.msgstr  # 市商务委 is Tianjin's here: left for the glossary curator
    # no glossary name for either body here: the list is left empty for review, never sent to MT
    # no city's body is "closest" to a short form that names the issuer's own city
    assert entry.msgstr == "" and "suspect name: 市商务委 (a body of the issuing city or province" in entry.comment
    assert "suspect name: 天津海关 (closest known: " in entry.comment
    checked = run_cli(["check", "--config", "bilingual.toml", "--format", "json"], cwd=tmp_path)
    assert "Shanghai" not in checked.stdout
