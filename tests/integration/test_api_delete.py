"""Documents that would otherwise be dead ends through the API: the same bytes uploaded again
run a document that failed without them, and a document can be deleted for good, audited (the
real API stack and in-process runner, a stand-in OCR engine)."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditEvent
from db.session import session_scope
from tests.integration.test_api import AUTH, api, png, wait_final
from tests.unit.test_recovery import StandInEngine
from tests.unit.test_split_uploads import JD, SF, PagedEngine, tiff
from workers import pipeline

BOB = {"Authorization": "Bearer bob-token"}


def test_uploading_again_runs_a_document_that_failed_without_its_upload(tmp_path):
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", engine_factory=StandInEngine) as client:
        scan = tmp_path / "scan.png"
        scan.write_bytes(png("white"))
        small_limit = client.app.state.settings.model_copy(update={"max_file_mb": 0.0001})
        document_id = pipeline.submit_path(small_limit, scan).document_id  # too large under an earlier limit
        assert client.post(f"/documents/{document_id}/reprocess", headers=AUTH).status_code == 409

        again = client.post("/documents", files=[("files", ("scan.png", scan.read_bytes(), "image/png"))], headers=AUTH)
        assert again.json()["documents"] == [{"id": document_id, "name": "scan.png", "created": False,
                                              "status": "queued", "requeued": True}]
        document = wait_final(client, document_id, timeout=60)
        assert document["status"] == "done" and document["error"] is None and document["fields"]


def test_delete_removes_rows_page_images_and_upload_and_records_who(tmp_path):
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", engine_factory=StandInEngine) as client:
        document_id = client.post("/documents", files=[("files", ("w.png", png("white"), "image/png"))],
                                  headers=BOB).json()["documents"][0]["id"]
        document = wait_final(client, document_id, timeout=60)
        files = [f for folder in ("originals", "pages") for f in sorted((tmp_path / "data" / folder).rglob("*"))
                 if f.is_file()]
        assert len(files) == 1 + len(document["pages"]) == 2

        assert client.delete(f"/documents/{document_id}").status_code == 401
        deleted = client.delete(f"/documents/{document_id}", headers=BOB)
        assert deleted.status_code == 200 and deleted.json() == {"deleted": [document_id]}
        assert client.get(f"/documents/{document_id}", headers=BOB).status_code == 404
        assert client.delete(f"/documents/{document_id}", headers=BOB).status_code == 404
        assert not any(f.exists() for f in files) and not files[1].parent.exists()
        assert client.get("/documents", headers=BOB).json()["total"] == 0

        with session_scope(client.app.state.settings.database_url) as session:
            event = session.scalars(select(AuditEvent).where(AuditEvent.action == "delete")).one()
            assert (event.document_id, event.actor, event.detail["token_user"]) == (document_id, "bob", "bob")
            assert event.detail["name"] == "w.png" and event.detail["status"] == "done"


def test_deleting_a_part_keeps_its_uploads_images_and_deleting_the_upload_takes_its_parts(tmp_path):
    PagedEngine.pages = {1: SF, 2: JD, 3: SF}  # three waybills in one upload: the upload keeps the first
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", engine_factory=PagedEngine) as client:
        upload = client.post("/documents", files=[("files", ("batch.tif", tiff(3), "image/tiff"))],
                             headers=BOB).json()["documents"][0]["id"]
        parts = [part["id"] for part in wait_final(client, upload, timeout=60)["parts"]]
        images = sorted((tmp_path / "data" / "pages").rglob("*.png"))
        assert len(parts) == 2 and len(images) == 3

        assert client.delete(f"/documents/{parts[1]}", headers=BOB).json() == {"deleted": [parts[1]]}
        assert all(image.exists() for image in images)
        assert client.get(f"/documents/{upload}/pages/3", headers=BOB).status_code == 200

        assert client.delete(f"/documents/{upload}", headers=BOB).json() == {"deleted": [upload, parts[0]]}
        assert client.get("/documents", headers=BOB).json()["total"] == 0
        assert not any(image.exists() for image in images)
        assert not [f for f in (tmp_path / "data" / "originals").rglob("*") if f.is_file()]
