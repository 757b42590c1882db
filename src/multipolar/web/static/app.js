// multipolar dashboard: each page fetches its data from the JSON API and draws it with plotly.js.
"use strict";
// the colours of multipolar.palette (the report draws with the same), written into the page by base.html.j2
const PALETTE = JSON.parse(document.getElementById("palette").textContent);
const TYPE_COLOURS = PALETTE.types, BLOC_COLOURS = PALETTE.blocs;
const CONFIG = {displaylogo: false, responsive: true};

function showError(msg) { const el = document.getElementById("error"); el.textContent = msg; el.hidden = false; }
let pending = 0;
async function api(url) {
  // the first request after the server starts reads the warehouse: say so when an answer is slow
  pending += 1;
  const slow = setTimeout(() => { const el = document.getElementById("status");
    if (el && pending) { el.textContent = "Reading the data: the first request after the dashboard starts reads the warehouse (up to a minute)…"; el.hidden = false; } }, 800);
  try {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) { throw new Error(body.detail || r.statusText); }
    return body;
  } finally {
    clearTimeout(slow);
    pending -= 1;
    const el = document.getElementById("status");
    if (el && !pending) { el.hidden = true; }
  }
}
function fmt(v, d = 2) { return (v === null || v === undefined) ? "–" : (typeof v === "number" ? v.toFixed(d) : String(v)); }
function esc(s) { return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c])); }
function table(el, cols, rows) {
  el.innerHTML = "<tr>" + cols.map(c => `<th>${esc(c[0])}</th>`).join("") + "</tr>" +
    rows.map(r => "<tr>" + cols.map(c => `<td>${c[1](r)}</td>`).join("") + "</tr>").join("");
}
// -- charts: titles wrapped to the chart's width, axes that make room for their labels, the source
// as a line of HTML under the chart (it wraps like any text), redrawn when the window changes size
const TITLE_FONT = 14, FONT = "system-ui, sans-serif";
let measureCtx = null;
function textWidth(text, size) {
  measureCtx = measureCtx || document.createElement("canvas").getContext("2d");
  measureCtx.font = `${size}px ${FONT}`;
  return measureCtx.measureText(text).width;
}
function wrap(text, width, size) {
  // greedy: as many words per line as fit in `width` pixels; plotly breaks lines at <br>
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/)) {
    const next = line ? line + " " + word : word;
    if (line && textWidth(next, size) > width) { lines.push(line); line = word; } else { line = next; }
  }
  if (line) lines.push(line);
  return lines;
}
function layout(el, title, extra) {
  extra = extra || {};
  const width = el.clientWidth || 800;
  const lines = wrap(title, width - 40, TITLE_FONT);
  const legendOnTop = extra.legend && extra.legend.orientation === "h";
  const top = 16 + (lines.length - 1) * 8 + lines.length * (TITLE_FONT + 6) + (legendOnTop ? 34 : 12);
  const axis = a => Object.assign({automargin: true}, a || {});
  const out = Object.assign({
    title: {text: lines.join("<br>"), x: 0, xref: "container", xanchor: "left", yref: "container", y: 1, yanchor: "top",
            pad: {t: 10 + (lines.length - 1) * 8, l: 12}, font: {size: TITLE_FONT}},
    margin: {t: top, b: 50, l: 60, r: 20, pad: 2}, paper_bgcolor: "white", plot_bgcolor: "white",
    font: {family: FONT, size: 12}}, extra);
  out.margin = Object.assign({t: top, b: 50, l: 60, r: 20, pad: 2}, extra.margin || {});
  out.xaxis = axis(extra.xaxis);
  out.yaxis = axis(extra.yaxis);
  if (legendOnTop) out.legend = Object.assign({x: 0, xanchor: "left", y: 1, yanchor: "bottom"}, extra.legend);
  return out;
}
function caption(el, text) {
  let p = document.getElementById(el.id + "-source");
  if (!p) { p = document.createElement("p"); p.className = "src"; p.id = el.id + "-source"; el.insertAdjacentElement("afterend", p); }
  p.textContent = "Source: " + text;
}
async function chart(id, traces, title, extra, src) {
  const el = typeof id === "string" ? document.getElementById(id) : id;
  el.dataset.title = title;
  el.plotExtra = extra;
  await Plotly.react(el, traces, layout(el, title, extra), CONFIG);
  if (src) caption(el, src);
  return el;
}
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const el of document.querySelectorAll(".js-plotly-plot[data-title]")) {
      const l = layout(el, el.dataset.title, el.plotExtra);
      Plotly.relayout(el, {"title.text": l.title.text, "margin.t": l.margin.t});
    }
  }, 150);
});

