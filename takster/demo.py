"""Demo data built in code: the 2027 round and Mariagerfjord's seed-like sheet, validated."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from socialaftale.jobs import job_run
from socialaftale.models import Driftsherre, Styringsparametre
from tilbud.models import Tilbud

from .models import RateRound, Upload
from .services import round_open, upload_store
from .validation.samples import build_seed_like_workbook

DEMO_YEAR = 2027
DEMO_FILENAME = "mariagerfjord-takstskema-2027-test.xlsx"
# The offers in the seed's Mariagerfjord test rows (names as on Tilbudsportalen).
MARIAGERFJORD_OFFERS = [
    "Bo og Aktivitetstilbud Kærvej",
    "Aktivitetshuset Hobro",
    "Beskyttet Beskæftigelse Mariagerfjord",
]


def load(*, stdout) -> None:
    # The demo's steps send their e-mails like the product does (rows under "Beskeder" in
    # the admin); kept in memory here so they do not flood the console of `make run`.
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        load_2027(stdout=stdout)
        load_2026(stdout=stdout)
        load_2027_aalborg(stdout=stdout)


# Aalborg's 2027 sheet, submitted and waiting for review: one rate above P/L + 2 pp with the
# remark the rules demand, one offer budgeted below 95 % belægning with remark and tomgang
# (tomgang is a number of empty places: 10 % of 20).
# Demotal built on the 2026 rates in force (DAS Social 23.02.2026, pkt. 10).
AALBORG_2027_FILENAME = "aalborg-takster-2027-demo.xlsx"
AALBORG_2027 = (  # name, §§, unit, 2026 rate, 2027 rate, belægning 2027, tomgang (places), remark
    ("Syrenhuset", "SEL § 104", "Dag", 248, 262, 100, None,
     "Stigningen skyldes en ekstra pædagog i dagtilbuddet fra 1. januar 2027 (ny normering)."),
    ("Hviddalen", "SEL § 104", "Dag", 175, 180, 100, None, ""),
    ("Væksthuset", "SEL § 104", "Dag", 225, 231, 90, 2,
     "Belægningen er budgetteret til 90 %, fordi værkstedet ombygges i foråret 2027."),
)


def _aalborg_2027_blocks() -> list[list[dict]]:
    blocks = []
    for name, paragraph, unit, old, new, occupancy, idle, remark in AALBORG_2027:
        common = {"tilbud_name": name, "afdeling_name": name, "paragraph": paragraph,
                  "unit": unit, "pladser": 20, "regulering": 0, "oh_pct": DEMO_OH_PCT}
        blocks.append([
            {**common, "year": DEMO_YEAR - 1, "belaegning": 100, "budget": old * 20 * 365,
             "takst_1": old},
            {**common, "year": DEMO_YEAR, "belaegning": occupancy,
             "budget": new * 20 * 365 * occupancy // 100, "takst_1": new, "tomgang": idle,
             "bemaerkning": remark},
        ])
    return blocks


def load_2027_aalborg(*, stdout) -> None:
    """Aalborg's submitted 2027 sheet: the review page's demo (uploaded, validated, its
    warnings acknowledged and submitted through the services)."""
    from .services import submission_current, submission_submit

    rate_round = RateRound.objects.filter(parameters__budget_year=DEMO_YEAR).first()
    aalborg = Driftsherre.objects.filter(slug="aalborg").first()
    user = User.objects.filter(username="aalborg").first()
    if None in (rate_round, aalborg, user):
        stdout.write("takster: mangler takstrunde 2027, Aalborg eller aalborg-brugeren; "
                     "springer Aalborgs 2027-skema over.")
        return
    if Upload.objects.filter(submission__rate_round=rate_round,
                             original_name=AALBORG_2027_FILENAME).exists():
        return
    submission = submission_current(rate_round=rate_round, driftsherre=aalborg)
    upload = _demo_upload(submission, _aalborg_2027_blocks(), by=user,
                          name=AALBORG_2027_FILENAME)
    submission_submit(upload=upload, by=user)
    stdout.write("takster: Aalborgs takster 2027 er indsendt og venter på gennemgang.")


def load_2027(*, stdout) -> None:
    parameters = Styringsparametre.objects.filter(budget_year=DEMO_YEAR).first()
    mariagerfjord = Driftsherre.objects.filter(slug="mariagerfjord").first()
    if parameters is None or mariagerfjord is None:
        stdout.write("takster: ingen styringsparametre 2027 eller Mariagerfjord; springer over.")
        return
    rate_round = RateRound.objects.filter(parameters=parameters).first()
    if rate_round is None:
        deadline = max(
            datetime.date(DEMO_YEAR - 1, 8, 15),
            timezone.localdate() + datetime.timedelta(days=60),
        )
        rate_round = round_open(parameters=parameters, deadline=deadline)
    for name in MARIAGERFJORD_OFFERS:
        Tilbud.objects.get_or_create(
            driftsherre=mariagerfjord, name=name, defaults={"is_demo": True}
        )
    if Upload.objects.filter(
        submission__rate_round=rate_round, submission__driftsherre=mariagerfjord,
        original_name=DEMO_FILENAME,
    ).exists():
        stdout.write("takster: demo-takstrunde 2027 findes allerede.")
        return
    user = User.objects.filter(username="mariagerfjord").first()
    upload = upload_store(
        rate_round=rate_round, driftsherre=mariagerfjord, content=build_seed_like_workbook(),
        original_name=DEMO_FILENAME, by=user,
    )
    # Eager Celery has validated it already; with a real broker run the job here (the
    # claim makes sure a worker and this call never both run it), so the report is there.
    job_run(upload.job_id)
    upload.refresh_from_db()
    stdout.write(
        f"takster: demo-takstrunde {DEMO_YEAR} med Mariagerfjords testskema "
        f"({upload.errors_count} fejl, {upload.warnings_count} advarsler)."
    )


# --------------------------------------------------------------------------- 2026 (issue 6)
# The 2026 round as approved by DAS Social on 17.11.2025 (item 5, Børnehus Nord item 6) and
# Aalborg's revised SEL § 104 day rates approved on 23.02.2026 (item 10). The rates and the
# days are the minutes'; places and budgets are illustrative (20 places at 100 %).
YEAR_2026 = 2026
AALBORG_DAY = (  # name, 2025 on 365 days, 2026 first on 250 days, 2026 revised on 365 days
    ("Syrenhuset", 224, 362, 248),
    ("Hviddalen", 198, 256, 175),
    ("Væksthuset", 225, 328, 225),
)
BOERNEHUS = ("Børnehus Nord", 470, 7734, 8020)
REF_2026 = "DAS Social 17.11.2025, pkt. 5"
REF_BOERNEHUS = "DAS Social 17.11.2025, pkt. 6"
REF_REVISION = "DAS Social 23.02.2026, pkt. 10"
DEMO_NOTE = (
    "Demotal: pladser, budget og OH % er illustrative; taksten er fra DAS Socials referat."
)
DEMO_PUBLICATION_NOTE = (
    "Demodata: kun Aalborg Kommunes og Mariagerfjord Kommunes takster er lagt ind."
)
DEMO_OH_PCT = 5  # illustrative overhead % for Aalborg's demo lines (the workbook needs one)
REVISION_REASON = (
    "SEL § 104-dagtilbuddene Syrenhuset, Hviddalen og Væksthuset afregnes på 365 i stedet for "
    "250 betalingsdage; teknisk ændring med samme samlede årlige betaling."
)


def _day_line(name: str, year: int, rate: int, days: int, note: str = "") -> dict:
    return {
        "tilbud_name": name, "afdeling_name": name, "paragraph": "SEL § 104", "unit": "Dag",
        "year": year, "pladser": 20, "belaegning": 100, "budget": rate * 20 * days,
        "regulering": 0, "oh_pct": DEMO_OH_PCT, "takst_1": rate,
        "betalingsdage": None if days == 365 else days,
        "bemaerkning": note,
    }


def _boernehus_lines() -> list[dict]:
    name, cases, old, new = BOERNEHUS
    common = {"tilbud_name": name, "afdeling_name": name, "paragraph": "SEL § 10-12",
              "unit": "Objektiv", "pladser": cases, "belaegning": 100,
              "saerlige_forhold": "Dels objektivt finansieret, dels takstfinansieret; "
                                  "uændret sagsantal (470)."}
    return [
        # Objective financing: the budget is cases × rate (illustrative, like the demo OH %).
        {**common, "year": YEAR_2026 - 1, "takst_1": old, "budget": cases * old,
         "oh_pct": DEMO_OH_PCT},
        {**common, "year": YEAR_2026, "takst_1": new, "budget": cases * new,
         "oh_pct": DEMO_OH_PCT, "bemaerkning": (
            "Stigningen skyldes P/L, delvis finansiering af en tværgående enhed og en pulje "
            "til arbejdsskadeerstatninger.")},
    ]


# Mariagerfjord's 2026 figures are the seed's test rows (year 1 of the Mariagerfjord sheet in
# DAS Social 23.02.2026, pkt. 4, also in `validation/samples.py`); its 2025 figures are
# invented (demotal), which the 2026 lines' remark says.
MF_SOURCE = "2026: Mariagerfjords testrækker, DAS Social 23.02.2026, pkt. 4; 2025 er demotal."
MF_TWO_THIRDS = "Takst 1 tæller kun som 2/3-dele af en plads i forhold til belægning."
MARIAGERFJORD_2026 = (
    # name, §§, unit, særlige forhold, remark, 2025 (demo), 2026 (seed):
    # (pladser, belægning, budget, regulering, OH %, basis, time, takster)
    ("Bo og Aktivitetstilbud Kærvej", "ABL § 105", "Døgn", "", "",
     (15, 98, 15_350_000, 0, "6.6", 706, "325.27",
      (1323, 1607, 1892, 2176, 2461, 2745, 3030, 3314, 3599, 3883)),
     (15, 98, 15_999_963, 140_963, "6.8", 731, "336.66",
      (1369, 1663, 1958, 2252, 2547, 2841, 3136, 3430, 3725, 4019))),
    ("Aktivitetshuset Hobro", "SEL § 104", "Dag", MF_TWO_THIRDS, "",
     (50, 98, 9_101_650, -250_000, "5.3", None, None, (339, 509)),
     (50, 98, 8_912_000, 0, "5.4", None, None, (332, 498))),
    ("Beskyttet Beskæftigelse Mariagerfjord", "SEL § 103", "Dag",
     f"{MF_TWO_THIRDS} Tilbuddet består af 2 afdelinger i henholdsvis Hobro og Hadsund.",
     "Taksten er steget markant som følge af indregning af underskud (regulering). "
     "Underskuddet er opstået som følge af lav belægning.",
     (57, 98, 8_432_000, 0, "6.3", None, None, (276, 414)),
     (57, 98, 9_383_248, 725_248, "6.4", None, None, (307, 460))),
)


def _mariagerfjord_lines() -> list[list[dict]]:
    from decimal import Decimal

    def line(name, paragraph, unit, special, year, figures, note=""):
        pladser, belaegning, budget, regulering, oh, basis, time, takster = figures
        return {
            "tilbud_name": name, "afdeling_name": name, "paragraph": paragraph, "unit": unit,
            "year": year, "pladser": pladser, "belaegning": belaegning, "budget": budget,
            "regulering": regulering, "oh_pct": Decimal(oh), "basis": basis,
            "time": Decimal(time) if time else None, "saerlige_forhold": special,
            "bemaerkning": note,
            **{f"takst_{i}": rate for i, rate in enumerate(takster, start=1)},
        }

    return [
        [line(name, paragraph, unit, special, YEAR_2026 - 1, old),
         line(name, paragraph, unit, special, YEAR_2026, new,
              f"{remark} {MF_SOURCE}".strip())]
        for name, paragraph, unit, special, remark, old, new in MARIAGERFJORD_2026
    ]


def _aalborg_lines(*, revised: bool) -> list[list[dict]]:
    blocks = []
    for name, r25, r26_first, r26_revised in AALBORG_DAY:
        current = (
            _day_line(name, YEAR_2026, r26_revised, 365, DEMO_NOTE) if revised
            else _day_line(name, YEAR_2026, r26_first, 250, DEMO_NOTE)
        )
        blocks.append([_day_line(name, YEAR_2026 - 1, r25, 365), current])
    blocks.append(_boernehus_lines())
    return blocks


def _demo_workbook(submission, blocks: list[list[dict]]) -> bytes:
    """A real takstskema (built like the downloadable template) with the demo's figures in
    both year rows, so the stored file can be opened, checked and uploaded again."""
    from decimal import Decimal

    from .validation import TemplateBlock, YearValues, build_template
    from .validation.params import TAKST_FIELDS

    def values(row: dict | None) -> YearValues | None:
        if row is None:
            return None

        def dec(name):
            value = row.get(name)
            return Decimal(str(value)) if value is not None else None

        return YearValues(
            pladser=dec("pladser"), belaegning=dec("belaegning"), budget=dec("budget"),
            regulering=dec("regulering"), oh_pct=dec("oh_pct"), basis=dec("basis"),
            time=dec("time"), takster=tuple(dec(name) for name in TAKST_FIELDS),
            tomgang=dec("tomgang"), bemaerkning=row.get("bemaerkning", ""),
        )

    rate_round = submission.rate_round
    budget_year = rate_round.budget_year
    template_blocks = []
    for block in blocks:
        years = {row["year"]: row for row in block}
        head = years.get(budget_year) or block[0]
        template_blocks.append(TemplateBlock(
            tilbud=head["tilbud_name"], afdeling=head["afdeling_name"],
            paragraph=head.get("paragraph", ""), unit=head.get("unit", ""),
            year1=values(years.get(budget_year - 1)), year2=values(years.get(budget_year)),
            saerlige_forhold=head.get("saerlige_forhold", ""),
        ))
    parameters = rate_round.parameters
    return build_template(
        driftsherre_name=submission.driftsherre.name, driftsherre_kind=submission.driftsherre.kind,
        budget_year=budget_year, pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner,
        overhead_by_year={budget_year - 1: None, budget_year: None}, blocks=template_blocks,
        rise_threshold_pp=parameters.rise_threshold_pp,
        occupancy_threshold=parameters.occupancy_threshold,
    )


def _demo_upload(submission, blocks: list[list[dict]], *, by, name: str):
    """A demo version through the product's own way: the workbook is uploaded
    (`upload_store`), validated (the job) and its warnings acknowledged by the uploader."""
    from .services import acknowledgements_save

    content = _demo_workbook(submission, blocks)
    upload = upload_store(
        rate_round=submission.rate_round, driftsherre=submission.driftsherre, content=content,
        original_name=name, by=by,
    )
    job_run(upload.job_id)  # already done with eager Celery; else run here (the claim is safe)
    upload.refresh_from_db()
    if upload.errors_count:
        errors = "; ".join(f"{f.cell}: {f.message}"
                           for f in upload.findings.filter(severity="error"))
        raise RuntimeError(f"Demoskemaet {name} har {upload.errors_count} fejl: {errors}")
    acknowledgements_save(upload=upload, by=by, comments={
        f.pk: "Kendt: demotal (navnene er fra DAS Socials referat)."
        for f in upload.findings.filter(severity="warning")
    })
    return upload


def _demo_days(upload, blocks: list[list[dict]], *, by) -> None:
    """The betalingsdage the reviewer records for rates computed on fewer days than the
    year (Aalborg's SEL § 104 day offers on 250 days in the first 2026 version)."""
    from .services import rateline_days_set

    days = {(row["tilbud_name"], row["year"]): row.get("betalingsdage")
            for block in blocks for row in block}
    for line in upload.lines.all():
        if days.get((line.tilbud_name, line.year)):
            rateline_days_set(line=line, by=by, days=days[(line.tilbud_name, line.year)])


def load_2026(*, stdout, render: bool = True) -> None:
    """The 2026 round; `render` runs the PDF/xlsx jobs here too (as the 2027 demo does)."""
    from moeder.models import AgendaItem

    from .models import Takstbilag
    from .services import (
        das_approval_record,
        rateline_approve,
        submission_approve,
        submission_current,
        submission_recommend,
        submission_revise,
        submission_submit,
        takstbilag_draft,
        takstbilag_publish,
    )

    parameters = Styringsparametre.objects.filter(budget_year=YEAR_2026).first()
    aalborg = Driftsherre.objects.filter(slug="aalborg").first()
    items = {
        (str(i.meeting.date), i.number): i
        for i in AgendaItem.objects.select_related("meeting").filter(
            meeting__date__in=[datetime.date(2025, 11, 17), datetime.date(2026, 2, 23)],
            number__in=[5, 6, 10],
        )
    }
    staff = User.objects.filter(username="sekretariat").first()
    if None in (parameters, aalborg, staff) or ("2025-11-17", 5) not in items:
        stdout.write("takster: mangler 2026-parametre, Aalborg, møderne eller sekretariat-"
                     "brugeren; springer takstbilag 2026 over.")
        return
    rate_round = RateRound.objects.filter(parameters=parameters).first()
    if rate_round and Takstbilag.objects.filter(rate_round=rate_round).exists():
        stdout.write("takster: takstbilag 2026 findes allerede.")
        return
    if rate_round is None:
        rate_round = round_open(parameters=parameters, deadline=datetime.date(2025, 8, 15))
    driftsherre_user = User.objects.filter(username="aalborg").first() or staff
    submission = submission_current(rate_round=rate_round, driftsherre=aalborg)
    first_blocks = _aalborg_lines(revised=False)
    upload = _demo_upload(submission, first_blocks, by=driftsherre_user,
                          name="aalborg-takster-2026-demo.xlsx")
    submission = submission_submit(upload=upload, by=driftsherre_user)
    _demo_days(upload, first_blocks, by=staff)
    submission_recommend(submission=submission, by=staff)
    boernehus = upload.lines.get(tilbud_name=BOERNEHUS[0], year=YEAR_2026)
    rateline_approve(line=boernehus, by=staff,
                     note=f"Budget 2026 godkendt af {REF_BOERNEHUS} (objektiv finansiering).")
    submission_approve(submission=submission, by=staff)
    submissions = [submission]
    mariagerfjord = Driftsherre.objects.filter(slug="mariagerfjord").first()
    if mariagerfjord is not None:
        mf_user = User.objects.filter(username="mariagerfjord").first() or staff
        mf_submission = submission_current(rate_round=rate_round, driftsherre=mariagerfjord)
        mf_upload = _demo_upload(mf_submission, _mariagerfjord_lines(), by=mf_user,
                                 name="mariagerfjord-takster-2026-demo.xlsx")
        mf_submission = submission_submit(upload=mf_upload, by=mf_user)
        submission_recommend(submission=mf_submission, by=staff)
        submission_approve(submission=mf_submission, by=staff)
        submissions.append(mf_submission)
    das_approval_record(
        submissions=submissions, by=staff, item=items[("2025-11-17", 5)],
        date=datetime.date(2025, 11, 17), reference=REF_2026,
        note="Takster 2026 godkendt med bemærkninger til Nordstjernen, Frederikshavn "
             "Krisecenter, Vesthimmerland Kommune, Adelgade og Aalborg Kommune.",
    )
    if ("2025-11-17", 6) in items:
        das_approval_record(
            submissions=[submission], by=staff, item=items[("2025-11-17", 6)],
            date=datetime.date(2025, 11, 17), reference=REF_BOERNEHUS,
            note="Budget 2026 for Børnehus Nord: 470 sager, takst 7.734 → 8.020 kr.",
        )
    rate_round.status = RateRound.Status.CLOSED
    rate_round.save(update_fields=["status"])
    first = takstbilag_draft(rate_round=rate_round, by=staff, label="Takstbilag 2026",
                             render=False)
    takstbilag_publish(takstbilag=first, by=staff, note=DEMO_PUBLICATION_NOTE,
                       published_at=timezone.make_aware(datetime.datetime(2025, 11, 18, 12, 0)))
    revision = submission_revise(submission=submission, by=driftsherre_user,
                                 reason=REVISION_REASON)
    upload = _demo_upload(revision, _aalborg_lines(revised=True), by=driftsherre_user,
                          name="aalborg-takster-2026-revideret-demo.xlsx")
    revision = submission_submit(upload=upload, by=driftsherre_user)
    submission_recommend(submission=revision, by=staff)
    submission_approve(submission=revision, by=staff)
    revision_item = items.get(("2026-02-23", 10))
    das_approval_record(
        submissions=[revision], by=staff, item=revision_item,
        date=datetime.date(2026, 2, 23), reference=REF_REVISION,
        note="Reviderede SEL § 104-takster for Aalborg Kommune (365 betalingsdage).",
    )
    second = takstbilag_draft(rate_round=rate_round, by=staff,
                              label="Version 2 – revideret Aalborg SEL § 104", render=False)
    takstbilag_publish(takstbilag=second, by=staff, note=DEMO_PUBLICATION_NOTE,
                       published_at=timezone.make_aware(datetime.datetime(2026, 2, 24, 12, 0)))
    if render:
        # Eager Celery has rendered them already; with a real broker render them here (the
        # claim makes sure a worker and this call never both run a job).
        for takstbilag in (first, second):
            for job_id in (takstbilag.pdf_job_id, takstbilag.xlsx_job_id):
                job_run(job_id)
    stdout.write("takster: takstbilag 2026 version 1 (17.11.2025, Aalborg og Mariagerfjord) "
                 "og 2 (Aalborgs revision 23.02.2026).")
