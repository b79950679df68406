"""The rule registry (src/noopept_brief/core/registry.py) declares every rule
once, and what it declares is what the checks do."""

from __future__ import annotations

from pathlib import Path

from noopept_brief.core.markdown.policy import check_encoding
from noopept_brief.core.refs.bib import check_bib
from noopept_brief.core.registry import BY_RULE, RULES, check_snippet
from noopept_brief.core.rules import Rule


def test_every_rule_is_declared_once() -> None:
    declared = [spec.rule for spec in RULES]
    missing = [str(r) for r in Rule if r not in declared]
    twice = sorted({str(r) for r in declared if declared.count(r) > 1})
    assert not missing, (
        f"rules without a declaration: {missing}. Add a RuleSpec for each to "
        "RULES in src/noopept_brief/core/registry.py."
    )
    assert not twice, f"rules declared twice in RULES: {twice}; keep one each."


def test_the_rules_that_stop_the_build_are_the_registry_s_fatal_ones() -> None:
    """Every input that stops the build, and the rule each one names."""
    stopping = [
        *check_encoding("# T\n\nCaf\u00e9\n".encode("latin-1"), "docs/a.md"),
        *check_bib("@article{a,\n  title = {T,\n  year = {2001},\n}\n", "refs.bib"),
        *check_bib("@article{a, title = {T}\n", "refs.bib"),
        *check_snippet(Path("/no/such/snippet.md"), "docs/_snippets/disclaimer.md"),
    ]
    assert stopping and all(v.fatal for v in stopping), stopping
    fatal = {spec.rule for spec in RULES if spec.fatal}
    undeclared = {str(v.rule) for v in stopping} - {str(r) for r in fatal}
    assert not undeclared, (
        f"{sorted(undeclared)} can stop the build, but the registry does not "
        "mark them fatal; set fatal=True in their RuleSpec."
    )
    unseen = {str(r) for r in fatal} - {str(v.rule) for v in stopping}
    assert not unseen, (
        f"the registry marks {sorted(unseen)} fatal, but no input here stops the "
        "build with them: add the input, or drop fatal=True."
    )


def test_each_declared_check_can_report_its_rule() -> None:
    """A page rule's declared check reports that rule for some bad page."""
    bad = {
        Rule.DISCLAIMER: "# T\n",
        Rule.LIMITATIONS_REF: "# T\n",
        Rule.HEADINGS: "# T\n\n### Skipped\n",
        Rule.DESCRIPTION: "# T\n",
        Rule.RAW_HTML: "# T\n\n<b>bold</b>\n",
        Rule.IMAGE_ALT: "# T\n\n![](a.png)\n",
    }
    for rule, page in bad.items():
        found = {v.rule for v in BY_RULE[rule].check(page, "docs/a.md", None)}
        assert rule in found, f"{BY_RULE[rule].check.__name__} did not report {rule}"
