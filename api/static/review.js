// billflow review page: the needs_review queue, the page with OCR line and field boxes, fields
// and line item cells editable in place (a spurious row deleted, a missing one added). Every call
// goes through the API with the bearer token kept in localStorage.
"use strict";

const TOKEN_KEY = "billflow.token";
const NAME_KEY = "billflow.reviewer";
const SVG = "http://www.w3.org/2000/svg";
const ITEM_CELLS = ["name", "specification", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax"];
const $ = (selector) => document.querySelector(selector);

const state = { queue: [], doc: null, page: 1, imageUrl: null };

class Unauthorized extends Error {}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// --- API -------------------------------------------------------------------------------------

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) || ""}` };
  const name = localStorage.getItem(NAME_KEY);
  if (name) headers["X-Reviewer"] = name;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    signIn("The token was refused: sign in again.");
    throw new Unauthorized();
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(typeof problem.detail === "string" ? problem.detail : `${response.status} ${response.statusText}`);
  }
  return response;
}

const getJson = async (path) => (await call("GET", path)).json();

// --- sign in ---------------------------------------------------------------------------------

function takeTokenFromUrl() {
  const url = new URL(location.href);
  for (const [param, key] of [["token", TOKEN_KEY], ["reviewer", NAME_KEY]]) {
    if (url.searchParams.has(param)) {
      localStorage.setItem(key, url.searchParams.get(param));
      url.searchParams.delete(param);
    }
  }
  history.replaceState(null, "", url);
}

function signIn(message = "") {
  $("#login-error").textContent = message;
  $("#login-name").value = localStorage.getItem(NAME_KEY) || "";
  if (!$("#login").open) $("#login").showModal();
}

$("#login-form").addEventListener("submit", () => {
  localStorage.setItem(TOKEN_KEY, $("#login-token").value.trim());
  localStorage.setItem(NAME_KEY, $("#login-name").value.trim());
  start();
});

$("#logout").addEventListener("click", () => {
  localStorage.removeItem(TOKEN_KEY);
  signIn();
});

// --- queue -----------------------------------------------------------------------------------

async function loadQueue() {
  const page = await getJson("/documents?status=needs_review&limit=500");
  state.queue = page.items;
  $("#queue-count").textContent = `${page.total} to review`;
  $("#queue-empty").hidden = page.total > 0;
  $("#queue").replaceChildren(...state.queue.map(queueItem));
  markCurrent();
}

function queueItem(d) {
  const item = el("li", {}, el("button", { type: "button", onclick: () => openDocument(d.id) },
    el("strong", {}, `#${d.id} `), d.name,
    el("small", {}, `${d.doc_type || "unknown type"} · ${d.review_reasons.length} reason(s)`)));
  item.dataset.id = d.id;
  return item;
}

function markCurrent() {
  for (const item of $("#queue").children) {
    item.classList.toggle("current", state.doc !== null && Number(item.dataset.id) === state.doc.id);
  }
}

function neighbour(step) {
  const ids = state.queue.map((d) => d.id);
  const at = state.doc ? ids.indexOf(state.doc.id) : -1;
  if (at < 0) return ids.find((id) => !state.doc || id > state.doc.id) ?? ids[0];
  return ids[at + step];
}

async function openNext(step = 1) {
  const id = neighbour(step);
  if (id === undefined) showDocument(null);
  else await openDocument(id);
}

// --- document --------------------------------------------------------------------------------

async function openDocument(id) {
  state.page = 1;
  try {
    await showDocument(await getJson(`/documents/${id}`));
  } catch (error) {
    if (!(error instanceof Unauthorized)) $("#notice").textContent = error.message;
  }
}

function showDocument(doc) {
  state.doc = doc;
  markCurrent();
  $("#notice").textContent = "";
  $("#doc-title").textContent = doc ? `#${doc.id} ${doc.name}` : "No document";
  $("#doc-meta").textContent = doc ? `${doc.template || doc.doc_type || "no template"} · ${doc.status}` : "";
  $("#reasons").replaceChildren(...(doc ? doc.review_reasons : []).map((r) => el("li", {}, r)));
  renderFields();
  renderItems();
  renderPageTabs();
  return doc ? showPage(state.page) : clearPage();
}

function flagged(name) {
  return state.doc.review_reasons.some((r) => r.startsWith(`${name}: `) || r === `required field ${name} not found`);
}

function renderFields() {
  const rows = [];
  if (state.doc) {
    for (const f of state.doc.fields) rows.push(fieldRow(f.name, f.value || "", f));
    for (const name of state.doc.missing_fields) rows.push(fieldRow(name, "", null));
  }
  $("#fields tbody").replaceChildren(...rows);
}