async function geoAssets() {
  if (window.PlotlyGeoAssets && window.PlotlyGeoAssets.topojson && window.PlotlyGeoAssets.topojson.world_110m) return;
  const topo = await api("/static/world_110m.json");
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  window.PlotlyGeoAssets.topojson.world_110m = topo;
}

const pages = {
  async home() {
    // today's states (the registry's, no data needed: the list is there before the data are read)
    const states = await api(`/api/states?year=${new Date().getFullYear()}`);
    document.getElementById("state-list").innerHTML = states.map(s => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("");
    document.getElementById("state-form").addEventListener("submit", ev => {
      ev.preventDefault();
      const v = document.getElementById("state-input").value.trim();
      if (v) window.location.href = "/state/" + encodeURIComponent(v);
    });
  },

  async state() {
    const code = document.body.dataset.code;
    const d = await api(`/api/state/${encodeURIComponent(code)}`);
    const p = d.partners.slice().reverse();
    const top = d.partners.slice(0, 3).map(x => x.name).join(", ");
    const finding = `In ${d.year}, ${d.name}'s closest partners are ${top}.`;
    document.getElementById("state-finding").textContent = finding;
    await chart("chart-partners", [{type: "bar", orientation: "h", x: p.map(r => r.closeness), y: p.map(r => r.name),
      marker: {color: p.map(r => TYPE_COLOURS[r.relation_type] || "#999")},
      text: p.map(r => r.relation_type), textposition: "inside", insidetextanchor: "end",
      hovertext: p.map(r => `${r.name}: ${r.relation_type}, closeness ${fmt(r.closeness)}`), hoverinfo: "text"}],
      finding, {height: 520, xaxis: {title: {text: "closeness (−1 hostile … 1 close)"}}},
      "multipolar closeness and relation types (UN votes, alliances, groupings, trade, visas, conflicts)");
    if (d.blocs.length) {
      const order = ["China-leaning", "nonaligned", "US-leaning"];
      await chart("chart-blocs", [{type: "scatter", mode: "markers", x: d.blocs.map(r => r.year), y: d.blocs.map(r => r.bloc),
        marker: {size: d.blocs.map(r => 4 + 10 * r.probability), color: d.blocs.map(r => BLOC_COLOURS[r.bloc])},
        hovertext: d.blocs.map(r => `${r.year}: ${r.bloc} (${fmt(r.probability)})`), hoverinfo: "text"}],
        `${d.name}'s bloc by year (marker size: probability)`, {height: 300, yaxis: {categoryorder: "array", categoryarray: order},
          xaxis: {title: {text: "year"}}}, "UN votes; multipolar ideal points; IMF split");
    } else {
      document.getElementById("chart-blocs").innerHTML = "<p class='missing'>No ideal-point blocs for this state.</p>";
    }
    table(document.getElementById("partners-table"), [
      ["partner", r => `<a href="/dyad/${esc(d.code)}/${esc(r.code_b)}">${esc(r.name)}</a>`], ["type", r => esc(r.relation_type)],
      ["closeness", r => fmt(r.closeness)], [`${d.code} depends on it`, r => fmt(r.dependence_a_on_b)],
      [`it depends on ${d.code}`, r => fmt(r.dependence_b_on_a)], ["energy & minerals exports (k$)", r => fmt(r.energy_minerals_exports_a_to_b_kusd, 0)],
      ["energy & minerals imports (k$)", r => fmt(r.energy_minerals_exports_b_to_a_kusd, 0)]], d.partners);
  },

  async dyad() {
    const {a, b} = document.body.dataset;
    const d = await api(`/api/dyad/${encodeURIComponent(a)}/${encodeURIComponent(b)}`);
    const rows = d.rows, yrs = rows.map(r => r.year);
    const last = rows.filter(r => r.closeness !== null).slice(-1)[0];
    const finding = last ? `In ${last.year}, ${d.name_a} and ${d.name_b} are ${last.relation_type ? "in a relation of type " + last.relation_type : "unclassified"}, closeness ${fmt(last.closeness)} over ${last.closeness_n_dims} of 5 dimensions.` : "No year has data.";
    document.getElementById("dyad-finding").textContent = finding;
    const dims = ["values", "people", "economy", "institutions", "interaction"].map(n => [`score_${n}`, n, PALETTE.dimensions[n]]);
    const traces = [{x: yrs.concat(yrs.slice().reverse()), y: rows.map(r => r.closeness_hi).concat(rows.map(r => r.closeness_lo).reverse()),
      fill: "toself", fillcolor: "rgba(0,0,0,0.08)", line: {width: 0}, name: "closeness 90% interval", hoverinfo: "skip"},
      {x: yrs, y: rows.map(r => r.closeness), name: "closeness", line: {color: "#000", width: 3}}];
    dims.forEach(([k, n, c]) => traces.push({x: yrs, y: rows.map(r => r[k]), name: n, line: {color: c, width: 1.5}}));
    await chart("chart-dims", traces, finding, {height: 460, xaxis: {title: {text: "year"}}, yaxis: {title: {text: "score (−1 … 1)"}}},
      "multipolar component scores and closeness (see multipolar.relations)");
    await chart("chart-dep", [{x: yrs, y: rows.map(r => r.dependence_a_on_b), name: `${d.a} depends on ${d.b}`},
      {x: yrs, y: rows.map(r => r.dependence_b_on_a), name: `${d.b} depends on ${d.a}`}],
      `Dependence both ways (index 0–1)`, {height: 340, xaxis: {title: {text: "year"}}, yaxis: {title: {text: "dependence (share, 0–1)"}}},
      "BACI energy and minerals trade, energy imports, SIPRI arms transfers");
    // the event series behind the interaction score: which years and sources, and the volume caveat
    document.getElementById("dyad-notes").innerHTML = (d.notes || []).map(n => `<p class="note">${esc(n)}</p>`).join("");
    const changes = rows.filter((r, i) => i === 0 || r.relation_type !== rows[i - 1].relation_type);
    table(document.getElementById("types-table"), [["year", r => r.year], ["type", r => esc(r.relation_type || "–")],
      ["evidence", r => esc(r.relation_evidence || "–")]], changes);
  },

  async blocs() {
    const years = document.body.dataset.years.split(",").filter(x => x).map(Number);
    if (!years.length) return;
    await geoAssets();
    const slider = document.getElementById("year-slider");
    async function draw() {
      const y = years[Number(slider.value)];
      document.getElementById("year-label").textContent = y;
      const d = await api(`/api/blocs/${y}`);
      const traces = Object.entries(BLOC_COLOURS).map(([bloc, colour]) => {
        const s = d.states.filter(r => r.bloc === bloc);
        return {type: "choropleth", locationmode: "ISO-3", locations: s.map(r => r.code), z: s.map(() => 1),
          colorscale: [[0, colour], [1, colour]], showscale: false, name: `${bloc} (${s.length})`, showlegend: true,
          marker: {opacity: s.map(r => r.swing ? 0.45 : 1), line: {color: s.map(r => r.swing ? "#000" : "#fff"), width: s.map(r => r.swing ? 1.2 : 0.4)}},
          text: s.map(r => `${r.name}: ${bloc}, probability ${fmt(r.probability)}`), hoverinfo: "text"};
      });
      const c = d.counts;
      const finding = `In ${y}, ${c["China-leaning"] || 0} states lean to China, ${c["US-leaning"] || 0} to the United States, ${c["nonaligned"] || 0} are nonaligned.`;
      document.getElementById("bloc-counts").textContent = finding;
      const el = document.getElementById("chart-map");
      el.dataset.year = y;
      await chart(el, traces, finding, {height: 520, legend: {orientation: "h"}, margin: {b: 10, l: 10, r: 10},
        geo: {projection: {type: "natural earth"}, showland: true, landcolor: PALETTE.land, showcountries: false, showcoastlines: false,
          showocean: false, showframe: false, lataxis: {range: [-58, 85]}}});
    }
    async function robust() {
      const y = years[Number(slider.value)];
      const box = document.getElementById("robust-finding");
      if (!box) return;
      box.textContent = `Recomputing the ${y} split under each issue area and window…`;
      box.className = "finding";
      let r;
      try { r = await api(`/api/blocs/${y}/robustness`); }
      catch (e) { box.textContent = `No robustness view: ${e.message}`; box.className = "missing"; return; }
      if (r.missing) { box.textContent = `No robustness view: ${r.missing}`; box.className = "missing"; return; }
      if (years[Number(slider.value)] !== y) return;          // the slider moved on meanwhile
      const s = r.summary;
      box.textContent = `In ${y}, ${s.depends_on_votes} of ${s.states} states have a bloc that depends on the votes counted ` +
        `(the baseline bloc in fewer than 3 of 4 of the ${s.variants} variants with an estimate); ${s.changing_states} change bloc in at least one. ` +
        `The values process F ranges ${fmt(s.values_F_min)}–${fmt(s.values_F_max)} (every vote: ${fmt(s.values_F)}).`;
      table(document.getElementById("robust-variants"), [["variant", v => esc(v.variant)], ["roll calls", v => v.roll_calls],
        ["US-leaning", v => fmt(v["n_US-leaning"], 0)], ["nonaligned", v => fmt(v.n_nonaligned, 0)], ["China-leaning", v => fmt(v["n_China-leaning"], 0)],
        ["values F", v => fmt(v.values_F)], ["note", v => esc(v.note || "")]], r.variants);
      table(document.getElementById("robust-states"), [["state", v => (v.depends_on_votes ? "⚠ " : "") + esc(v.name) + ` (${esc(v.code)})`],
        ["bloc (every vote)", v => esc(v.bloc)], ["p", v => fmt(v.probability)], ["elsewhere in", v => `${v.n_changes} of ${v.n_variants}`],
        ["blocs seen", v => esc(v.blocs_seen)]], r.states.filter(v => v.n_changes > 0));
    }
    slider.addEventListener("input", () => draw().catch(e => showError(e.message)));
    slider.addEventListener("change", () => robust().catch(e => showError(e.message)));
    await draw();
    await robust();
  },

  async triangle() {
    const states = await api("/api/states");
    const sel = ["tri-a", "tri-b", "tri-c"].map(id => document.getElementById(id));
    const opts = states.map(s => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("");
    sel.forEach((s, i) => { s.innerHTML = opts; s.value = ["USA", "RUS", "CHN"][i]; });
    async function draw() {
      const q = sel.map(s => s.value).join(",");
      const d = await api(`/api/triangle?states=${encodeURIComponent(q)}`);
      const [a, b, c] = d.states, cur = d.current;
      // the named state's role (the types with a neutral link name a third state too: multipolar.structure.triangles)
      const role = {"romantic triangle": "pivot", "stable marriage": "pariah", "common friend": "common friend",
                    "common adversary": "common adversary", "friend and foe": "friend of one and foe of the other",
                    "friendly pair": "third, neutral to both", "hostile pair": "third, neutral to both"}[cur.type] || "third";
      const finding = `In ${cur.year} the ${a}–${b}–${c} triangle is a ${cur.type}` + (cur.pivot_or_pariah ? ` with ${cur.pivot_or_pariah} as the ${role}` : "") + ".";
      const out = document.getElementById("triangle-type");
      out.textContent = finding; out.dataset.type = cur.type;
      const yrs = d.rows.map(r => r.year);
      await chart("chart-triangle", [
        {x: yrs, y: d.rows.map(r => r.closeness_ab), name: `${a}-${b}`}, {x: yrs, y: d.rows.map(r => r.closeness_ac), name: `${a}-${c}`},
        {x: yrs, y: d.rows.map(r => r.closeness_bc), name: `${b}-${c}`}],
        finding, {height: 420, xaxis: {title: {text: "year"}}, yaxis: {title: {text: "closeness (−1 … 1)"}}},
        "multipolar relation types and closeness (−1 hostile … 1 close); Dittmer (1981) typology");
      table(document.getElementById("changes-table"), [["year", r => r.year], ["type", r => esc(r.type)],
        ["pivot or pariah", r => esc(r.pivot_or_pariah || "–")], ["relations", r => esc(r.relations)]], d.rows.filter(r => r.changed));
    }
    document.getElementById("tri-form").addEventListener("submit", ev => { ev.preventDefault(); draw().catch(e => showError(e.message)); });
    await draw();
  },

  async scenarios() {
    const sel = document.getElementById("scenario-select");
    if (!sel) return;
    async function draw() {
      const d = await api(`/api/scenarios/${encodeURIComponent(sel.value)}`);
      const r = d.results.filter(x => x.change_real_income_FULL !== null).sort((a, b) => a.change_real_income_FULL - b.change_real_income_FULL);
      const show = r.slice(0, 8).concat(r.slice(-8));
      const lose = r[0], gain = r[r.length - 1];
      const finding = `Under “${d.run.name}”, ${lose.country} loses most (${fmt(lose.change_real_income_FULL, 1)}% real income from that trade) and ${gain.country} gains most (${fmt(gain.change_real_income_FULL, 1)}%).`;
      document.getElementById("scenario-finding").textContent = finding;
      await chart("chart-scenario", [{type: "bar", orientation: "h", x: show.map(x => x.change_real_income_FULL), y: show.map(x => x.country),
        error_x: {type: "data", symmetric: false, array: show.map(x => x.real_income_q95 === null ? 0 : x.real_income_q95 - x.change_real_income_FULL),
          arrayminus: show.map(x => x.real_income_q05 === null ? 0 : x.change_real_income_FULL - x.real_income_q05)},
        marker: {color: show.map(x => x.change_real_income_FULL < 0 ? PALETTE.loss : PALETTE.gain)}}],
        finding, {height: 520, xaxis: {title: {text: "change in real income from the sector's trade (%)"}}},
        "BACI, CEPII GeoDist, multipolar dyad measures; PPML and the multipolar GE solver");
      table(document.getElementById("diversion-table"), [["exporter", x => esc(x.exporter)], ["importer", x => esc(x.importer)],
        ["baseline (k$)", x => fmt(x.baseline, 0)], ["scenario (k$)", x => fmt(x.counterfactual, 0)], ["change (%)", x => fmt(x.change_pct, 1)]], d.diversion);
    }
    sel.addEventListener("change", () => draw().catch(e => showError(e.message)));
    await draw();
  },

  async data() {},
};

async function footer() {
  const f = document.getElementById("footer");
  if (!f || !f.dataset.pending) return;
  const m = await api("/api/meta");
  document.getElementById("basis").textContent = m.basis;
  document.getElementById("latest").textContent = m.latest_year;
  delete f.dataset.pending;
}

document.addEventListener("DOMContentLoaded", () => {
  const fn = pages[document.body.dataset.page];
  if (fn) fn().catch(e => showError(e.message));
  footer().catch(() => {});
});
