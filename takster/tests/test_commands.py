"""check_rate_sheet: the same validator from the command line, exit 0/1/2 and JSON."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from takster.validation.samples import build_seed_like_workbook

from .test_validation_rules import filled, template

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_rate_sheet", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_sheet_exits_0_with_the_json_contract(tmp_path, reference_data):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(filled(base=template()))
    code, out = run(str(path), "--year", "2027", "--driftsherre", "mariagerfjord", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and data["errors"] == 0
    assert set(data) == {"ok", "errors", "warnings", "findings"}


def test_a_sheet_with_errors_exits_1_and_names_cells(tmp_path, reference_data):
    path = tmp_path / "seed.xlsx"
    path.write_bytes(build_seed_like_workbook())
    code, out = run(str(path), "--year", "2027", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["errors"] == 8
    finding = next(f for f in data["findings"] if f["code"] == "RISE_NEEDS_REMARK")
    assert set(finding) == {"code", "severity", "sheet", "cell", "tilbud", "afdeling", "message"}
    assert (finding["sheet"], finding["cell"], finding["severity"]) == ("Takstskema", "M9", "error")


def test_without_driftsherre_the_header_decides(tmp_path, reference_data):
    path = tmp_path / "seed.xlsx"
    path.write_bytes(build_seed_like_workbook())
    _, out = run(str(path), "--year", "2027")
    assert out.startswith("Mariagerfjord Kommune: 8 fejl")
    _, out = run(str(path), "--year", "2027", "--driftsherre", "aalborg", "--json")
    assert "DRIFTSHERRE_MISMATCH" in out


def test_an_unreadable_file_exits_2(tmp_path, reference_data):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a workbook")
    code, out = run(str(path), "--year", "2027", "--json")
    assert code == 2 and json.loads(out)["findings"][0]["code"] == "FILE_UNREADABLE"


def test_an_unknown_year_is_a_usage_error(tmp_path, reference_data):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(template())
    with pytest.raises(CommandError, match="2030"):
        call_command("check_rate_sheet", str(path), "--year", "2030")
