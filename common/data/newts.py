"""Download the original exercise's (画像生成編) newt photos into Dataset/newts/, checking every file's SHA-256.

    python -m common.data newts [--base-url URL] [--dest DIR]

The 22 photos (16 training, 6 test; classes akahara and madara; MIT licence)
are listed with their checksums in common/data/newts_manifest.json. Each file is
downloaded into a temporary file by the downloader every data set shares
(common/data/download.py), checked, and only then renamed into place, so a bad
or interrupted download never leaves a wrong file behind. Files already present with the right checksum are skipped.
Then train with --dataset newts.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from common import language
from common.data.download import CheckFailed, fetch
from common.errors import UserError, run_main
from common.files import write_bytes_atomic
from common.language import add_language_flag, say
from common.paths import DATASET_ROOT

DEFAULT_BASE_URL = "https://raw.githubusercontent.com/yoyoyo-yo/DeepLearningMugenKnock/master/Dataset"
MANIFEST = Path(__file__).resolve().parent / "newts_manifest.json"


def load_manifest():
    """{relative path: sha256}, e.g. {"train/images/akahara/akahara_0001.jpg": "eee4..."}."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_present(path, expected):
    return path.is_file() and sha256_of(path) == expected


def download(url, destination, expected):
    """Fetch `url` into `destination` only if its SHA-256 is `expected`; else raise UserError."""
    with tempfile.TemporaryDirectory() as folder:  # outside Dataset/: a failed download leaves no folder there
        temporary = Path(folder) / destination.name
        try:
            actual = fetch(url, temporary, label=destination.name)["sha256"]
        except CheckFailed as failure:
            raise UserError(say("newts_cannot_download", url=url, reason=failure)) from None
        if actual != expected:
            raise UserError(say("newts_checksum", url=url, expected=expected, actual=actual))
        write_bytes_atomic(destination, temporary.read_bytes())  # a photo is small; renamed into place when whole


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
