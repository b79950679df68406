"""Lighthouse (mobile) on every built page: the four category scores, and the
first view's transfer size (HTML, CSS, JS and fonts, gzipped as a web host
serves them). Run by `nox -s audit`, which installs Lighthouse and builds the
site first; not run in CI. The targets are printed beside the figures.

    python bench/audit.py LIGHTHOUSE_BIN SITE_DIR
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

from localhost import serve  # noqa: E402

from noopept_brief import core  # noqa: E402
from noopept_brief.tools import prerequisites  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.99, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
FIRST_VIEW = ("Document", "Stylesheet", "Script", "Font")
MAX_KB = 120


def audit(lighthouse: str, url: str) -> dict:
    """One Lighthouse run, mobile form factor (its default), as a JSON report."""
    flags = " ".join(("--headless=new", *prerequisites.CHROMIUM_ARGS))
    result = subprocess.run(
        [lighthouse, url, "--output=json", "--output-path=stdout", "--quiet",
         f"--chrome-flags={flags}", "--form-factor=mobile",
         f"--only-categories={','.join(CATEGORIES)}"],
        capture_output=True, text=True, encoding="utf-8", check=False,
        env={**os.environ, "CHROME_PATH": prerequisites.CHROMIUM},
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def first_view_bytes(report: dict) -> int:
    requests = report["audits"]["network-requests"]["details"]["items"]
    return sum(
        r.get("transferSize", 0)
        for r in requests
        if r.get("resourceType") in FIRST_VIEW
    )


def main() -> None:
    lighthouse, site = sys.argv[1], Path(sys.argv[2])
    names = [
        p.relative_to(DOCS).with_suffix(".html").as_posix() for p in core.pages(DOCS)
    ]
    rows, short = [], []
    with serve(site) as base:
        for name in names:
            report = audit(lighthouse, base + name)
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            size = first_view_bytes(report) / 1024
            rows.append(
                (name, *(f"{scores[c]:.2f}" for c in CATEGORIES), f"{size:.1f}")
            )
            print(f"  {name}: done", file=sys.stderr, flush=True)
            for c in CATEGORIES:
                if scores[c] < TARGETS[c]:
                    failed = [
                        a["title"] for ref in report["categories"][c]["auditRefs"]
                        if ref["weight"] and (a := report["audits"][ref["id"]])["score"] is not None
                        and a["score"] < 1
                    ]  # fmt: skip
                    short.append(f"{name} {c} {scores[c]:.2f}: {'; '.join(failed)}")
            if size > MAX_KB:
                short.append(f"{name}: first view {size:.1f} KB > {MAX_KB} KB")
    header = ("Page", *CATEGORIES, "First view (KB, gzip)")
    targets = ("target", *(f">= {TARGETS[c]:.2f}" for c in CATEGORIES), f"<= {MAX_KB}")
    widths = [
        max(len(r[i]) for r in (header, targets, *rows)) for i in range(len(header))
    ]
    print(f"\nLighthouse {report['lighthouseVersion']}, mobile, Chromium "
          f"{report['environment']['hostUserAgent'].split('Chrome/')[-1].split()[0]}\n")  # fmt: skip
    for line in (header, tuple("-" * w for w in widths), *rows, targets):
        print(
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
            + " |"
        )
    print("\nShort of a target:" if short else "\nEvery page meets every target.")
    for line in short:
        print(f"- {line}")


if __name__ == "__main__":
    main()
