"""``diff`` with documents at git revisions, its options, and bad input: located errors only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.contracts import cli as contracts_cli
from tests.contracts.conftest import add_coupon, git
from tests.contracts.documents import document, run, write


def test_a_revision_is_compared_with_the_disk(repo: Path) -> None:
    add_coupon(repo)
    status, out, err = run("diff", "HEAD:orders/asyncapi.yaml", "orders/asyncapi.yaml")
    assert status == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("orders/asyncapi.yaml:")
    assert ": breaking: The property 'coupon' is described by the new schema" in lines[0]
    assert "consumers of 'shop.order.created', which this document sends" in lines[0]
    assert lines[0].endswith("(#/components/schemas/Order/properties/coupon)")
    assert lines[-1] == (
        "HEAD:orders/asyncapi.yaml -> orders/asyncapi.yaml: 1 breaking, 0 compatible, 0 info."
    )


def test_against_compares_the_document_at_a_revision_from_any_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_coupon(repo)
    status, out, _ = run("diff", "--against", "HEAD", "orders/asyncapi.yaml")
    monkeypatch.chdir(repo / "orders")
    inside, out_inside, _ = run("diff", "--against", "HEAD", "asyncapi.yaml")
    assert status == inside == 1
    assert out.splitlines()[-1].startswith("HEAD:orders/asyncapi.yaml -> orders/asyncapi.yaml")
    assert out_inside.splitlines()[-1].startswith("HEAD:asyncapi.yaml -> asyncapi.yaml")
    assert out_inside.splitlines()[0].startswith("asyncapi.yaml:")


def test_references_are_read_at_the_same_revision(repo: Path) -> None:
    # Billing refers to the orders document; at HEAD that is the document without coupon.
    add_coupon(repo)
    status, out, err = run("diff", "HEAD:billing/asyncapi.yaml", "billing/asyncapi.yaml")
    assert status == 0, err
    assert "compatible: The property 'coupon'" in out
    assert "which this document receives, is still accepted" in out
    assert out.splitlines()[0].startswith("orders/asyncapi.yaml:")


def test_a_revision_that_does_not_exist_is_a_located_error(repo: Path) -> None:
    status, out, err = run("diff", "nope:orders/asyncapi.yaml", "orders/asyncapi.yaml")
    assert status == 2
    assert out == ""
    assert err.startswith("nope:orders/asyncapi.yaml: error: The revision 'nope' does not exist")
    assert "Traceback" not in err


def test_a_file_missing_at_the_revision_is_a_located_error(repo: Path) -> None:
    status, _, err = run("diff", "HEAD:orders/missing.yaml", "orders/asyncapi.yaml")
    assert status == 2
    assert err.startswith("HEAD:orders/missing.yaml: error: The file 'orders/missing.yaml' does")
    assert "at the revision 'HEAD'" in err


def test_a_referenced_file_missing_at_the_revision_is_reported_at_the_reference(
    repo: Path,
) -> None:
    (repo / "common.yaml").write_text("components:\n  schemas:\n    Id: {type: string}\n")
    doc = document()
    doc["components"]["schemas"]["SentThing"]["properties"]["id"] = {
        "$ref": "common.yaml#/components/schemas/Id"
    }
    write(repo, doc, "shop.yaml")
    git(repo, "add", "shop.yaml")
    git(repo, "commit", "-qm", "shop without its common file")
    status, _, err = run("diff", "HEAD:shop.yaml", "shop.yaml")
    assert status == 2
    assert err.startswith("HEAD:shop.yaml:")
    assert "error: The reference 'common.yaml#/components/schemas/Id' points to the file" in err
    assert "'HEAD:common.yaml', but it does not exist" in err
    assert "(#/components/schemas/SentThing/properties/id/$ref)" in err


def test_one_side_invalid_is_reported_with_its_place(repo: Path) -> None:
    path = repo / "orders" / "asyncapi.yaml"
    path.write_text(path.read_text().replace("        minLength: 1\n", "        minLength: -1\n"))
    status, out, err = run("diff", "HEAD:orders/asyncapi.yaml", "orders/asyncapi.yaml")
    assert status == 2
    assert out == ""
    assert err.startswith("orders/asyncapi.yaml:")
    assert "error:" in err
    assert "(#/components/schemas/Order/properties/customerId/minLength)" in err


def test_a_path_outside_any_repository_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write(tmp_path, document())
    status, _, err = run("diff", "HEAD:asyncapi.yaml", str(spec))
    assert status == 2
    assert "is not inside a git repository" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "only-one.yaml"],
        ["diff", "--against", "HEAD", "a.yaml", "b.yaml"],
        ["diff", "a.yaml", "b.yaml", "--fail-on", "sometimes"],
        ["diff", "a.yaml", "b.yaml", "--format", "xml"],
        ["contracts", "--format", "xml", "a.yaml"],
    ],
)
def test_a_bad_option_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status: int | str | None
    try:
        status, _, err = run(*argv)
    except SystemExit as stop:
        status, err = stop.code, capsys.readouterr().err
    assert status == 2
    assert "error:" in err


def test_fail_on_moves_the_bar(tmp_path: Path) -> None:
    new = document()
    new["components"]["schemas"]["SentThing"]["properties"]["note"]["maxLength"] = 50
    old_path, new_path = write(tmp_path / "old", document()), write(tmp_path / "new", new)
    assert run("diff", str(old_path), str(new_path))[0] == 0
    assert run("diff", str(old_path), str(new_path), "--fail-on", "compatible")[0] == 1
    assert run("diff", str(old_path), str(new_path), "--fail-on", "info")[0] == 1
    same = run("diff", str(old_path), str(old_path), "--fail-on", "info")
    assert same[0] == 0
    assert same[1].endswith(": 0 breaking, 0 compatible, 0 info.\n")


def test_the_output_is_the_same_on_every_run(tmp_path: Path) -> None:
    new = document()
    schemas = new["components"]["schemas"]
    schemas["SentThing"]["properties"]["status"]["enum"].append("lost")
    schemas["ReceivedThing"]["required"].append("note")
    schemas["ReceivedNode"]["properties"]["label"]["maxLength"] = 3
    new["channels"]["sent"]["address"] = "shop.thing.moved"
    old_path, new_path = write(tmp_path / "old", document()), write(tmp_path / "new", new)
    texts = {run("diff", str(old_path), str(new_path))[1] for _ in range(3)}
    documents = {run("diff", str(old_path), str(new_path), "--format", "json")[1] for _ in range(3)}
    assert len(texts) == len(documents) == 1
    lines = texts.pop().splitlines()
    assert len(lines) >= 5
    report = json.loads(documents.pop())
    assert report["summary"]["breaking"] >= 3
    assert [f["message"] for f in report["findings"]] == [
        line.split(": ", 2)[2].rsplit(" (#", 1)[0] for line in lines[:-1]
    ]


def test_an_internal_defect_exits_3_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[object]:
        raise KeyError("a defect")

    monkeypatch.setattr(contracts_cli, "diff", broken)
    spec = write(tmp_path, document())
    status, out, err = run("diff", str(spec), str(spec))
    assert status == 3
    assert out == ""
    assert err.startswith("amqp-events-gen diff: internal error: KeyError")
    assert "Traceback" not in err
