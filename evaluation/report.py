"""An evaluation report as ``report.json``, a self-contained ``report.html`` and rich tables.

The HTML embeds every page as a base64 JPEG (no external assets), worst document first, drawn
with detected lines (green: matched, red: unmatched, grey: in a don't-care region), missed truth
lines (blue) and extracted fields (orange). Each box carries its line number; the texts are in
a table beside the image, and are also drawn on it when a CJK font is installed.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rich.table import Table

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PREVIEW_SIDE = 1100
JPEG_QUALITY = 70
COLOURS = {"matched": (0, 160, 0), "unmatched": (220, 0, 0), "dropped": (150, 150, 150),
           "missed": (0, 90, 255), "field": (255, 140, 0)}
_DEFAULT_FONT = ImageFont.load_default()
_STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}th{background:#eee}
.doc{border-top:3px solid #444;margin-top:2em}.page{display:flex;gap:1em;align-items:flex-start}
.page img{max-width:60%;border:1px solid #999}.bad{color:#c00}.ok{color:#080}
"""


def preview_jpeg(image: Image.Image) -> tuple[bytes, float]:
    """A page image downscaled to at most ``PREVIEW_SIDE`` pixels, as JPEG, with its scale."""
    scale = min(1.0, PREVIEW_SIDE / max(image.size))
    small = image.convert("RGB").resize((round(image.width * scale), round(image.height * scale))) if scale < 1 else image.convert("RGB")
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue(), scale


