"""Argos package management: locations, safe installation, the index path, the CLI."""

from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
import zipfile
from pathlib import Path

import pytest

from bilingual import packages
from bilingual.errors import BilingualError, ModelMissingError
from bilingual.packages import (
    MISSING_MESSAGE,
    find_installed,
    install_from_file,
    install_from_index,
    list_installed,
    packages_dir,
    require_installed,
)


def tree(folder: Path) -> list[str]:
    """Every path under ``folder`` (to prove that a refused install wrote nothing)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def rewrite(source: Path, target: Path, *, rename=None, metadata=None, extra=()) -> Path:
    """Copy a package zip, optionally renaming members, editing metadata, adding members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            name = rename(info.filename) if rename else info.filename
            if metadata and name.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **metadata}).encode()
            out.writestr(zipfile.ZipInfo(name, date_time=info.date_time), data)
        for info, data in extra:
            out.writestr(info, data)
    return target


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def empty_packages_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "packages"
    directory.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    return directory


# --------------------------------------------------------------------------- locations


def test_packages_dir_honours_env_then_argos_default(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "mine"))
    assert packages_dir() == tmp_path / "mine"
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no argos settings.json
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    assert not (tmp_path / "data").exists()  # finding the folder creates nothing
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-settings")}))
    assert packages_dir() == tmp_path / "from-settings"


def test_missing_model_error_is_one_line_naming_both_ways(empty_packages_dir):
    assert find_installed() is None
    assert list_installed() == []
    with pytest.raises(ModelMissingError) as info:
        require_installed()
    message = str(info.value)
    assert message == MISSING_MESSAGE and "--engine pseudo" in message  # the way to go on without one
    assert "\n" not in message
    assert "'bilingual models install'" in message
    assert "'bilingual models install --from FILE.argosmodel'" in message


# --------------------------------------------------------------------------- install from a file


def test_install_from_file_then_find(argos_package, empty_packages_dir):
    installed = install_from_file(argos_package)
    assert installed.path.parent == empty_packages_dir
    assert (installed.from_code, installed.to_code) == ("zh", "en")
    assert installed.package_version == "0.0.1-tiny"
    assert (installed.model_dir / "model.bin").is_file()
    assert installed.sentencepiece_model.is_file()
    assert find_installed() == installed
    assert list_installed() == [installed]
    # no temporary or lock leftovers that argostranslate would take for packages
    assert [p.name for p in empty_packages_dir.iterdir() if p.is_dir()] == [installed.path.name]


def test_installed_package_is_readable_by_argostranslate(
    argos_package, empty_packages_dir, tmp_path, monkeypatch
):
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):  # importing it creates folders
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    installed = install_from_file(argos_package)
    from argostranslate.package import Package

    package = Package(installed.path)
    assert (package.from_code, package.to_code, package.package_version) == ("zh", "en", "0.0.1-tiny")


def test_reinstall_and_newer_version_replace_the_old_one(argos_package, empty_packages_dir, tmp_path):
    first = install_from_file(argos_package)
    again = install_from_file(argos_package)
    assert again.path == first.path and len(list_installed()) == 1
    newer = rewrite(
        argos_package,
        tmp_path / "newer.argosmodel",
        rename=lambda name: name.replace("translate-zh_en-0_0_1-tiny", "translate-zh_en-0_0_2"),
        metadata={"package_version": "0.0.2"},
    )
    installed = install_from_file(newer)
    assert [p.package_version for p in list_installed()] == ["0.0.2"]
    assert find_installed() == installed
    assert not first.path.exists()


def _refused(path: Path, directory: Path, match: str) -> None:
    before = tree(directory)
    with pytest.raises(BilingualError, match=match) as info:
        install_from_file(path)
    assert "\n" not in str(info.value)
    assert tree(directory) == before, "a refused package must not write anything"


def test_refuses_a_file_that_is_not_a_zip(empty_packages_dir, tmp_path):
    bogus = tmp_path / "model.argosmodel"
    bogus.write_text("not a zip")
    _refused(bogus, empty_packages_dir, r"not an Argos package \(not a zip archive\)")
    assert str(bogus) in str(pytest.raises(BilingualError, install_from_file, bogus).value)


def test_refuses_a_missing_file(empty_packages_dir, tmp_path):
    _refused(tmp_path / "nope.argosmodel", empty_packages_dir, "no such file")


