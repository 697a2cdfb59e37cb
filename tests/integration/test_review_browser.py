"""The review page in a real browser (Debian's chromium through Playwright) against the API
served by uvicorn on a real PostgreSQL: sign in, correct a field or confirm every value, see the
document leave the queue; an invoice's line items are shown, and a misread cell corrected."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from db.migrate import upgrade
from db.models import Document, Field, FieldCorrection, Status
from db.session import session_scope
from extractors.lines import OcrLine
from tests.conftest import free_port
from tests.integration.reviewdata import LOW_CONFIDENCE_PHONE, REVIEW_BAR, UNKNOWN_ADDRESS, seed_document
from tests.unit.test_extract_vat_invoice import paper_invoice
from workers.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install -y chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.services
TOKEN = "browser-token"
UNSURE_PAPER = "*纸制品*复印纸"  # the invoice's second item, read poorly: that row needs review
UNSURE_ROW_INVOICE = [OcrLine(l.text, 0.6, l.polygon, l.page, char_scores=(0.6,) * len(l.text))
                      if l.text == UNSURE_PAPER else l for l in paper_invoice()]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@pytest.fixture
def api_url(postgres_url, tmp_path):
    """The API (no broker) served by uvicorn in a thread on 127.0.0.1."""
    import uvicorn

    from api.app import create_app

    settings = Settings(database_url=postgres_url, data_dir=tmp_path / "data", api_token=TOKEN, broker_url=None,
                        done_confidence=REVIEW_BAR)
    upgrade(postgres_url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def watched_page(browser):
    """A new page in the browser and the list its script errors go to."""
    page = browser.new_page(viewport={"width": 1440, "height": 820})
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    return page, errors


def test_a_reviewer_corrects_a_field_and_the_document_leaves_the_queue(api_url, postgres_url, browser, tmp_path):
    data = tmp_path / "data"
    phone_doc = seed_document(postgres_url, data, "waybill-sf.png", LOW_CONFIDENCE_PHONE)
    address_doc = seed_document(postgres_url, data, "waybill-zto.png", UNKNOWN_ADDRESS)
    expect = playwright.expect
    page, errors = watched_page(browser)

    page.goto(f"{api_url}/review?token=wrong")
    expect(page.locator("#login-error")).to_contain_text("refused")
    page.fill("#login-token", TOKEN)
    page.fill("#login-name", "Carol")
    page.click("#login button[type=submit]")

    expect(page.locator("#queue li")).to_have_count(2)
    expect(page.locator("#doc-title")).to_contain_text(f"#{phone_doc} waybill-sf.png")
    expect(page.locator("#reasons")).to_contain_text(re.compile(rf"receiver_phone: confidence 0\.\d\d below {REVIEW_BAR}"))
    expect(page.locator("#overlay polygon.line")).to_have_count(len(LOW_CONFIDENCE_PHONE))
    expect(page.locator("#overlay rect.field").first).to_be_attached()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#doc-title")).to_contain_text(f"#{address_doc}")
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#doc-title")).to_contain_text(f"#{phone_doc}")

    phone = page.locator('#fields input[name="receiver_phone"]')
    expect(phone).to_have_value("+8613812345676")
    phone.fill("138 1234 5678")
    phone.press("Enter")

    expect(page.locator("#queue li")).to_have_count(1)
    expect(page.locator("#doc-title")).to_contain_text(f"#{address_doc}")
    expect(page.locator("#notice")).to_contain_text(f"#{phone_doc} is done")
    expect(page.locator('#fields tr[data-field="receiver_address"] .violation').first).to_be_visible()
    page.wait_for_function("document.querySelector('#page-image').naturalWidth > 0")
    screenshot = tmp_path / "reports" / "review.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000

    with session_scope(postgres_url) as session:
        assert session.get(Document, phone_doc).status == Status.done
        field = session.scalars(select(Field).where(Field.document_id == phone_doc,
                                                    Field.name == "receiver_phone")).one()
        assert (field.value, field.confidence) == ("+8613812345678", 1.0)
        [audit] = session.scalars(select(FieldCorrection)).all()
        assert (audit.document_id, audit.old_value, audit.new_value, audit.reviewer) == \
            (phone_doc, "+8613812345676", "+8613812345678", "Carol")

    page.fill('#fields input[name="receiver_address"]', "北京市朝阳区建国路88号")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#queue-empty")).to_be_visible()
    with session_scope(postgres_url) as session:
        assert session.get(Document, address_doc).status == Status.done
    assert errors == []


def test_the_api_docs_render_without_a_network(api_url, browser):
    page = browser.new_page()
    page.goto(f"{api_url}/docs")
    operations = page.locator(".opblock-summary-path")
    playwright.expect(operations.first).to_be_visible()
    assert "/documents/{document_id}/fields/{name}" in operations.all_inner_texts()


def test_a_reviewer_confirms_every_value_once_nothing_objects(api_url, postgres_url, browser, tmp_path):
    objected, unsure = (seed_document(postgres_url, tmp_path / "data", name, lines) for name, lines in
                        (("waybill-zto.png", UNKNOWN_ADDRESS), ("waybill-sf.png", LOW_CONFIDENCE_PHONE)))
    page, errors = watched_page(browser)
    page.goto(f"{api_url}/review?token={TOKEN}&reviewer=Dave")
    expect = playwright.expect

    expect(page.locator("#doc-title")).to_contain_text(f"#{objected}")
    page.click("#confirm")
    expect(page.locator("#notice")).to_contain_text("cannot be confirmed until it is corrected")
    expect(page.locator("#queue li")).to_have_count(2)

    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#doc-title")).to_contain_text(f"#{unsure}")
    page.fill('#fields input[name="receiver_phone"]', "138 1234 5678")  # an edit is saved before confirming
    page.click("#confirm")
    expect(page.locator("#notice")).to_contain_text(f"#{unsure} is done")
    expect(page.locator("#queue li")).to_have_count(1)
    with session_scope(postgres_url) as session:
        fields = session.scalars(select(Field).where(Field.document_id == unsure)).all()
        assert {f.confidence for f in fields} == {1.0}
        assert next(f.value for f in fields if f.name == "receiver_phone") == "+8613812345678"
        assert session.get(Document, unsure).status == Status.done
    assert errors == []


def test_an_invoices_line_items_are_shown_and_the_unsure_row_flagged(api_url, postgres_url, browser, tmp_path):
    invoice = seed_document(postgres_url, tmp_path / "data", "invoice.png", UNSURE_ROW_INVOICE)
    page, errors = watched_page(browser)
    page.goto(f"{api_url}/review?token={TOKEN}&reviewer=Erin")
    expect = playwright.expect

    expect(page.locator("#doc-title")).to_contain_text(f"#{invoice}")
    rows = page.locator("#items tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator('input[name="name"]')).to_have_value(UNSURE_PAPER)
    expect(page.locator("#items tbody tr.flagged")).to_have_attribute("data-row", "2")
    assert errors == []


def test_a_reviewer_corrects_a_misread_amount_in_the_item_table_and_the_invoice_is_done(
        api_url, postgres_url, browser, tmp_path):
    misread = [OcrLine("2600.00", l.score, l.polygon, l.page) if l.text == "2000.00" else l for l in paper_invoice()]
    invoice = seed_document(postgres_url, tmp_path / "data", "misread.png", misread)
    page, errors = watched_page(browser)
    page.goto(f"{api_url}/review?token={TOKEN}&reviewer=Fay")
    expect = playwright.expect

    expect(page.locator("#reasons")).to_contain_text("line item 1: quantity 2 × unit price 1000.00 = 2000.00")
    amount = page.locator('#items tbody tr[data-row="1"] input[name="amount"]')
    expect(amount).to_have_value("2600.00")
    amount.fill("2,000.00")
    amount.press("Enter")
    expect(page.locator("#notice")).to_contain_text(f"#{invoice} is done")
    expect(page.locator("#queue-empty")).to_be_visible()
    with session_scope(postgres_url) as session:
        document = session.get(Document, invoice)
        assert document.status == Status.done and document.line_items[0].amount == "2000.00"
    assert errors == []
