"""The claim model (src/noopept_brief/core/claim/model.py) is the one place a claim is
defined: a status added there reaches the rules, the badges, the evidence
map and claims.json, with no other edit. Shown on a one-page project
(tests/roots/test-claims-model) whose claim has a status the model lacks
until the test adds it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLAIMS_MODEL_BUILD

from noopept_brief import core
from noopept_brief.core.claim import model

DISPUTED = ("disputed", "Disputed by other records", "disputed by other records",
            frozenset({model.Carries.MARKER, model.Carries.NOTE}))  # fmt: skip


def add_status(monkeypatch: pytest.MonkeyPatch, name: str, *args: object) -> None:
    """Add a member to Status for one test, as one more line in its body would."""
    member = model.Status._new_member_(model.Status, *args)
    member._name_, member.__objclass__ = name, model.Status
    monkeypatch.setitem(model.Status._member_map_, name, member)
    monkeypatch.setitem(model.Status._value2member_map_, member.value, member)
    monkeypatch.setattr(model.Status, "_member_names_", [*model.Status._member_names_, name])  # fmt: skip


def test_without_the_status_the_claim_is_refused() -> None:
    claim = model.Claim(short="Article: X", evidence="human", status="disputed",
                        note="N.", sources=("a2001",), id="x", line=3)  # fmt: skip
    assert [v.rule for v in core.check_claim(claim, ["a2001"])] == ["claim-status"]


def test_a_new_status_needs_what_it_declares(monkeypatch) -> None:
    add_status(monkeypatch, "DISPUTED", *DISPUTED)
    claim = model.Claim(short="Article: X", evidence="human", status="disputed",
                        note="N.", sources=("a2001",), id="x", line=3)  # fmt: skip
    assert core.check_claim(claim, ["a2001"]) == []
    bare = model.Claim(short="X", evidence="human", status="disputed",
                       sources=("a2001",), id="x", line=3)  # fmt: skip
    assert [v.rule for v in core.check_claim(bare, ["a2001"])] == [
        "claim-short-marker", "claim-note",
    ]  # fmt: skip
    assert "disputed" in model.json_fields()["status"]


@CLAIMS_MODEL_BUILD
def test_a_new_status_reaches_the_map_and_claims_json(app, monkeypatch) -> None:
    add_status(monkeypatch, "DISPUTED", *DISPUTED)
    app.build()
    assert "claim-status" not in app.warning.getvalue()
    data = json.loads(Path(app.outdir, "claims.json").read_text("utf-8"))
    [claim] = data["claims"]
    assert (claim["status"], claim["status_label"]) == ("disputed", DISPUTED[1])
    page = Path(app.outdir, "index.html").read_text("utf-8")
    assert "1 disputed by other records" in page  # the map's count
    assert page.count(DISPUTED[1]) >= 2  # the badge and the map's row
    assert model.Claim.from_json(claim).status == "disputed"