function fieldRow(name, value, field) {
  const input = el("input", { value, name, placeholder: field ? "" : "not found: type the value",
    title: field && field.raw_text ? `OCR read: ${field.raw_text}` : "" });
  input.dataset.stored = value;
  input.addEventListener("keydown", (event) => onFieldKey(event, input));
  input.addEventListener("focus", () => highlight(name, field));
  const confidence = field && field.confidence !== null ? field.confidence.toFixed(2) : "";
  const violations = field ? field.violations : ["required, not found"];
  const row = el("tr", { className: violations.length ? "invalid" : flagged(name) ? "flagged" : "" },
    el("th", { scope: "row" }, name),
    el("td", {}, input, ...violations.map((v) => el("div", { className: "violation" }, v))),
    el("td", { className: "confidence" }, confidence));
  row.dataset.field = name;
  return row;
}

// The line items, each cell editable as a field is (Enter saves it; an emptied cell is cleared):
// each row's confidence (first: the table may scroll sideways), a button deleting a spurious row,
// and below them an empty row to type a missing one into (Enter adds it as the last). A row a
// review reason names (below the done confidence, or a rule objecting) is flagged as a field is.
function renderItems() {
  const items = state.doc ? state.doc.line_items : [];
  $("#items-box").hidden = items.length === 0;
  $("#items thead tr").replaceChildren(
    ...["row", "conf.", ...ITEM_CELLS, ""].map((name) => el("th", { scope: "col" }, name.replace("_", " "))));
  $("#items tbody").replaceChildren(...items.map(itemRow));
  const added = ITEM_CELLS.map((cell) => itemInput(cell, "", "new"));
  $("#items tfoot").replaceChildren(el("tr", { className: "new" }, el("th", { scope: "row" }, "+"), el("td"),
    ...added.map((input) => el("td", { className: input.name }, input)), el("td")));
}

function itemRow(item) {
  const remove = el("button", { type: "button", className: "remove", textContent: "×",
    title: `Delete line item ${item.row} (a row the table should not have)`, onclick: () => deleteItem(item.row) });
  const row = el("tr", { className: flagged(`line item ${item.row}`) ? "flagged" : "" },
    el("th", { scope: "row" }, String(item.row)),
    el("td", { className: "confidence" }, item.confidence.toFixed(2)),
    ...ITEM_CELLS.map((cell) => el("td", { className: cell }, itemInput(cell, item[cell] ?? "", item.row))),
    el("td", {}, remove));
  row.dataset.row = item.row;
  return row;
}

function itemInput(cell, value, row) {
  const input = el("input", { value, name: cell, size: Math.max(cell === "name" ? 12 : 5, value.length + 1),
    placeholder: row === "new" ? cell.replace("_", " ") : "" });
  input.dataset.stored = value;
  input.dataset.row = row;
  input.addEventListener("keydown", (event) => onFieldKey(event, input));
  return input;
}

function deleteItem(row) {
  saveAndAdvance([], async () => {
    state.doc = await (await call("DELETE", `/documents/${state.doc.id}/items/${row}`)).json();
  });
}

function onFieldKey(event, input) {
  if (event.key === "Enter" && !event.ctrlKey) {
    event.preventDefault();
    saveAndAdvance(input.dataset.row === "new" ? edited("#items tfoot input") : [input]);
  } else if (event.key === "Escape") {
    input.value = input.dataset.stored;
  }
}

// Fields first, then each line item's cells in one request (the new row's added after the last).
async function save(inputs) {
  const rows = new Map();
  for (const input of inputs) {
    if (input.dataset.row) {
      rows.set(input.dataset.row, { ...rows.get(input.dataset.row), [input.name]: input.value });
      continue;
    }
    if (!input.value.trim()) continue;
    const path = `/documents/${state.doc.id}/fields/${encodeURIComponent(input.name)}`;
    state.doc = await (await call("PATCH", path, { value: input.value })).json();
  }
  for (const [row, cells] of rows) {
    const [method, path] = row === "new" ? ["POST", `/documents/${state.doc.id}/items`]
      : ["PATCH", `/documents/${state.doc.id}/items/${row}`];
    state.doc = await (await call(method, path, { cells })).json();
  }
}

// The inputs ``selector`` finds whose value was changed (typed into, for the new row).
function edited(selector) {
  return [...document.querySelectorAll(selector)].filter((i) => i.value !== i.dataset.stored);
}

