import json as jsonlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialaftale.models import Driftsherre, Styringsparametre
from socialaftale.wording import plural
from takster.models import RateRound
from takster.services import params_from_parameters
from takster.validation import FINDING_CODES, collector_paused, run_check
from takster.validation.parser import name_key

SEVERITY_DA = {"error": "Fejl", "warning": "Advarsel", "info": "Oplysning"}


def driftsherre_from_header(name: str) -> Driftsherre | None:
    """The driftsherre whose name the sheet's header mentions ("Mariagerfjord Kommune - test")."""
    found = name_key(name)
    if not found:
        return None
    for driftsherre in Driftsherre.objects.all():
        if name_key(driftsherre.name) in found or found in name_key(driftsherre.name):
            return driftsherre
    return None


class Command(BaseCommand):
    help = (
        "Kontrollerer et takstskema (.xlsx) med samme regler som uploadsiden. Exitkode 0: ingen "
        "fejl, 1: fejl fundet, 2: filen kan ikke læses (eller ukendt år/driftsherre)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Sti til takstskemaet (.xlsx).")
        parser.add_argument("--year", type=int, required=True, help="Budgetåret, fx 2027.")
        parser.add_argument(
            "--driftsherre", default=None,
            help="Driftsherrens kortnavn (fx mariagerfjord). Uden: tages fra skemaets top.",
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def handle(self, *args, **options):
        # One sheet per run: the collector is paused for all of it (see collector_paused),
        # the database reads and the JSON included.
        with collector_paused():
            self._check(**options)

    def _check(self, *, path, year, driftsherre=None, json=False, **options):
        parameters = Styringsparametre.objects.filter(budget_year=year).first()
        if parameters is None:
            raise CommandError(f"Der er ingen styringsparametre for {year}.", returncode=2)
        rate_round = RateRound.objects.filter(parameters=parameters).first()
        operator = None
        if driftsherre is not None:
            operator = Driftsherre.objects.filter(slug=driftsherre).first()
            if operator is None:
                raise CommandError(f"Ukendt driftsherre '{driftsherre}'.", returncode=2)
        found = {"operator": operator}

        def params_for_sheet(sheet):
            # The file is read once: the sheet's own header names the driftsherre.
            found["operator"] = driftsherre_from_header(sheet.driftsherre)
            return params_from_parameters(
                parameters=parameters, driftsherre=found["operator"], rate_round=rate_round
            )

        if operator is not None:
            params = params_from_parameters(
                parameters=parameters, driftsherre=operator, rate_round=rate_round
            )
            code, result = run_check(Path(path), params)
        else:
            params = params_from_parameters(parameters=parameters, driftsherre=None)
            code, result = run_check(Path(path), params, params_for_sheet=params_for_sheet)
        if json:
            self.stdout.write(_json_dumps(result))
        else:
            self._print(result, found["operator"])
        if code:
            sys.exit(code)

    def _print(self, result: dict, operator) -> None:
        who = operator.name if operator else "ukendt driftsherre"
        self.stdout.write(
            f"{who}: {plural(result['errors'], 'fejl', 'fejl')}, "
            f"{plural(result['warnings'], 'advarsel', 'advarsler')} — "
            f"{'OK' if result['ok'] else 'IKKE OK'}"
        )
        for f in result["findings"]:
            title = FINDING_CODES.get(f["code"], (None, "Fund"))[1]
            where = f"{f['sheet']}!{f['cell']}" if f["cell"] else "filen"
            severity = SEVERITY_DA.get(f["severity"], f["severity"])
            self.stdout.write(f"  {severity} – {title} ({where}): {f['message']}")


def _json_dumps(data: dict) -> str:
    """The result as compact JSON (indent= would switch to the pure-Python encoder, a third
    of the command's time on a large sheet; pipe through `python -m json.tool` to read)."""
    return jsonlib.dumps(data, ensure_ascii=False)