def test_refuses_the_wrong_language_pair(empty_packages_dir):
    from conftest import build_cached_package

    german = build_cached_package(from_code="de")
    _refused(german, empty_packages_dir, "this package translates de→en, but a zh→en package is needed")


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("translate-zh_en-0_0_1-tiny/../evil", r"'\.\.' in path"),
        ("../evil", r"'\.\.' in path"),
        ("/tmp/evil-absolute", "absolute path"),
    ],
)
def test_refuses_path_traversal_members(argos_package, empty_packages_dir, tmp_path, member, reason):
    evil = rewrite(argos_package, tmp_path / "evil.argosmodel", extra=[(zipfile.ZipInfo(member), b"owned")])
    _refused(
        evil, empty_packages_dir, f"unsafe archive member .*{reason}.*refused before anything is extracted"
    )
    assert not (tmp_path / "evil").exists()
    assert not (empty_packages_dir.parent / "evil").exists()


def test_refuses_symlink_members(argos_package, empty_packages_dir, tmp_path):
    link = zipfile.ZipInfo("translate-zh_en-0_0_1-tiny/model/link")
    link.external_attr = 0o120777 << 16
    evil = rewrite(argos_package, tmp_path / "link.argosmodel", extra=[(link, b"/etc/passwd")])
    _refused(
        evil,
        empty_packages_dir,
        "unsafe archive member .*symbolic link.*refused before anything is extracted",
    )


def test_refuses_several_top_level_folders(argos_package, empty_packages_dir, tmp_path):
    two = rewrite(argos_package, tmp_path / "two.argosmodel", extra=[(zipfile.ZipInfo("other/x.txt"), b"x")])
    _refused(two, empty_packages_dir, "expected exactly one top-level folder, found 2")


def test_refuses_a_package_without_model(argos_package, empty_packages_dir, tmp_path):
    def drop_model(name: str) -> str:
        return name.replace("/model/model.bin", "/model/other.bin")

    broken = rewrite(argos_package, tmp_path / "broken.argosmodel", rename=drop_model)
    _refused(broken, empty_packages_dir, "model.bin missing")


# --------------------------------------------------------------------------- install from the index


