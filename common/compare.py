"""Compare a results folder with the reference outputs in answers/.

    python -m common.compare results/                          # from the repository root
    python path/to/repository/common/compare.py results/       # from any directory
    python -m common.compare results/ --model dcgan --framework keras

For every <model>_<framework>_metrics.json in the answers that also exists in the results,
one row shows: the quality figures and the final losses as "result / answer", and for the
auto-encoders how close the PNG images are (PSNR in dB between result and answer image).
The GANs are compared by their scores only: two good generators draw different digits from
the same noise, so the pixels of two sample grids say nothing about either. Their figures
are the digit score (share of samples a classifier calls a digit with probability >= 0.8,
and how many kinds of digit) and the patch distance SWD. Missing files are listed below.
A run made with other settings than the answer's (iterations, batch size, seed, data, size) is
named in a warning, and each run ends in a one-line verdict.
"""

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, from any directory: the repository's common/ is importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from common.architectures import GAN_MODELS
from common.digit_score import verdict_in_language
from common.errors import UserError, run_main
from common import language
from common.language import add_language_flag, say
from common.metrics import PSNR_CAP, psnr
from common.paths import ANSWERS
from common.records import read_metrics

QUALITY_KEYS = ("psnr", "ssim", "digit_share", "digit_kinds", "digit_precision", "digit_recall", "swd")
METRICS_SUFFIX = "_metrics.json"
SETTINGS = ("data", "iterations", "batch_size", "lr", "seed", "size", "channels")  # what makes two runs comparable
# How far a result may fall short of its answer and still be "as good": about the spread between
# two runs of the same script (the frameworks' answers differ by up to 0.1 of the digit share
# and 2 kinds; the auto-encoders' by under 0.1 dB).
PSNR_MARGIN_DB, SHARE_MARGIN, KINDS_MARGIN = 0.5, 0.1, 2
# The --help text after the flags: common/messages/run.py, "compare_epilog".


def parse_args(argv):
    language.choose(argv)  # before the parser: --help comes in the chosen language
    parser = argparse.ArgumentParser(prog="python -m common.compare", description=say("compare_description"),
                                     epilog=say("compare_epilog"))
    parser.add_argument("results", type=Path, metavar="RESULTS_DIR", help=say("help_compare_results"))
    parser.add_argument("--answers", type=Path, default=ANSWERS, metavar="DIR",
                        help=say("help_compare_answers", answers=ANSWERS))
    parser.add_argument("--model", help=say("help_compare_model"))
    parser.add_argument("--framework", help=say("help_compare_framework"))
    add_language_flag(parser)
    return parser.parse_args(argv)


def answer_runs(answers, model=None, framework=None):
    """(model, framework) for each metrics file in the answers, after the filters."""
    runs = []
    for path in sorted(answers.glob(f"*{METRICS_SUFFIX}")):
        name = path.name[: -len(METRICS_SUFFIX)]
        if "_" not in name:
            continue
        run_model, run_framework = name.split("_", 1)
        if model in (None, run_model) and framework in (None, run_framework):
            runs.append((run_model, run_framework))
    return runs


# --- One row ----------------------------------------------------------------------------------

