"""The one downloader of every data set that is fetched (datasets.py: MNIST, Fashion-MNIST,
CIFAR-10; newts.py: the original exercise's newt photos): a URL streamed into a file with a time
limit, a size limit and its checksums, every failure a CheckFailed sentence that names it.

The callers write into a temporary file (common/files.atomic_path) and rename it into place only
when their own checks pass too, so that a bad or interrupted download never leaves a wrong file.
"""

import hashlib
import http.client
import sys
import urllib.error
import urllib.request

from common.language import say

TIMEOUT_S = 60  # seconds without an answer from the server before a download is given up
CHUNK = 1 << 20
NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)  # URLError and timeouts are OSErrors; ValueError: a bad URL


class CheckFailed(Exception):
    """One file from one URL is not what was expected: the caller may try the next URL."""


def describe(error):
    """A short reason: "HTTP 404 Not Found", "[Errno 111] Connection refused", ..."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    return getattr(error, "reason", error)


def fetch(url, path, expected_bytes=None, label=None):
    """Stream `url` into `path` (at most `expected_bytes`, when given); return the file's MD5 and
    SHA-256. Whatever goes wrong on the way raises CheckFailed; an error writing `path` propagates."""
    from tqdm import tqdm  # a progress bar on a terminal, nothing in a log file

    try:
        response = urllib.request.urlopen(url, timeout=TIMEOUT_S)
    except NETWORK_ERRORS as error:
        raise CheckFailed(say("download_failed", error=describe(error))) from None
    md5, sha256, received = hashlib.md5(), hashlib.sha256(), 0
    with response, open(path, "wb") as file, tqdm(total=expected_bytes, unit="B", unit_scale=True, desc=label,
                                                   disable=None, leave=False, file=sys.stderr) as bar:
        length = response.headers.get("Content-Length")
        if expected_bytes is not None and length is not None and length.isdigit() and int(length) != expected_bytes:
            raise CheckFailed(say("download_wrong_length", offered=int(length), expected=expected_bytes))
        while True:
            try:
                block = response.read(CHUNK)
            except NETWORK_ERRORS as error:
                raise CheckFailed(say("download_failed_after", received=received, error=describe(error))) from None
            if not block:
                break
            received += len(block)
            if expected_bytes is not None and received > expected_bytes:
                raise CheckFailed(say("download_too_long", expected=expected_bytes))
            md5.update(block)
            sha256.update(block)
            file.write(block)
            bar.update(len(block))
    if expected_bytes is not None and received != expected_bytes:
        raise CheckFailed(say("download_truncated", received=received, expected=expected_bytes))
    return {"md5": md5.hexdigest(), "sha256": sha256.hexdigest()}
