"""Reprocessing through the API keeps reviewers' corrections (or discards them when asked),
records who reprocessed and which token user acted, and a document's payload names the other
documents of its upload (the real API stack and in-process runner, a stand-in OCR engine)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.test_api import AUTH, api, png, wait_final
from tests.unit.test_recovery import StandInEngine
from tests.unit.test_split_uploads import JD, SF, PagedEngine, tiff

BOB = {"Authorization": "Bearer bob-token"}


def fields(document: dict) -> dict[str, tuple[str, float]]:
    return {f["name"]: (f["value"], f["confidence"]) for f in document["fields"]}


def test_reprocess_keeps_corrections_unless_discarded_and_records_the_caller(tmp_path):
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", engine_factory=StandInEngine) as client:
        document_id = client.post("/documents", files=[("files", ("w.png", png("white"), "image/png"))],
                                  headers=BOB).json()["documents"][0]["id"]
        read = fields(wait_final(client, document_id, timeout=60))
        path = f"/documents/{document_id}/fields/receiver_phone"
        assert client.patch(path, json={"value": "13712345678"}, headers=BOB).status_code == 200

        assert client.post(f"/documents/{document_id}/reprocess", headers=BOB).status_code == 202
        kept = wait_final(client, document_id, timeout=60)
        assert fields(kept)["receiver_phone"] == ("+8613712345678", 1.0) and kept["extraction_version"] == 2
        correct, reprocess = kept["events"]
        assert (correct["action"], correct["actor"], correct["detail"]["token_user"]) == ("correct", "bob", "bob")
        assert (reprocess["action"], reprocess["actor"], reprocess["detail"]["token_user"]) == ("reprocess", "bob", "bob")

        discarded = client.post(f"/documents/{document_id}/reprocess", params={"discard_corrections": "true"},
                                headers={**AUTH, "X-Reviewer": "alice"})
        assert discarded.status_code == 202
        again = wait_final(client, document_id, timeout=60)
        assert fields(again) == read
        last = again["events"][-1]
        assert (last["actor"], last["detail"]["token_user"], last["detail"]["discarded"]) == ("alice", None, ["receiver_phone"])
        assert [c["new_value"] for c in again["corrections"]] == ["+8613712345678"]  # still in the trail


def test_the_payload_of_a_split_upload_names_its_parts_and_a_part_its_pages(tmp_path):
    PagedEngine.pages = {1: SF, 2: JD}
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", engine_factory=PagedEngine) as client:
        upload_id = client.post("/documents", files=[("files", ("batch.tif", tiff(2), "image/tiff"))],
                                headers=AUTH).json()["documents"][0]["id"]
        upload = wait_final(client, upload_id, timeout=60)
        [part] = upload["parts"]
        assert (upload["first_page"], upload["last_page"], part["first_page"], part["last_page"]) == (1, 1, 2, 2)
        shown = client.get(f"/documents/{part['id']}", headers=AUTH).json()
        assert shown["parent_id"] == upload_id and fields(shown)["tracking_number"][0] == "JDVB21521354726"
        assert [p["number"] for p in shown["pages"]] == [2]
        assert client.get(f"/documents/{part['id']}/pages/2", headers=AUTH).headers["content-type"] == "image/png"
        metrics = {m.name: m for m in text_string_to_metric_families(client.get("/metrics", headers=AUTH).text)}
        ocr_count = next(s.value for s in metrics["billflow_ocr_seconds_per_page"].samples if s.name.endswith("_count"))
        assert ocr_count == 2 and metrics["billflow_pages_per_minute"].samples[0].value == 2 / 5  # pages read, not copies
        refused = client.post(f"/documents/{part['id']}/reprocess", headers=AUTH)
        assert refused.status_code == 409 and f"reprocess document {upload_id}" in refused.json()["detail"]