def write_reports(folder: Path, report: dict, previews: dict[str, list[tuple[bytes, float]]]) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` into ``folder`` (created); returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "report.json", folder / "report.html"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    html_path.write_text(render_html(report, previews), encoding="utf-8")
    return json_path, html_path


def render_html(report: dict, previews: dict[str, list[tuple[bytes, float]]]) -> str:
    """The whole report as one HTML page; ``previews`` maps document name → (JPEG, scale) per page."""
    font = _font()
    docs = "".join(_document_html(rank, d, previews.get(d["name"], []), font)
                   for rank, d in enumerate(report["documents"], start=1))
    title = html.escape(f"billflow eval: {report.get('dataset', {}).get('root', '')}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{title}</h1>{_summary_html(report)}<h2>Documents, worst first</h2>{docs}</body></html>")


def _summary_html(report: dict) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in summary_rows(report))
    fields = "".join(
        f"<tr><td>{html.escape(t)}</td><td>{html.escape(n)}</td>" + "".join(f"<td>{_fmt(s[m][k])}</td>"
                                                                            for m in ("exact", "normalized")
                                                                            for k in ("accuracy", "precision", "recall", "f1"))
        + "</tr>"
        for t, n, s in field_rows(report)
    )
    head = "".join(f"<th>{m} {k}</th>" for m in ("exact", "normalized") for k in ("acc", "P", "R", "F1"))
    convention = html.escape(report["extraction"]["convention"])
    return (f"<table>{rows}</table><h2>Calibration</h2>{calibration_svg(report['calibration'])}"
            f"<h2>Extraction</h2><p>{convention}</p>"
            f"<table><tr><th>type</th><th>field</th>{head}</tr>{fields}</table>{_items_summary_html(report)}")


def _items_summary_html(report: dict) -> str:
    """The line-item section: per type, rows right and tables entirely right; empty without item truth."""
    section = report.get("line_items")
    if not section or not section["documents"]:
        return ""
    rows = "".join(f"<tr><td>{html.escape(t)}</td>" + "".join(f"<td>{_fmt(s[k])}</td>" for k in ITEM_COLUMNS_SHOWN)
                   + "</tr>" for t, s in [*section["by_type"].items(), ("(all)", section)])
    head = "".join(f"<th>{html.escape(k.replace('_', ' '))}</th>" for k in ITEM_COLUMNS_SHOWN)
    return (f"<h2>Line items</h2><p>{html.escape(section['convention'])}</p>"
            f"<table><tr><th>type</th>{head}</tr>{rows}</table>")


ITEM_COLUMNS_SHOWN = ("documents", "truth_rows", "predicted_rows", "rows_right", "row_accuracy", "row_precision",
                      "document_row_accuracy", "tables_right", "table_accuracy")


def calibration_svg(calibration: dict, side: int = 260) -> str:
    """A reliability diagram as inline SVG: per confidence bin, observed accuracy (bars, width
    by field count) against the diagonal of perfect calibration."""
    pad, plot = 30, side - 40
    most = max((b["fields"] for b in calibration["bins"]), default=1)

    def x(v: float) -> float:
        return pad + v * plot

    def y(v: float) -> float:
        return pad / 3 + (1 - v) * plot

    bars = "".join(
        f"<rect x='{x(b['low']):.1f}' y='{y(b['accuracy']):.1f}' width='{plot * (b['high'] - b['low']) * 0.9:.1f}' "
        f"height='{plot * b['accuracy']:.1f}' fill='#4a7' fill-opacity='{0.3 + 0.7 * b['fields'] / most:.2f}'>"
        f"<title>confidence {b['low']:.1f}–{b['high']:.1f}: {b['fields']} fields, mean confidence "
        f"{b['confidence']:.3f}, right {b['accuracy']:.3f}</title></rect>"
        f"<circle cx='{x(b['confidence']):.1f}' cy='{y(b['accuracy']):.1f}' r='3' fill='#c30'/>"
        for b in calibration["bins"])
    axes = (f"<line x1='{x(0)}' y1='{y(0)}' x2='{x(1)}' y2='{y(0)}' stroke='#333'/>"
            f"<line x1='{x(0)}' y1='{y(0)}' x2='{x(0)}' y2='{y(1)}' stroke='#333'/>"
            f"<line x1='{x(0)}' y1='{y(0)}' x2='{x(1)}' y2='{y(1)}' stroke='#999' stroke-dasharray='4'/>"
            f"<text x='{x(0.5)}' y='{side - 4}' font-size='11' text-anchor='middle'>predicted confidence</text>"
            f"<text x='10' y='{y(0.5)}' font-size='11' transform='rotate(-90 10 {y(0.5)})' "
            f"text-anchor='middle'>share right</text>")
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{side}' height='{side}' role='img' "
            f"aria-label='calibration'>{axes}{bars}</svg><p>{calibration['fields']} extracted labelled fields; "
            f"Brier score {_fmt(calibration['brier'])}</p>")


def _document_html(rank: int, doc: dict, previews: list[tuple[bytes, float]], font) -> str:
    status = html.escape(doc["status"])
    head = (f"<h3>#{rank} {html.escape(doc['name'])}</h3><p>status <b>{status}</b>, type "
            f"{html.escape(str(doc['predicted_type']))} (truth {html.escape(str(doc['doc_type']))}), "
            f"field errors {doc['field_errors']}, page CER {_fmt(doc['cer'])}"
            f"{', error: ' + html.escape(doc['error']) if doc['error'] else ''}</p>")
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in doc["reasons"])
    fields = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{html.escape(str(f['truth']))}</td><td>{html.escape(str(f['predicted']))}</td>"
        f"<td class='{'ok' if f['normalized'] in ('correct', 'absent') else 'bad'}'>{f['exact']} / {f['normalized']}</td></tr>"
        for n, f in doc["fields"].items()
    )
    field_table = (f"<table><tr><th>field</th><th>truth</th><th>predicted</th><th>exact / normalized</th></tr>{fields}</table>"
                   if fields else "")
    pages = "".join(_page_html(doc, page, preview, font) for page, preview in zip(doc["pages"], previews))
    return (f"<section class='doc' id='doc-{rank}' data-rank='{rank}' data-name='{html.escape(doc['name'], quote=True)}'>"
            f"{head}<ul>{reasons}</ul>{field_table}{_items_html(doc.get('line_items'))}{pages}</section>")


def _items_html(items: dict | None) -> str:
    """A document's item rows: each truth row (right or wrong), then the rows as read."""
    if items is None:
        return ""
    columns = list(items["truth"][0]) if items["truth"] else []

    def cells(row: dict) -> str:
        return "".join(f"<td>{html.escape('' if row.get(c) is None else str(row[c]))}</td>" for c in columns)

    truth = "".join(f"<tr><td>truth {i}</td>{cells(row)}<td class='{'ok' if ok else 'bad'}'>{'right' if ok else 'wrong'}</td></tr>"
                    for i, (row, ok) in enumerate(zip(items["truth"], items["right"]), start=1))
    read = "".join(f"<tr><td>read {i}</td>{cells(row)}<td></td></tr>" for i, row in enumerate(items["predicted"], start=1))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    verdict = "table right" if items["table_right"] else "table wrong"
    return (f"<p>line items: {items['rows_right']} of {items['truth_rows']} rows right ({items['predicted_rows']} read), "
            f"<span class='{'ok' if items['table_right'] else 'bad'}'>{verdict}</span></p>"
            f"<table><tr><th>row</th>{head}<th></th></tr>{truth}{read}</table>")


def _page_html(doc: dict, page: dict, preview: tuple[bytes, float], font) -> str:
    fields = [(n, f["bbox"]) for n, f in doc["fields"].items() if f["bbox"] and f["page"] == page["number"]]
    image = base64.b64encode(draw_page(preview, page, fields, font)).decode("ascii")
    matched = {p: (t, iou, edits) for t, p, iou, edits in page["matches"]}
    rows = "".join(_line_row(i, line, matched.get(i), page) for i, line in enumerate(page["predicted"]))
    matched_truth = {t for t, *_ in page["matches"]}
    missed = "".join(f"<tr><td>-</td><td>{html.escape(l['text'])}</td><td class='bad'>missed</td><td></td></tr>"
                     for i, l in enumerate(page["truth"]) if not l["ignore"] and i not in matched_truth)
    return (f"<h4>page {page['number']}: {page['seconds']:.2f} s</h4><div class='page'>"
            f"<img alt='page {page['number']}' src='data:image/jpeg;base64,{image}'>"
            f"<table><tr><th>#</th><th>truth</th><th>recognized</th><th>IoU / edits</th></tr>{rows}{missed}</table></div>")


def _line_row(index: int, line: dict, match: tuple | None, page: dict) -> str:
    truth = html.escape(page["truth"][match[0]]["text"]) if match else ""
    verdict = f"{match[1]:.2f} / {match[2]}" if match else ("don't care" if index in page["dropped"] else "unmatched")
    good = match is not None and match[2] == 0
    return (f"<tr><td>{index}</td><td>{truth}</td><td>{html.escape(line['text'])}</td>"
            f"<td class='{'ok' if good else 'bad'}'>{verdict}</td></tr>")


def draw_page(preview: tuple[bytes, float], page: dict, fields: list[tuple[str, list[float]]], font) -> bytes:
    """The page preview with truth, detected and field boxes drawn on it, as JPEG bytes."""
    data, scale = preview
    image = Image.open(io.BytesIO(data)).convert("RGB")
    draw = ImageDraw.Draw(image)
    matched_truth = {t for t, *_ in page["matches"]}
    matched_pred = {p for _, p, *_ in page["matches"]}
    for i, line in enumerate(page["truth"]):
        if not line["ignore"] and i not in matched_truth:
            _polygon(draw, line["polygon"], scale, COLOURS["missed"])
    for i, line in enumerate(page["predicted"]):
        kind = "matched" if i in matched_pred else "dropped" if i in page["dropped"] else "unmatched"
        corners = _polygon(draw, line["polygon"], scale, COLOURS[kind])
        label = f"{i} {line['text']}" if font is not None else str(i)
        draw.text((corners[0][0], corners[0][1] - 11), label, fill=COLOURS[kind], font=font or _DEFAULT_FONT)
    for name, (x0, y0, x1, y1) in fields:
        draw.rectangle([x0 * scale - 2, y0 * scale - 2, x1 * scale + 2, y1 * scale + 2], outline=COLOURS["field"], width=3)
        draw.text((x0 * scale, y1 * scale + 2), name, fill=COLOURS["field"], font=_DEFAULT_FONT)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def _polygon(draw: ImageDraw.ImageDraw, points: list[list[float]], scale: float, colour) -> list[tuple[float, float]]:
    corners = [(x * scale, y * scale) for x, y in points]
    draw.polygon(corners, outline=colour, width=2)
    return corners


def _font():
    """The CJK font for drawing recognized text, or None (boxes and numbers only)."""
    return ImageFont.truetype(str(CJK_FONT), 12) if CJK_FONT.exists() else None


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def summary_rows(report: dict) -> list[tuple[str, str]]:
    """The headline numbers as (label, value) rows."""
    det, rec, rev, speed = report["detection"], report["recognition"], report["review"], report["speed"]
    overall = report["extraction"]["overall"]
    return [
        ("documents / pages", f"{rev['documents']} / {det['pages']}"),
        ("detection P / R / H (IoU ≥ 0.5)", f"{_fmt(det['precision'])} / {_fmt(det['recall'])} / {_fmt(det['hmean'])}"),
        ("line accuracy (matched lines)", f"{_fmt(rec['line_accuracy'])} of {rec['matched_lines']}"),
        ("CER matched lines / page", f"{_fmt(rec['cer'])} / {_fmt(rec['page_cer'])}"),
        ("fields exact match / P / R / F1", "{} / {} / {} / {}".format(*(_fmt(overall["exact"][k]) for k in ("accuracy", "precision", "recall", "f1")))),
        ("fields normalized P / R / F1", "{} / {} / {}".format(*(_fmt(overall["normalized"][k]) for k in ("precision", "recall", "f1")))),
        ("classification accuracy", _fmt(report["extraction"]["classification_accuracy"])),
        *_items_summary_rows(report.get("line_items")),
        ("statuses", ", ".join(f"{k} {v}" for k, v in sorted(rev["by_status"].items()))),
        ("done and right / done but wrong / flagged", f"{_fmt(rev['automation'])} / {_fmt(rev['silent_errors'])} / {_fmt(rev['review_rate'])}"),
        ("review flag P / R (wrong documents)", f"{_fmt(rev['flag_precision'])} / {_fmt(rev['flag_recall'])} ({rev['wrong_documents']})"),
        ("field confidence Brier score", f"{_fmt(report['calibration']['brier'])} over {report['calibration']['fields']} fields"),
        ("s/page p50 / p95, pages/min", f"{_fmt(speed['p50_s'])} / {_fmt(speed['p95_s'])}, {_fmt(speed['pages_per_minute'])}"),
        ("page preparation ms/page", ", ".join(f"{k} {v}" for k, v in speed.get("steps_ms", {}).items()) or "off"),
    ]


def _items_summary_rows(section: dict | None) -> list[tuple[str, str]]:
    if not section or not section["documents"]:
        return []
    return [("line items: rows right / tables right",
             f"{_fmt(section['row_accuracy'])} of {section['truth_rows']} rows / "
             f"{_fmt(section['table_accuracy'])} of {section['documents']} documents")]


def field_rows(report: dict) -> list[tuple[str, str, dict]]:
    """(doc type, field, {exact: scores, normalized: scores}) for every scored field, then 'all'."""
    rows = []
    for doc_type, entry in report["extraction"]["by_type"].items():
        rows.extend((doc_type, name, scores) for name, scores in entry["fields"].items())
        rows.append((doc_type, "(all)", entry["all_fields"]))
    return rows


def rich_tables(report: dict) -> list[Table]:
    """The summary and the per-field extraction table for the terminal."""
    summary = Table(title="billflow eval", show_header=False)
    summary.add_column("metric")
    summary.add_column("value")
    for label, value in summary_rows(report):
        summary.add_row(label, value)
    fields = Table(title="extraction per field (exact | normalized)")
    for column in ("type", "field", "acc", "P", "R", "F1", "acc n.", "P n.", "R n.", "F1 n."):
        fields.add_column(column)
    for doc_type, name, scores in field_rows(report):
        fields.add_row(doc_type, name, *(_fmt(scores[m][k]) for m in ("exact", "normalized")
                                         for k in ("accuracy", "precision", "recall", "f1")))
    return [summary, fields]
