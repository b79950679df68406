"""`check` and the build agree: for every fixture page, good and bad, the rules
`noopept-brief check` names are the rules a `sphinx-build -W` names.

Every fixture page under tests/fixtures is copied into one copy of docs/ and
built once (one Sphinx build, warnings collected per page); `check` reads
the same copy. Pages read alike by both (the claim options MyST reads, the
directives it refuses) are in tests/fixtures/parity.
"""

from __future__ import annotations

import re
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import FIXTURES, assert_no_crash, built_once, copy_docs, sphinx_build

from noopept_brief import core
from noopept_brief.core.registry import RULES, By, applied_by

#: Fixture pages that stop the whole build at once (the file is not UTF-8):
#: they would hide every other page's warnings. tests/test_refused_inputs.py
#: builds them on their own.
STOPS_THE_BUILD = {"refused/not-utf-8.md"}
#: Rules only the build can apply (they judge what Sphinx wrote or resolved),
#: and rules only `check` applies (on files the build does not read): the
#: rule registry says which, for each rule.
BUILD_ONLY = {str(rule) for rule in applied_by(By.BUILD)}
CHECK_ONLY = {str(rule) for rule in applied_by(By.CHECK)}
#: A directive no loaded extension defines: only the build knows which
#: extensions conf.py loads.
BUILD_ONLY.add("myst.directive_unknown")
#: MyST's own warnings on reading a directive are, in `check`, the rule the
#: registry marks as MyST's (*directive*).
(MYST_RULE,) = (str(spec.rule) for spec in RULES if spec.myst)
MYST_DIRECTIVE = re.compile(r"\[(myst\.directive_\w+)\]$")
RULE = re.compile(r"\[brief\.([\w-]+)\]$")

PAGES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("*.md")
    if p.relative_to(FIXTURES).as_posix() not in STOPS_THE_BUILD
)


def copy_name(fixture: str) -> str:
    """The fixture's page in the copy of docs/: fx-<folder>-<name>.md."""
    return "fx-" + fixture.replace("/", "-")


def build_rules(stderr: str, docs: Path) -> dict[str, set[str]]:
    """The rules a build's warnings name, by page (its name in the copy)."""
    found: dict[str, set[str]] = {}
    # A warning starts "path:line: " ("path: " for a whole page); its
    # message may run over several lines, and ends with its type.
    for warning in re.split(
        r"\n(?=\S+?:(?:\d*:)? (?:WARNING|ERROR|CRITICAL): )", stderr
    ):
        head, _, _ = warning.partition(":")
        path = Path(head)
        if path.parent != docs or not path.name.startswith("fx-"):
            continue
        tail = warning.rstrip().splitlines()[-1] if warning.strip() else ""
        if match := RULE.search(tail):
            found.setdefault(path.name, set()).add(match[1])
        elif match := MYST_DIRECTIVE.search(tail):
            rule = match[1] if match[1] in BUILD_ONLY else MYST_RULE
            found.setdefault(path.name, set()).add(rule)
    return found


def check_rules(docs: Path, names: list[str]) -> dict[str, set[str]]:
    """The rules `check` names, by page, for the chosen pages."""
    found: dict[str, set[str]] = {}
    for v in core.check_all(docs, [docs / name for name in names]):
        found.setdefault(Path(v.path).name, set()).add(str(v.rule))
    return found


def divergences(
    checked: dict[str, set[str]], built: dict[str, set[str]], names: list[str]
) -> list[str]:
    """Each page where the two disagree, beyond the rules only one can apply."""
    problems = []
    for name in names:
        only_built = built.get(name, set()) - checked.get(name, set()) - BUILD_ONLY
        only_checked = checked.get(name, set()) - built.get(name, set()) - CHECK_ONLY
        if only_built or only_checked:
            problems.append(
                f"{name}: the build alone names {sorted(only_built)}, "
                f"check alone names {sorted(only_checked)}"
            )
    return problems


@pytest.fixture(scope="session")
def fixtures_built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[str], CompletedProcess[str]]:
    """Every fixture page in one copy of docs/, built once a run."""
    root, result = built_once(tmp_path_factory, "parity", _build_fixtures)
    return root / "docs", [copy_name(fixture) for fixture in PAGES], result


