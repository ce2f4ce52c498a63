"""The README's table of what answers/ scored, made from answers/*_metrics.json.

    python tools/answers_table.py            # print the table
    python tools/answers_table.py --readme   # write it into README.md between its markers
"""

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common.cli import FRAMEWORKS, MODELS  # noqa: E402
from common.files import between_markers  # noqa: E402
from common.paths import ANSWERS  # noqa: E402

START, END = "<!-- answers:start -->", "<!-- answers:end -->"


def cell(metrics):
    if not metrics:
        return "-"
    seconds = metrics.get("training_seconds")
    time = "" if seconds is None else (f"; {seconds:.0f} s" if seconds < 120 else f"; {seconds / 60:.1f} min")
    if "psnr" in metrics:
        return f"{metrics['psnr']:.1f} dB, SSIM {metrics['ssim']:.3f}{time}"
    if "digit_share" in metrics:
        return f"digits {metrics['digit_share']:.0%}, {metrics['digit_kinds']} kinds; SWD {metrics['swd']:.3f}{time}"
    return f"SWD {metrics['swd']:.3f}{time}"


def table(answers=ANSWERS):
    rows = ["| model | " + " | ".join(FRAMEWORKS) + " |", "|---|" + "---|" * len(FRAMEWORKS)]
    for model in MODELS:
        cells = []
        for framework in FRAMEWORKS:
            path = answers / f"{model}_{framework}_metrics.json"
            cells.append(cell(json.loads(path.read_text()) if path.is_file() else None))
        rows.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    text = table()
    if not args.readme:
        print(text)
        return
    readme = REPO / "README.md"
    written = between_markers(readme.read_text(), START, END, text)
    if written is None:
        raise SystemExit(f"error: README.md has no {START} ... {END} markers")
    readme.write_text(written)
    print("wrote the answers table into README.md")


if __name__ == "__main__":
    main()
