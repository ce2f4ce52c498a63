"""Download the original exercise's (画像生成編) newt photos into Dataset/newts/, checking every file's SHA-256.

    python -m common.data newts [--base-url URL] [--dest DIR]

The 22 photos (16 training, 6 test; classes akahara and madara; MIT licence)
are listed with their checksums in common/data/newts_manifest.json. Each file is
downloaded and checked in memory, then written to a temporary file that is
renamed into place, so a bad or interrupted download never leaves a wrong
file behind. Files already present with the right checksum are skipped.
Then train with --dataset newts.
"""

import argparse
import hashlib
import http.client
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from common.errors import UserError, run_main
from common import language
from common.language import add_language_flag, say
from common.files import write_bytes_atomic
from common.paths import DATASET_ROOT

DEFAULT_BASE_URL = "https://raw.githubusercontent.com/yoyoyo-yo/DeepLearningMugenKnock/master/Dataset"
MANIFEST = Path(__file__).resolve().parent / "newts_manifest.json"
TIMEOUT_S = 60


def load_manifest():
    """{relative path: sha256}, e.g. {"train/images/akahara/akahara_0001.jpg": "eee4..."}."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_present(path, expected):
    return path.is_file() and sha256_of(path) == expected


def download(url, destination, expected):
    """Fetch `url` and write it to `destination` only if its SHA-256 is `expected`; else raise UserError."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            data = response.read()  # a photo is small: check it in memory before anything touches the disk
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = describe(error)
        raise UserError(say("newts_cannot_download", url=url, reason=reason)) from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise UserError(say("newts_checksum", url=url, expected=expected, actual=actual))
    write_bytes_atomic(destination, data)  # a temporary file, renamed into place when complete


def describe(error):
    """A short reason: "HTTP 404 Not Found", "[Errno 111] Connection refused", ..."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    return getattr(error, "reason", error)


def fetch_all(base_url, dest):
    """Download every manifest file missing from `dest`; return (downloaded, already present)."""
    base_url = base_url.rstrip("/")
    downloaded = skipped = 0
    for relative, expected in load_manifest().items():
        destination = dest / relative
        if is_present(destination, expected):
            skipped += 1
            continue
        download(f"{base_url}/{relative}", destination, expected)
        downloaded += 1
    return downloaded, skipped


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m common.data newts",
        description=say("newts_description"),
    )
    parser.add_argument(
        "--base-url",
        default=os.environ.get("NEWTS_BASE_URL", DEFAULT_BASE_URL),
        help=say("help_newts_base_url"),
    )
    parser.add_argument("--dest", type=Path, default=DATASET_ROOT / "newts", help=say("help_newts_dest"))
    add_language_flag(parser)
    return parser


def main(argv=None):
    language.choose(argv)
    args = build_parser().parse_args(argv)
    downloaded, skipped = fetch_all(args.base_url, args.dest)
    print(say("newts_done", files=downloaded + skipped, dest=args.dest, downloaded=downloaded, skipped=skipped))
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
