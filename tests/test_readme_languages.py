"""README.ja.md is the same page as README.md in Japanese: the same sections, tables, commands
and pictures. Prose is free to differ; structure is not. Each failure names what is missing
and where, so that a change to one README that the other lacks is found at once.

Markdown is read as GitHub renders it: fenced code blocks (```) hide everything inside them
from the heading and table rules, a table is a run of lines starting with `|` whose second
line is the delimiter row, and a cell boundary is any `|` not escaped with a backslash (GFM
splits inside backtick spans too)."""

import re
import unicodedata
from collections import Counter

import pytest

from conftest import REPO

ENGLISH, JAPANESE = "README.md", "README.ja.md"
COMMAND_PREFIXES = (".venv/bin/python", "python", "bash", "git", "pip", "LANG=")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK_TO_ANCHOR = re.compile(r"\]\(#([^)\s]+)\)")
DELIMITER_ROW = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


class Page:
    """One README taken apart: headings, tables, code-block commands, image paths."""

    def __init__(self, name):
        self.name = name
        self.lines = (REPO / name).read_text(encoding="utf-8").splitlines()
        self.headings = []  # (line number, level, text) of every ## and ### heading
        self.tables = []  # {"line", "header", "cells"}: cells = the cell count of each row
        self.commands = Counter()  # normalised command lines found in code blocks
        self.command_lines = {}  # normalised command -> first line number
        self.anchors_linked = []  # (line number, anchor) of every [..](#anchor)
        self._parse()

    def _parse(self):
        in_code = False
        table = None
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("```"):
                in_code = not in_code
                table = None
                continue
            if in_code:
                command = normalise_command(line)
                if command:
                    self.commands[command] += 1
                    self.command_lines.setdefault(command, number)
                continue
            for anchor in LINK_TO_ANCHOR.findall(line):
                self.anchors_linked.append((number, anchor))
            heading = re.match(r"^(#{2,3}) (.+?)\s*$", line)
            if heading:
                self.headings.append((number, len(heading.group(1)), heading.group(2)))
                table = None
                continue
            if line.startswith("|"):
                if table is None:
                    table = {"line": number, "header": line.strip(), "cells": []}
                    self.tables.append(table)
                if not DELIMITER_ROW.match(line.strip()):
                    table["cells"].append(len(split_cells(line)))
                continue
            table = None
        # A run of |-lines without a delimiter row is not a table on GitHub: no table here either.
        self.tables = [t for t in self.tables if self._has_delimiter(t)]

    def _has_delimiter(self, table):
        second = self.lines[table["line"]] if table["line"] < len(self.lines) else ""
        return bool(DELIMITER_ROW.match(second.strip()))

    def images(self):
        found = Counter()
        for line in self.lines:
            found.update(IMAGE.findall(line))
        return found

    def anchors(self):
        """GitHub's heading anchors of every heading (# to ######) outside code blocks."""
        made, seen, in_code = set(), Counter(), False
        for line in self.lines:
            if line.lstrip().startswith("```"):
                in_code = not in_code
                continue
            heading = re.match(r"^#{1,6} (.+?)\s*$", line)
            if heading and not in_code:
                slug = github_anchor(heading.group(1))
                made.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
                seen[slug] += 1
        return made


def split_cells(row):
    """The cells of one table row: split at every unescaped |, outer pipes dropped."""
    cells = re.split(r"(?<!\\)\|", row.strip())
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "":
        cells = cells[:-1]
    return cells


def normalise_command(line):
    """A code-block line that is a command, without its trailing comment and extra spaces; None
    for anything else (output, comments, the layout listing)."""
    text = line.strip()
    if not text.startswith(COMMAND_PREFIXES):
        return None
    text = re.sub(r"\s+#.*$", "", text)  # the comment is prose, and is translated
    return " ".join(text.split())


def github_anchor(heading):
    """The id GitHub gives a heading: lower case, punctuation dropped (letters, marks, digits,
    spaces, hyphens and underscores stay, Japanese included), each space a hyphen."""
    kept = "".join(c for c in heading.lower()
                   if unicodedata.category(c)[0] in "LMN" or c in " -_")
    return kept.replace(" ", "-")


@pytest.fixture(scope="module")
def pages():
    return Page(ENGLISH), Page(JAPANESE)


def describe_heading(page, index):
    number, level, text = page.headings[index]
    return f"{'#' * level} {text} ({page.name} line {number})"


