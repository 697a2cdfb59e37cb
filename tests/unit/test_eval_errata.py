"""Public sets' wrong labels: the value the document prints is accepted beside the label."""

from __future__ import annotations

import json

from evaluation.datasets import read_dataset

ERRATUM = "image_files/Image_2/0/828ed85f4e772a9f1c7036c98cd21ab47e59ce56"


def test_a_recorded_erratum_accepts_the_printed_value_and_keeps_the_label(tmp_path):
    (tmp_path / "class_list.txt").write_text("Ignore\nSubtotal_key\nSubtotal_value\n", encoding="utf-8")
    image = tmp_path / f"{ERRATUM}.jpeg"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"")
    entry = {"file_name": f"{ERRATUM}.jpeg", "height": 100, "width": 100,
             "annotations": [{"box": [0, 0, 10, 0, 10, 10, 0, 10], "text": "11.98", "label": 2}]}
    (tmp_path / "dev.txt").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    [sample] = read_dataset(tmp_path).samples
    assert sample.fields["subtotal"] == "11.98"
    assert "11.99" in sample.accepted["subtotal"]