// Save ``inputs``, then ``then()`` (another act on the document); stay on it while it needs review.
async function saveAndAdvance(inputs, then = async () => {}) {
  const id = state.doc.id;
  let problem = null;
  try {
    await save(inputs);
    await then();
  } catch (error) {
    if (error instanceof Unauthorized) return;
    problem = error.message;
  }
  await loadQueue();
  const status = state.doc.status;
  if (status === "needs_review") {
    await showDocument(state.doc);
    $("#notice").textContent = problem || (inputs.length > 1 ? "Still needs review: see the reasons above." : "Saved.");
    return;
  }
  await openNext();
  $("#notice").textContent = `#${id} is ${status}: it left the queue.`;
}

function accept() {
  if (!state.doc) return;
  const inputs = [...document.querySelectorAll("#fields input")];
  saveAndAdvance([...inputs.filter((i) => i.value !== i.dataset.stored || flagged(i.name)), ...edited("#items input")]);
}

// Every value shown is right (edited ones saved first): the document is done and its layout remembered.
function confirmAll() {
  if (!state.doc) return;
  saveAndAdvance([...edited("#fields input"), ...edited("#items input")], async () => {
    state.doc = await (await call("POST", `/documents/${state.doc.id}/confirm`)).json();
  });
}

// --- page image and boxes --------------------------------------------------------------------

function renderPageTabs() {
  const pages = state.doc ? state.doc.pages : [];
  $("#pages").replaceChildren(...(pages.length > 1 ? pages : []).map((p) =>
    el("button", { type: "button", role: "tab", textContent: `page ${p.number}`, onclick: () => showPage(p.number) })));
}

function clearPage() {
  $("#page-image").removeAttribute("src");
  $("#overlay").replaceChildren();
}

async function showPage(number) {
  const doc = state.doc;
  const page = doc.pages.find((p) => p.number === number);
  if (!page) return clearPage();
  state.page = number;
  const [image, lines] = await Promise.all([
    call("GET", `/documents/${doc.id}/pages/${number}`).then((r) => r.blob()),
    getJson(`/documents/${doc.id}/pages/${number}/lines`),
  ]);
  if (state.doc !== doc) return;
  if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
  state.imageUrl = URL.createObjectURL(image);
  $("#page-image").src = state.imageUrl;
  drawBoxes(page, lines);
}

function drawBoxes(page, lines) {
  const svg = $("#overlay");
  svg.setAttribute("viewBox", `0 0 ${page.width} ${page.height}`);
  const shapes = lines.map((line) => svgShape("polygon", {
    class: "line", points: line.polygon.map((p) => p.join(",")).join(" ") }, `${line.text} (${line.score.toFixed(2)})`));
  for (const f of state.doc.fields) {
    if (f.page !== page.number || !f.bbox || f.bbox.length !== 4) continue;
    const [x0, y0, x1, y1] = f.bbox;
    const rect = svgShape("rect", { class: `field ${f.valid ? "valid" : "invalid"}`, x: x0, y: y0,
      width: Math.max(x1 - x0, 1), height: Math.max(y1 - y0, 1), "data-field": f.name }, `${f.name}: ${f.value}`);
    rect.addEventListener("click", () => document.querySelector(`#fields input[name="${CSS.escape(f.name)}"]`)?.focus());
    shapes.push(rect);
  }
  svg.replaceChildren(...shapes);
  applyLayers();
}

function svgShape(tag, attributes, title) {
  const shape = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) shape.setAttribute(key, value);
  const tip = document.createElementNS(SVG, "title");
  tip.textContent = title;
  shape.append(tip);
  return shape;
}

function highlight(name, field) {
  if (field && field.page && field.page !== state.page) showPage(field.page);
  for (const rect of document.querySelectorAll("#overlay rect")) {
    rect.classList.toggle("focus", rect.dataset.field === name);
  }
}

function applyLayers() {
  $("#overlay").classList.toggle("hide-lines", !$("#show-lines").checked);
  $("#overlay").classList.toggle("hide-fields", !$("#show-fields").checked);
}

// --- keys and start --------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if ($("#login").open) return;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    accept();
  } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    event.preventDefault();
    openNext(event.key === "ArrowDown" ? 1 : -1);
  }
});

$("#accept").addEventListener("click", accept);
$("#confirm").addEventListener("click", confirmAll);
$("#skip").addEventListener("click", () => openNext(1));
$("#show-lines").addEventListener("change", applyLayers);
$("#show-fields").addEventListener("change", applyLayers);

async function start() {
  $("#who").textContent = localStorage.getItem(NAME_KEY) || "";
  if (!localStorage.getItem(TOKEN_KEY)) return signIn();
  try {
    await loadQueue();
    await openNext();
  } catch (error) {
    if (!(error instanceof Unauthorized)) $("#notice").textContent = error.message;
  }
}

takeTokenFromUrl();
start();