def test_the_same_sections_in_the_same_order_of_level(pages):
    english, japanese = pages
    for index in range(max(len(english.headings), len(japanese.headings))):
        if index >= len(japanese.headings):
            pytest.fail(f"{JAPANESE} lacks the section {describe_heading(english, index)} "
                        f"(and every section after it): {JAPANESE} has {len(japanese.headings)} "
                        f"##/### headings, {ENGLISH} {len(english.headings)}")
        if index >= len(english.headings):
            pytest.fail(f"{JAPANESE} has a section {ENGLISH} lacks: {describe_heading(japanese, index)}; "
                        f"{JAPANESE} has {len(japanese.headings)} ##/### headings, {ENGLISH} {len(english.headings)}")
        assert english.headings[index][1] == japanese.headings[index][1], (
            f"section {index + 1} differs in level or is missing: {ENGLISH} has "
            f"{describe_heading(english, index)} where {JAPANESE} has {describe_heading(japanese, index)}; "
            f"the {JAPANESE} section matching {ENGLISH}'s is missing, added or at another level")


def test_the_same_tables_with_the_same_rows_and_columns(pages):
    english, japanese = pages
    # Sections correspond one to one (the test above); tables are matched within each section,
    # so that a missing table is named by its section rather than shifting every later one.
    by_section = {}
    for page_index, page in enumerate((english, japanese)):
        for table in page.tables:
            section = sum(1 for number, _, _ in page.headings if number < table["line"])
            by_section.setdefault(section, ([], []))[page_index].append(table)
    for section, (tables_en, tables_ja) in sorted(by_section.items()):
        where = english.headings[section - 1][2] if section else "the top of the page"
        count_en, count_ja = len(tables_en), len(tables_ja)
        assert count_en == count_ja, (
            f"the section '{where}' has {count_en} tables in {ENGLISH} "
            f"(at lines {[t['line'] for t in tables_en]}: "
            f"{'; '.join(t['header'][:60] for t in tables_en)}) "
            f"but {count_ja} in {JAPANESE} (at lines {[t['line'] for t in tables_ja]})")
        for en, ja in zip(tables_en, tables_ja):
            name = f"the table under '{where}' at {ENGLISH} line {en['line']} ({en['header'][:60]})"
            rows_en, rows_ja = len(en["cells"]), len(ja["cells"])
            assert rows_en == rows_ja, (
                f"{name} has {rows_en} rows (header included) but its {JAPANESE} version at "
                f"line {ja['line']} has {rows_ja}: a row is missing or extra")
            for row, (cells_en, cells_ja) in enumerate(zip(en["cells"], ja["cells"]), 1):
                assert cells_en == cells_ja, (
                    f"{name}, row {row}: {cells_en} columns in {ENGLISH}, {cells_ja} in {JAPANESE} "
                    f"(line {ja['line']} on): a cell is missing or a | too many")
    total_en, total_ja = len(english.tables), len(japanese.tables)
    assert total_en == total_ja, f"{ENGLISH} has {total_en} tables, {JAPANESE} {total_ja}"


@pytest.mark.parametrize("source, other", [(0, 1), (1, 0)], ids=["en-in-ja", "ja-in-en"])
def test_the_same_commands_in_code_blocks(pages, source, other):
    have, lack = pages[source], pages[other]
    missing = [f"{command!r} ({have.name} line {have.command_lines[command]})"
               for command in have.commands if lack.commands[command] < have.commands[command]]
    assert not missing, (f"{lack.name}'s code blocks lack these commands of {have.name}'s "
                         f"(or have them fewer times): " + "; ".join(missing))


@pytest.mark.parametrize("source, other", [(0, 1), (1, 0)], ids=["en-in-ja", "ja-in-en"])
def test_the_same_pictures(pages, source, other):
    have, lack = pages[source].images(), pages[other].images()
    missing = [f"{path} ({count - lack[path]} of {count})" for path, count in have.items() if lack[path] < count]
    assert not missing, (f"{pages[other].name} lacks these pictures of {pages[source].name}'s "
                         f"(![...](path)): " + "; ".join(missing))


@pytest.mark.parametrize("index", [0, 1], ids=[ENGLISH, JAPANESE])
def test_every_link_to_a_section_finds_its_heading(pages, index):
    page = pages[index]
    anchors = page.anchors()
    broken = [f"#{anchor} (line {number})" for number, anchor in page.anchors_linked if anchor not in anchors]
    assert not broken, (f"{page.name} links to sections it has no heading for: " + "; ".join(broken)
                        + f"; its headings' anchors are: {sorted(anchors)}")


def test_the_anchor_rule_on_known_headings():
    # GitHub's own ids for headings of these pages, as github.com gives them.
    assert github_anchor("Q1. Auto-encoder (AE)") == "q1-auto-encoder-ae"
    assert github_anchor("Defaults: each data set brings its own") == "defaults-each-data-set-brings-its-own"
    assert github_anchor("The exercise's own data: the newts") == "the-exercises-own-data-the-newts"
    assert github_anchor("Q2. 畳み込みオートエンコーダ (ConvAE)") == "q2-畳み込みオートエンコーダ-convae"
