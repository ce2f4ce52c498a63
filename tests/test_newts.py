"""The newt download, against a local HTTP server: checksums checked, bad files never kept."""

import contextlib
import functools
import hashlib
import http.server
import json

import pytest

from common.data import newts
from common.errors import UserError
from conftest import http_server

# Small stand-ins for the photos, made by the tests: the checksum logic is the same for any
# bytes, and the suite must not depend on a copy of the photos outside the repository.
FAKE_FILES = {"train/images/akahara/akahara_0001.jpg": b"\xff\xd8 first training photo",
              "train/images/madara/madara_0001.jpg": b"\xff\xd8 second training photo",
              "test/images/madara/madara_0010.jpg": bytes(range(256)) * 4}


@pytest.fixture
def served_files(tmp_path, monkeypatch):
    """A folder to serve with FAKE_FILES, and a manifest of their checksums in place of the real one."""
    folder = tmp_path / "served"
    for relative, content in FAKE_FILES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"files": {relative: hashlib.sha256(content).hexdigest()
                                              for relative, content in FAKE_FILES.items()}}))
    monkeypatch.setattr(newts, "MANIFEST", manifest)
    return folder


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass  # keep the test output clean


@contextlib.contextmanager
def serve(folder):
    """Serve `folder` over HTTP on a free local port; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    with http_server(handler) as url:
        yield url


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy set in the environment must not intercept requests to the local server."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_manifest_lists_the_22_photos():
    manifest = newts.load_manifest()
    assert len(manifest) == 22
    assert sum(path.startswith("train/images/") for path in manifest) == 16
    assert sum(path.startswith("test/images/") for path in manifest) == 6
    assert all(len(digest) == 64 for digest in manifest.values())


def test_download_checks_every_file(served_files, tmp_path, capsys):
    dest = tmp_path / "newts"
    with serve(served_files) as url:
        newts.main(["--base-url", url, "--dest", str(dest)])
        assert "3 downloaded" in capsys.readouterr().out
        newts.main(["--base-url", url + "/", "--dest", str(dest)])  # a second run finds them all
        assert "0 downloaded, 3 already there" in capsys.readouterr().out
    for relative, digest in newts.load_manifest().items():
        assert hashlib.sha256((dest / relative).read_bytes()).hexdigest() == digest
    assert len([p for p in dest.rglob("*") if p.is_file()]) == 3


def test_base_url_from_the_environment(served_files, tmp_path, monkeypatch, capsys):
    with serve(served_files) as url:
        monkeypatch.setenv("NEWTS_BASE_URL", url)
        newts.main(["--dest", str(tmp_path)])
    assert "3 downloaded" in capsys.readouterr().out


def test_tampered_file_is_refused_and_not_kept(served_files, tmp_path):
    served = served_files
    tampered = "test/images/madara/madara_0010.jpg"
    data = bytearray((served / tampered).read_bytes())
    data[100] ^= 0xFF
    (served / tampered).write_bytes(bytes(data))

    dest = tmp_path / "newts"
    with serve(served) as url, pytest.raises(UserError, match="checksum mismatch for .*madara_0010.jpg"):
        newts.main(["--base-url", url, "--dest", str(dest)])
    assert not (dest / tampered).exists()
    assert not [p for p in dest.rglob("*") if p.name.startswith(".")]  # no temporary file either


def test_network_error_names_the_url_and_the_flag(tmp_path):
    with serve(tmp_path) as url:
        pass  # the server is gone: nothing listens on that port any more
    with pytest.raises(UserError, match=f"cannot download {url}/train.*--base-url"):
        newts.main(["--base-url", url, "--dest", str(tmp_path / "newts")])


def test_missing_file_on_the_server(tmp_path):
    with serve(tmp_path) as url, pytest.raises(UserError, match="HTTP 404 .*--base-url"):
        newts.main(["--base-url", url, "--dest", str(tmp_path / "newts")])
    assert not (tmp_path / "newts").exists()


def test_run_main_turns_errors_into_one_line(tmp_path, capsys):
    from common.errors import run_main

    with serve(tmp_path) as url, pytest.raises(SystemExit) as exit_code:
        run_main(newts.main, ["--base-url", url, "--dest", str(tmp_path / "newts")])
    assert exit_code.value.code == 2
    assert capsys.readouterr().err.startswith("error: cannot download ")


def test_a_wrong_file_already_there_is_downloaded_again(served_files, tmp_path, capsys):
    dest = tmp_path / "newts"
    stale = dest / "train/images/akahara/akahara_0001.jpg"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"not the photo")
    with serve(served_files) as url:
        newts.main(["--base-url", url, "--dest", str(dest)])
    assert "3 downloaded, 0 already there" in capsys.readouterr().out
    assert stale.read_bytes() == FAKE_FILES["train/images/akahara/akahara_0001.jpg"]