def test_index_unreachable_is_one_clear_line(empty_packages_dir, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{closed_port()}/")
    with pytest.raises(BilingualError) as info:
        install_from_index(progress=False)
    message = str(info.value)
    assert "\n" not in message
    assert "the Argos package index could not be reached" in message
    assert "'bilingual models install --from FILE.argosmodel'" in message
    assert tree(empty_packages_dir) == []


@pytest.fixture
def local_index(argos_package, tmp_path, monkeypatch):
    """A loopback HTTP server with an Argos ``index.json`` and the tiny package."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "translate-zh_en.argosmodel").write_bytes(argos_package.read_bytes())
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entries = [
        {
            "from_code": "en",
            "to_code": "zh",
            "package_version": "9.9",
            "links": [base + "missing.argosmodel"],
        },
        {
            "from_code": "zh",
            "to_code": "en",
            "package_version": "0.0.1-tiny",
            "from_name": "Chinese",
            "to_name": "English",
            "links": [base + "translate-zh_en.argosmodel"],
        },
    ]
    (root / "index.json").write_text(json.dumps(entries))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    yield root
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def test_install_from_a_real_index_over_http(local_index, empty_packages_dir, capsys):
    installed = install_from_index(progress=True)
    assert "translate-zh_en 0.0.1-tiny" in capsys.readouterr().err  # the rich progress bar
    assert installed.package_version == "0.0.1-tiny"
    assert find_installed() == installed
    assert [p.name for p in empty_packages_dir.iterdir() if not p.name.endswith(".lock")] == [
        installed.path.name
    ]


def test_index_without_the_pair_and_broken_links(local_index, empty_packages_dir):
    (local_index / "index.json").write_text(json.dumps([{"from_code": "en", "to_code": "de", "links": []}]))
    with pytest.raises(BilingualError, match="has no zh→en package"):
        install_from_index(progress=False)
    (local_index / "index.json").write_text(
        json.dumps([{"from_code": "zh", "to_code": "en", "links": [f"http://127.0.0.1:{closed_port()}/x"]}])
    )
    with pytest.raises(BilingualError, match="could not be downloaded.*--from FILE.argosmodel"):
        install_from_index(progress=False)
    assert find_installed() is None


# --------------------------------------------------------------------------- CLI


def test_cli_models_install_from_file_and_list(argos_package, empty_packages_dir, run_cli):
    listed = run_cli(["models", "list"])
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1:] == []  # header only

    result = run_cli(["models", "install", "--from", argos_package])
    assert result.returncode == 0, result.stderr
    assert "installed zh→en package 0.0.1-tiny" in result.stdout

    listed = run_cli(["models", "list"])
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert rows[0] == ["pair", "version", "folder", "path"]
    assert rows[1][:3] == ["zh→en", "0.0.1-tiny", "translate-zh_en-0_0_1-tiny"]


def test_cli_install_if_missing_does_not_touch_the_network(argos_packages_dir, run_cli):
    result = run_cli(
        ["models", "install", "--if-missing"],
        env={"ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{closed_port()}/"},
    )
    assert result.returncode == 0, result.stderr
    assert "already installed" in result.stderr


def test_cli_install_errors_are_one_line(empty_packages_dir, run_cli, tmp_path):
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("x")
    result = run_cli(["models", "install", "--from", bogus])
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"bilingual: error: {bogus}: not an Argos package (not a zip archive)"
    ]
    offline = run_cli(
        ["models", "install"], env={"ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{closed_port()}/"}
    )
    assert offline.returncode == 2
    assert len(offline.stderr.strip().splitlines()) == 1
    assert "could not be reached" in offline.stderr and "--from FILE.argosmodel" in offline.stderr
    assert "run 'bilingual models install' when online" in offline.stderr


def test_cli_install_from_local_index(local_index, empty_packages_dir, run_cli):
    result = run_cli(["models", "install", "--quiet"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(empty_packages_dir / "translate-zh_en-0_0_1-tiny")
    assert packages.find_installed() is not None


# --------------------------------------------------------------------------- argostranslate's package API


def test_an_archive_argostranslate_cannot_load_is_not_installed(argos_package, empty_packages_dir, tmp_path):
    """The extracted folder is loaded by argostranslate's own Package (and its SentencePiece tokenizer)."""
    broken = tmp_path / "broken-tokenizer.argosmodel"
    with zipfile.ZipFile(argos_package) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = b"not a sentencepiece model" if info.filename.endswith("sentencepiece.model") else src.read(info)
            out.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
    with pytest.raises(BilingualError, match="argostranslate cannot load it"):
        install_from_file(broken)
    assert find_installed() is None
    assert [p.name for p in empty_packages_dir.iterdir() if p.is_dir()] == []


def test_index_entries_are_read_and_ordered_as_argostranslate_does(local_index, empty_packages_dir):
    """Newest by packaging.version (0.10 > 0.9, which a string order gets wrong); non-translate types skipped."""
    base = json.loads((local_index / "index.json").read_text())[1]["links"][0].rsplit("/", 1)[0] + "/"
    entries = [
        {"from_code": "zh", "to_code": "en", "package_version": "0.9", "links": [base + "old.argosmodel"]},
        {"from_code": "zh", "to_code": "en", "package_version": "0.10", "links": [base + "translate-zh_en.argosmodel"]},
        {"from_code": "zh", "to_code": "en", "package_version": "9.0", "type": "sbd", "links": [base + "sbd.argosmodel"]},
    ]
    (local_index / "index.json").write_text(json.dumps(entries))
    installed = install_from_index(progress=False)  # old.argosmodel and sbd.argosmodel do not exist: 404
    assert installed.package_version == "0.0.1-tiny"


def test_using_argostranslate_leaves_nothing_in_home(argos_package, run_cli, tmp_path):
    """Importing argostranslate.settings makes folders in $HOME; our use of its API must not."""
    home = tmp_path / "home"
    home.mkdir()
    packages = tmp_path / "packages"
    env = {"HOME": str(home), "XDG_DATA_HOME": None, "XDG_CONFIG_HOME": None, "XDG_CACHE_HOME": None,
           "ARGOS_PACKAGES_DIR": str(packages)}
    result = run_cli(["models", "install", "--from", argos_package], env=env)
    assert result.returncode == 0, result.stderr
    assert list(home.iterdir()) == []
    assert [p.name for p in packages.iterdir() if p.is_dir()] == ["translate-zh_en-0_0_1-tiny"]
