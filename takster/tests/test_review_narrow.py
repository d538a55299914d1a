"""The review page at 375 px: a driftsherre's remark with a long Danish word wraps instead of
pushing the page sideways (WCAG 1.4.10 reflow)."""

import pytest

from conftest import NARROW_VIEWPORT, assert_no_sideways_scroll
from takster.models import RateLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_remark_with_a_long_word_does_not_scroll_the_review_sideways(
    browser_page, browser_login, aalborg_2027
):
    RateLine.objects.filter(upload=aalborg_2027.submitted_upload, tilbud_name="Hviddalen").update(
        bemaerkning="Stigningen skyldes en pulje til arbejdsskadeerstatninger.")
    page = browser_page
    browser_login(page, "sekretariat")
    page.set_viewport_size(NARROW_VIEWPORT)
    page.goto(f"/takster/indberetninger/{aalborg_2027.pk}/gennemgang/")
    assert "arbejdsskadeerstatninger" in page.locator("#tilbud-1").inner_text()
    assert_no_sideways_scroll(page)