def quality_figure(metrics, key):
    """A quality number of metrics.json, or None."""
    value = metrics.get(key)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def final_loss(values):
    """The mean of the last 10% of a loss list (at least one value): less noisy than the last one."""
    values = [value for value in values if isinstance(value, (int, float))]
    if not values:
        return None
    tail = max(1, len(values) // 10)
    return float(np.mean(values[-tail:]))


def number(value):
    return "-" if value is None else f"{value:.4g}"


def side_by_side(name, result, answer):
    return f"{name} {number(result)} / {number(answer)}"


def quality_cell(result, answer):
    keys = [key for key in QUALITY_KEYS if quality_figure(answer, key) is not None or quality_figure(result, key) is not None]
    return "  ".join(side_by_side(key, quality_figure(result, key), quality_figure(answer, key)) for key in keys) or "-"


def loss_cell(result, answer):
    result_losses, answer_losses = result.get("losses") or {}, answer.get("losses") or {}
    names = list(answer_losses) + [name for name in result_losses if name not in answer_losses]
    cells = [side_by_side(name, final_loss(result_losses.get(name, [])), final_loss(answer_losses.get(name, []))) for name in names]
    return "  ".join(cells) or "-"


def read_png(path):
    """A PNG as a float image in [-1, 1], or None if it cannot be read."""
    pixels = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if pixels is None else pixels.astype(np.float32) / 127.5 - 1.0


def compare_images(results, answers, model, framework):
    """(table cell, problems): PSNR between result and answer PNGs with the same name."""
    values, problems, missing = [], [], []
    answer_paths = sorted(answers.glob(f"{model}_{framework}_*.png"))
    for answer_path in answer_paths:
        result_path = results / answer_path.name
        if not result_path.exists():
            missing.append(answer_path.name)
            continue
        if model in GAN_MODELS:
            continue  # compared by score, see the module docstring
        result_image, answer_image = read_png(result_path), read_png(answer_path)
        if result_image is None or answer_image is None:
            problems.append(say("compare_unreadable_png", name=answer_path.name))
        elif result_image.shape != answer_image.shape:
            problems.append(say("compare_size_differs", width=result_image.shape[1], height=result_image.shape[0],
                                answer_width=answer_image.shape[1], answer_height=answer_image.shape[0],
                                name=answer_path.name))
        else:
            values.append(psnr(result_image, answer_image))
    if missing:  # one line, not hundreds: an AE writes one PNG per test image
        problems.append(say("compare_missing_pngs", results=results, missing=len(missing), total=len(answer_paths),
                            model=model, framework=framework, examples=", ".join(missing[:3])))
    if not values:
        return ("compared by score" if model in GAN_MODELS else "-"), problems
    if min(values) >= PSNR_CAP:  # the cap stands for "no pixel differs", not for a measured 100 dB
        return f"{len(values)} PNG, identical to the answer's", problems
    return f"{len(values)} PNG, mean {np.mean(values):.1f} dB, min {np.min(values):.1f} dB", problems


def compare_run(results, answers, model, framework):
    """The table row for one model and framework, the problems found on the way, and the verdict."""
    name = f"{model}_{framework}{METRICS_SUFFIX}"
    problems = []
    answer = read_metrics(answers / name)
    try:
        result = read_metrics(results / name)
    except UserError as error:
        result = {}
        problems.append(str(error))
    images, image_problems = compare_images(results, answers, model, framework)
    row = [model, framework, quality_cell(result, answer), loss_cell(result, answer), images]
    differing = differing_settings(result, answer)
    if differing:
        problems.append(say("compare_other_settings", model=model, framework=framework, settings=differing))
    return row, problems + image_problems, verdict(model, framework, result, answer, differing)


def differing_settings(result, answer):
    """'iterations 300 (answer 2500), seed 1 (answer 0)', or '' when they match."""
    return say("list_comma").join(say("compare_setting", name=key, result=result.get(key), answer=answer.get(key))
                                  for key in SETTINGS if key in answer and key in result and result[key] != answer[key])


def verdict(model, framework, result, answer, differing):
    """One line a learner can act on, in the learner's language (compare writes no file)."""
    run = f"{model}/{framework}"
    if not result:
        return say("verdict_no_result", run=run)
    if result.get("stopped"):
        return say("verdict_stopped", run=run, stopped=result["stopped"])
    caveat = say("verdict_caveat") if differing else ""
    psnr_result, psnr_answer = quality_figure(result, "psnr"), quality_figure(answer, "psnr")
    if psnr_result is not None and psnr_answer is not None:
        gap = psnr_answer - psnr_result
        if gap <= PSNR_MARGIN_DB:
            return say("verdict_psnr_good", run=run, caveat=caveat, result=psnr_result, answer=psnr_answer)
        return say("verdict_psnr_below", run=run, caveat=caveat, gap=gap)
    share, kinds = quality_figure(result, "digit_share"), quality_figure(result, "digit_kinds")
    if share is None or kinds is None:
        swd_result, swd_answer = quality_figure(result, "swd"), quality_figure(answer, "swd")
        if swd_result is None or swd_answer is None:
            return say("verdict_no_figure", run=run)
        key = "verdict_swd_good" if swd_result <= swd_answer * 1.1 else "verdict_swd_above"
        return say(key, run=run, caveat=caveat, result=swd_result, answer=swd_answer)
    sample_verdict = result.get("sample_verdict", "")  # English in metrics.json (common/digit_score.sample_verdict)
    if sample_verdict.startswith(("not digits", "mode collapse")):
        return say("verdict_look_at_samples", run=run, caveat=caveat, sample_verdict=verdict_in_language(sample_verdict))
    if share < 0.05:
        return say("verdict_not_digits", run=run, caveat=caveat, share=share)
    if kinds <= 2:
        key = "verdict_mode_collapse_many" if kinds > 1 else "verdict_mode_collapse_one"
        return say(key, run=run, caveat=caveat, share=share, kinds=kinds)
    answer_share, answer_kinds = quality_figure(answer, "digit_share"), quality_figure(answer, "digit_kinds")
    if answer_share is None or answer_kinds is None or (
            share >= answer_share - SHARE_MARGIN and kinds >= answer_kinds - KINDS_MARGIN):
        return say("verdict_on_par", run=run, caveat=caveat, share=share, kinds=kinds, also=also(sample_verdict))
    return say("verdict_below", run=run, caveat=caveat, share=share, kinds=kinds, answer_share=answer_share,
               answer_kinds=answer_kinds, also=also(sample_verdict))


def also(sample_verdict):
    return say("verdict_also", sample_verdict=verdict_in_language(sample_verdict)) if sample_verdict else ""


# --- The table --------------------------------------------------------------------------------

def format_table(rows):
    """Plain text with columns padded to their widest cell."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def main(argv=None):
    args = parse_args(argv)
    if not args.results.is_dir():
        raise UserError(say("compare_no_results_folder", results=args.results))
    if not args.answers.is_dir():
        raise UserError(say("compare_no_answers_folder", answers=args.answers))

    runs = answer_runs(args.answers, args.model, args.framework)
    if not runs:
        print(say("compare_nothing", suffix=METRICS_SUFFIX, answers=args.answers))
        return 0

    header = ["model", "framework", "quality (result / answer)", "final loss (result / answer)", "images vs answer (PSNR)"]
    rows, problems, verdicts, missing = [header], [], [], []
    for model, framework in runs:
        if not (args.results / f"{model}_{framework}{METRICS_SUFFIX}").exists():
            missing.append(f"{model}/{framework}")
            continue
        row, run_problems, run_verdict = compare_run(args.results, args.answers, model, framework)
        rows.append(row)
        problems += run_problems
        verdicts.append(run_verdict)

    if missing:  # one line: a learner who ran one script compares one run, not sixteen
        problems.insert(0, say("compare_not_run", suffix=METRICS_SUFFIX, results=args.results,
                               runs=say("list_comma").join(missing)))
    if len(rows) > 1:
        print(format_table(rows))
    else:
        print(say("compare_no_counterpart", results=args.results, answers=args.answers))
    if problems:
        print()
        print("\n".join(problems))
    if verdicts:
        print()
        print("\n".join(say("compare_verdict", line=line) for line in verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main))
