"""Text as the reader gets it: one normal form, no invisible characters, no
words that mix scripts (issue 20).

Every reader-visible text (prose, titles, link texts, alt texts, captions,
the front matter's description) is judged after Unicode's NFKC
normalization, which folds full-width, ligature and compatibility forms
(full-width ``mg``, the one-character milligram sign -> ``mg``) into what a reader reads. Two things
are refused outright, wherever a reader would get them:

* *invisible-text*: invisible format characters (Unicode category Cf: zero-
  width spaces and joiners, direction marks, soft hyphens, tags) and the
  blank fillers (the Hangul fillers, the Braille blank), which show as
  nothing and so split or blank out words;
* *mixed-script*: a word whose letters come from more than one script (a
  Cyrillic letter for the "y" of "buy"), by Unicode's confusable-detection data, through
  the ``confusable-homoglyphs`` library, not a hand-made table.

:func:`fold` gives the content rules (:mod:`.content_rules`) the same text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..rules import Rule
from ..violations import Violation

#: Blank letters: Unicode letters (or symbols) that print as nothing.
FILLERS = frozenset("\u3164\u115f\u1160\uffa0\u2800")
# A word: a run of letters (digits, hyphens and apostrophes split words, so
# "β-amyloid" is two words, each of one script). Bounded, so linear.
_WORD = re.compile(r"[^\W\d_]{1,200}")
#: A letter of :data:`_WORD` that is not ASCII: a text without one has no word
#: to ask about (most pages: their only non-ASCII are quotes and dashes).
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _invisible(char: str) -> bool:
    return char in FILLERS or unicodedata.category(char) == "Cf"


def _unseen(text: str, hidden=_invisible) -> dict[int, None]:
    """A str.translate table deleting the characters of ``text`` that
    ``hidden`` refuses. Each distinct character is judged once, not each
    occurrence: a page has thousands of characters but few distinct ones."""
    return {ord(c): None for c in dict.fromkeys(text) if hidden(c)}


def fold(text: str) -> str:
    """The text a reader reads: NFKC, invisible characters removed.

    >>> fold("bu\\u200by 10\\u00a0\\uff4d\\uff47 \\u338e")
    'buy 10 mg mg'
    """
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    unseen = _unseen(text)
    return text.translate(unseen) if unseen else text


def visible_text(text: str) -> str:
    """Text as readers see it: no control, format, space-like or filler
    characters but plain spaces (a link of fillers has no visible text).

    >>> visible_text("\\u200b\\u2060\\u3164 ") == ""
    True
    """

    def hidden(c: str) -> bool:
        return (unicodedata.category(c)[0] in "CZ" and c != " ") or c in FILLERS

    return text.translate(_unseen(text, hidden)).strip()


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in ``text``, as U+XXXX names, each once."""
    if text.isascii():
        return []
    found = [c for c in dict.fromkeys(text) if _invisible(c)]
    return [f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in found]


@lru_cache(maxsize=1)
def _allowed_mixed() -> frozenset[str]:
    """The brief's own mixed-script names (markup.toml, [mixed-script])."""
    import tomllib
    from pathlib import Path

    data = tomllib.loads(Path(__file__).with_name("markup.toml").read_text("utf-8"))
    return frozenset(data.get("mixed-script", {}))


#: Unicode names that open with a script's name: a word whose letters all
#: open with the same one is of one script, with no need to ask the library.
_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC"})


@lru_cache(maxsize=4096)
def _mixed(word: str) -> bool:
    if word in _allowed_mixed():
        return False
    names = {unicodedata.name(c, "").split(" ", 1)[0] for c in word}
    if len(names) == 1 and names <= _SCRIPTS:
        return False  # one script (the library's data takes 60 ms to load)
    from confusable_homoglyphs import confusables

    return bool(confusables.is_mixed_script(word))


def mixed_script_words(text: str) -> list[str]:
    """Words of ``text`` whose letters come from more than one script.

    >>> mixed_script_words("Noopept, BDNF and \\u03b2-amyloid; bu\\u0443 it")
    ['bu\\u0443']
    """
    if text.isascii():
        return []
    text = unicodedata.normalize("NFKC", text)
    if not _NON_ASCII_LETTER.search(text):
        return []
    return list(dict.fromkeys(
        m[0] for m in _WORD.finditer(text) if not m[0].isascii() and _mixed(m[0])
    ))  # fmt: skip


def check_reader_text(
    text: str, path: str, line: int, what: str = "this text"
) -> list[Violation]:
    """*invisible-text* and *mixed-script* over one piece of reader-visible text."""
    problems = []
    if chars := invisible_characters(text):
        problems.append(Violation(path, line, Rule.INVISIBLE_TEXT,
                        f"{what} holds invisible characters ({', '.join(chars[:3])}): "
                        "they show as nothing, so they blank out or split words "
                        "that readers and the checks then read differently. Delete "
                        "them (most editors show them with a 'show invisibles' "
                        "setting).", subject=text[:40]))  # fmt: skip
    if words := mixed_script_words(text):
        problems.append(Violation(path, line, Rule.MIXED_SCRIPT,
                        f"the word {words[0]!r} mixes letters of different scripts "
                        "(Latin with Cyrillic or Greek look-alikes, say), so it "
                        "reads as one word and is another. Type it again in one "
                        "script.", subject=words[0]))  # fmt: skip
    return problems


def _visible_pieces(text: str) -> list[tuple[int, str, str]]:
    """Every piece of a page a reader gets as text: (line, what, text)."""
    from .frontmatter import front_matter
    from .parse import LITERAL_DIRECTIVES, Directive, Heading, Image, Role, Text, parse

    pieces = []
    try:
        found = front_matter(text)
    except ValueError:
        found = None  # check_description reports it
    if found is not None and isinstance(found[0].get("description"), str):
        line = found[1].get("description", 1)
        pieces.append((line, "the description", found[0]["description"]))
    for item in parse(text):
        if isinstance(item, (Text, Heading)):
            what = "this heading" if isinstance(item, Heading) else "this text"
            pieces.append((item.line, what, item.text))
        elif isinstance(item, Image):
            pieces.append((item.line, "this image's alt text", item.alt))
        elif isinstance(item, Role) and not item.name.startswith("cite"):
            pieces.append((item.line, f"this {{{item.name}}}'s text", item.text))
        elif isinstance(item, Directive) and item.name not in LITERAL_DIRECTIVES:
            words = [item.argument, *map(str, item.options.values())]
            pieces.append(
                (item.line, f"this {{{item.name}}}'s title or options", " ".join(words))
            )
    return pieces


def check_visible_text(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rules *invisible-text* and *mixed-script* over everything a page shows:
    prose, titles, link and role texts, alt texts, directive titles and
    options, the front matter's description.

    >>> check_visible_text("# Title\\n\\nPlain words, \\u03b2-amyloid and caf\\u00e9.\\n")
    []
    >>> [str(v.rule) for v in check_visible_text("# T\\n\\nSee {ref}`\\u3164 <x>`; bu\\u0443 it.\\n")]
    ['invisible-text', 'mixed-script']
    """
    problems = []
    for line, what, words in _visible_pieces(text):
        problems += check_reader_text(words, path, line, what)
    return list(dict.fromkeys(problems))
