"""The benchmark's scale series is built from copies of a real page: each copy
must be unique and pass every rule `noopept-brief check` runs, or the series
would time a build that fails, or one that is smaller than it claims. Nothing
here is timed, and nothing is built with Sphinx."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import run as bench
import synthetic
from conftest import DOCS, ROOT, copy_docs

from noopept_brief import core
from noopept_brief.core.claim import ids as claimids
from noopept_brief.core.markdown.frontmatter import front_matter


def _problems(docs: Path) -> list[str]:
    return [str(v) for v in core.check_all(docs)]


def test_copies_pass_every_rule_and_are_unique(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path / "docs")
    names = synthetic.write_copies(docs, 4)
    assert names == [f"copies/copy-000{n}" for n in range(1, 5)]
    problems = _problems(docs)
    assert not problems, "\n".join(problems)

    pages = core.pages(docs)
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    labels = Counter(
        label for text in texts.values() for label in synthetic.LABEL.findall(text)
    )
    titles = Counter(
        next(line for line in text.splitlines() if line.startswith("# "))
        for text in texts.values()
    )
    descriptions = Counter(
        front_matter(text)[0]["description"] for text in texts.values()
    )
    for what, counts in (("label", labels), ("title", titles),
                         ("description", descriptions)):  # fmt: skip
        repeated = [item for item, count in counts.items() if count > 1]
        assert not repeated, f"these {what}s are on more than one page: {repeated}"
    # Every copy keeps the real page's claims, citations and labels.
    real = texts[docs / synthetic.REAL_PAGE]
    for name in names:
        copy = texts[docs / f"{name}.md"]
        assert len(core.claims(copy)) == len(core.claims(real)) > 0
        assert len(core.citations(copy)) == len(core.citations(real)) > 0
        assert len(synthetic.LABEL.findall(copy)) == len(synthetic.LABEL.findall(real))


def test_a_repeated_copy_fails_the_check(tmp_path: Path) -> None:
    """A generator that gave two copies the same ids is caught, by name."""
    docs = copy_docs(tmp_path / "docs")
    synthetic.write_copies(docs, 2)
    real = (docs / synthetic.REAL_PAGE).read_text(encoding="utf-8")
    (docs / "copies" / "copy-0002.md").write_text(
        synthetic.copy_page(real, 1), encoding="utf-8"
    )
    problems = _problems(docs)
    assert problems, "two copies with the same claim ids passed the check"
    assert all("docs/copies/copy-0002.md" in p for p in problems), problems
    assert all("[claim-id]" in p and "already the id" in p for p in problems)


def test_ids_stay_valid_at_large_copy_numbers() -> None:
    real = (DOCS / synthetic.REAL_PAGE).read_text(encoding="utf-8")
    for n in (1, 400, 1000, 99999):
        found = core.claims(synthetic.copy_page(real, n))
        problems = [str(v) for c in found for v in claimids.check_id(c)]
        assert problems == [], f"copy {n}: {problems}"
        assert len({c.id for c in found}) == len(found)


def test_against_builds_with_the_package_as_a_revision_has_it(tmp_path: Path) -> None:
    # `bench/run.py --against REV` imports the package from REV's source
    # (PYTHONPATH), so a before/after pair shares the same moment's machine.
    import run

    src = run.source_at("HEAD", tmp_path)
    assert (src / "noopept_brief" / "__init__.py").is_file(), (
        f"source_at() (bench/run.py) did not extract the package: {sorted(src.iterdir())}"
    )
    assert not (src.parent / "docs").exists(), "only the package, not the brief"


def test_the_scale_series_sizes_take_turns(tmp_path: Path, monkeypatch) -> None:
    """Run by run, each size in turn, so that the machine's speed changing
    during the series moves every size's median alike, not their ratios."""
    import run

    built: list[str] = []

    def measure(*command, cwd):  # stands in for a Sphinx build
        built.append(Path(cwd).name)
        return run.Measured(float(len(built)), 1.0, 1.0, "", 1.0)

    monkeypatch.setattr(run, "measure", measure)
    command = run.project_command()
    sizes = run.build_sizes(tmp_path, [1, 2], 2, command)
    assert built == ["scale-1", "scale-2", "scale-1", "scale-2"], (
        f"the series built its sizes in this order: {built}; build_sizes "
        "(bench/run.py) must take them in turn, run by run"
    )
    assert (sizes[1].seconds, sizes[2].seconds) == (2.0, 3.0)  # each one's median
    spread = [(s.fastest, s.slowest) for s in (sizes[1], sizes[2])]
    assert spread == [(1.0, 3.0), (2.0, 4.0)], (
        f"the series kept {spread} as each size's fastest and slowest run; "
        "build_sizes (bench/run.py) must keep both, for the rows to show "
        "how far the machine moved each median"
    )
    assert sizes[2].pages == sizes[1].pages + 1 and sizes[2].claims > sizes[1].claims
    rows: list[str] = []
    run.scale_rows(
        "project", sizes, lambda what, figure, *_: rows.append(figure), False
    )
    assert "2.0 s (runs 1.0 to 3.0 s)" in rows[0], (
        f"the 1-copy row reads {rows[0]!r}: scale_rows (bench/run.py) must "
        "print the fastest and slowest run beside the median"
    )


def test_the_benchmark_times_the_suite_as_nox_runs_it() -> None:
    noxfile = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    found = [
        ast.literal_eval(node.value)
        for node in noxfile.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["XDIST"]
    ]
    assert found == [bench.XDIST], (
        f"noxfile.py runs the suite with XDIST = {found}, bench/run.py times it "
        f"with XDIST = {bench.XDIST}: write the same pytest-xdist options in both"
    )


def test_each_row_shows_the_speed_of_its_minutes() -> None:
    """This machine's speed moves by half within an hour, and every timed
    figure with it: each row gives the loop's seconds before and after its
    measurements, and the rows of one measurement share one probe."""
    loops, clock = iter([1.00, 1.50, 0.90, 0.70]), [0.0]
    speed = bench.Speed(probe=lambda: next(loops), clock=lambda: clock[0])
    clock[0] = 60.0  # a minute of builds, then its rows
    first = speed.now()
    clock[0] += 1.0
    second = speed.now()
    clock[0] += 120.0  # the next measurement's rows
    third = speed.now()
    assert (first, second, third) == (
        "1.00 to 1.50 s",
        "1.00 to 1.50 s",
        "1.50 to 0.90 s",
    ), (
        f"the Loop cells read {first!r}, {second!r}, {third!r}: Speed.now "
        "(bench/run.py) must probe once a measurement, from the last probe to now"
    )
