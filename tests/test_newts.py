"""The newt download, against a local HTTP server: checksums checked, bad files never kept."""

import contextlib
import functools
import hashlib
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from common import newts
from common.errors import UserError

REPO = Path(__file__).resolve().parent.parent
SHARED_DATASET = Path(os.environ.get("SHARED_DATASET", REPO.parent / "shared" / "Dataset"))

needs_photos = pytest.mark.skipif(
    not (SHARED_DATASET / "train" / "images").is_dir(),
    reason=f"no copy of the newt photos at {SHARED_DATASET} (set SHARED_DATASET to point at one)",
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass  # keep the test output clean


@contextlib.contextmanager
def serve(folder):
    """Serve `folder` over HTTP on a free local port; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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


@needs_photos
def test_download_checks_every_file(tmp_path, capsys):
    dest = tmp_path / "newts"
    with serve(SHARED_DATASET) as url:
        newts.main(["--base-url", url, "--dest", str(dest)])
        assert "22 downloaded" in capsys.readouterr().out
        newts.main(["--base-url", url + "/", "--dest", str(dest)])  # a second run finds them all
        assert "0 downloaded, 22 already there" in capsys.readouterr().out
    for relative, digest in newts.load_manifest().items():
        assert hashlib.sha256((dest / relative).read_bytes()).hexdigest() == digest
    assert len([p for p in dest.rglob("*") if p.is_file()]) == 22


@needs_photos
def test_base_url_from_the_environment(tmp_path, monkeypatch, capsys):
    with serve(SHARED_DATASET) as url:
        monkeypatch.setenv("NEWTS_BASE_URL", url)
        newts.main(["--dest", str(tmp_path)])
    assert "22 downloaded" in capsys.readouterr().out


@needs_photos
def test_tampered_file_is_refused_and_not_kept(tmp_path):
    served = tmp_path / "served"
    shutil.copytree(SHARED_DATASET, served)
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