def _build_fixtures(root: Path) -> CompletedProcess[str]:
    docs = copy_docs(root / "docs")
    for fixture in PAGES:
        (docs / copy_name(fixture)).write_bytes((FIXTURES / fixture).read_bytes())
    return sphinx_build("-b", "html", docs, root / "html")


@pytest.mark.build
def test_check_and_the_build_name_the_same_rules(fixtures_built) -> None:
    docs, names, result = fixtures_built
    built = build_rules(result.stderr, docs.resolve())
    assert built, f"the build named no rule at all:\n{result.stderr[-2000:]}"
    problems = divergences(check_rules(docs, names), built, names)
    assert not problems, "\n".join(problems)


@pytest.mark.build
def test_the_known_disagreements_are_gone(fixtures_built) -> None:
    docs, names, result = fixtures_built
    built = build_rules(result.stderr, docs.resolve())
    checked = check_rules(docs, names)
    for good in ("parity/quoted-evidence.md", "parity/yaml-block-note.md"):
        assert not built.get(copy_name(good)), result.stderr
        assert not checked.get(copy_name(good))
    for bad in ("parity/disclaimer-start-line.md", "parity/claim-unknown-option.md"):
        assert built.get(copy_name(bad)) == {"directive"}, result.stderr
        assert checked.get(copy_name(bad)) == {"directive"}


#: The quote rules' bad fixtures (tests/test_claims.py, BAD): each rule named
#: by both, so that they agree on something, not on silence.
QUOTE_RULES = {
    "claims/bad/quote-missing.md": "claim-quote",
    "claims/bad/quote-unfound.md": "claim-quote-unfound",
    "claims/bad/quote-secondary.md": "claim-quote-secondary",
    "claims/bad/overstates-number.md": "claim-overstates",
    "claims/bad/overstates-species.md": "claim-overstates",
    "claims/bad/overstates-compound.md": "claim-overstates",
}


@pytest.mark.build
def test_check_and_the_build_both_hold_claims_to_their_quotes(fixtures_built) -> None:
    docs, names, result = fixtures_built
    built = build_rules(result.stderr, docs.resolve())
    checked = check_rules(docs, names)
    for fixture, rule in QUOTE_RULES.items():
        assert rule in built.get(copy_name(fixture), set()), result.stderr[-3000:]
        assert rule in checked.get(copy_name(fixture), set())
    good = copy_name("parity/quote-segments.md")  # a quote in two pieces
    assert not built.get(good) and not checked.get(good), result.stderr[-3000:]


@pytest.mark.build
def test_a_divergence_is_reported(fixtures_built) -> None:
    # The test can fail: check without the claim rules, against the same build.
    docs, names, result = fixtures_built
    built = build_rules(result.stderr, docs.resolve())
    checked = {
        name: {r for r in rules if r != "claim-evidence"}
        for name, rules in check_rules(docs, names).items()
    }
    problems = divergences(checked, built, names)
    assert any(
        p.startswith(copy_name("claims/bad/unknown-evidence.md"))
        and "['claim-evidence']" in p
        for p in problems
    ), problems


@pytest.mark.build
def test_the_build_of_every_fixture_finishes_without_a_crash(fixtures_built) -> None:
    _, _, result = fixtures_built
    assert_no_crash(result)


def _old_count_phrase(kinds, values):
    """count_phrase as it was before issue 18: labels looked up by the value."""
    labels = {kind.value: kind.counted for kind in kinds}
    counts = dict.fromkeys(labels, 0) | {v: values.count(v) for v in values}
    return ", ".join(f"{counts[k]} {labels[k].lower()}" for k in counts)


@pytest.mark.build
def test_the_crash_check_catches_a_crash(monkeypatch, tmp_path: Path) -> None:
    # With the old lookup back, an unknown evidence basis crashes the build
    # (KeyError), and the check says so.
    from noopept_brief.sphinxext import transforms

    monkeypatch.setattr(transforms, "count_phrase", _old_count_phrase)
    docs = copy_docs(tmp_path / "docs")
    bad = FIXTURES / "claims" / "bad" / "unknown-evidence.md"
    (docs / "bad.md").write_bytes(bad.read_bytes())
    result = sphinx_build("-b", "html", docs, tmp_path / "html")
    with pytest.raises(AssertionError, match="the build crashed"):
        assert_no_crash(result)
