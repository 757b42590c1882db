"""The checked text as one offline HTML page: each claim marked with its verdict; its query,
evidence and citations on hover (and on focus, for the keyboard). No script, no network."""
from __future__ import annotations

import html
import json
from pathlib import Path

CSS = """
body{font:16px/1.6 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}
h1{font:600 1.3em system-ui,sans-serif} .meta{font:13px system-ui,sans-serif;color:#555}
mark.claim{position:relative;border-radius:3px;padding:0 2px;cursor:help;outline:none}
mark.claim .tip{display:none;position:absolute;left:0;top:1.6em;z-index:9;width:32em;max-width:80vw;background:#fff;
  border:1px solid #999;box-shadow:0 2px 8px rgba(0,0,0,.2);padding:.6em;font:12px/1.4 system-ui,sans-serif;white-space:normal;color:#222}
mark.claim:hover .tip, mark.claim:focus .tip{display:block}
.tip pre{white-space:pre-wrap;font-size:11px;margin:.3em 0;max-height:14em;overflow:auto}
.v-supported{background:#c8e6c9} .v-contradicted{background:#ffcdd2} .v-not-checkable{background:#e0e0e0}
.legend span{padding:0 .4em;margin-right:.6em;border-radius:3px} table{border-collapse:collapse;font:13px system-ui,sans-serif}
td,th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left}
"""


def _tip(c) -> str:
    ch = c.check or {}
    v = ch.get("verdict", "not checked")
    parts = [f"<b>{html.escape(v)}</b> — {html.escape(c.kind)}: “{html.escape(c.text)}”",
             f"<div>{html.escape(ch.get('reason', ''))}</div>",
             f"<div><i>query</i><pre>{html.escape(json.dumps(ch.get('query', {}), default=str, ensure_ascii=False, indent=1))}</pre></div>"]
    if ch.get("evidence"):
        parts.append(f"<div><i>evidence</i><pre>{html.escape(json.dumps(ch['evidence'][:6], default=str, ensure_ascii=False, indent=1))}</pre></div>")
    if ch.get("citations"):
        parts.append("<div><i>sources</i>: " + "; ".join(html.escape(str(x)) for x in ch["citations"]) + "</div>")
    return "".join(parts)


def document_html(doc) -> str:
    """The document's text as HTML with each claim marked by its verdict."""
    text = doc.text
    claims = sorted(doc.claims, key=lambda c: (c.start, -c.end))
    out, pos = [], 0
    for c in claims:
        if c.start < pos:          # overlapping claims: the second is marked on its own, after the first
            continue
        v = (c.check or {}).get("verdict")
        cls = "v-" + (v or "none").replace(" ", "-")
        out.append(html.escape(text[pos:c.start]))
        out.append(f'<mark class="claim {cls}" tabindex="0" data-claim="{c.id}" data-verdict="{html.escape(v or "")}">'
                   f'{html.escape(text[c.start:c.end])}<span class="tip">{_tip(c)}</span></mark>')
        pos = c.end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n\n", "</p><p>")
    n = {k: sum(1 for c in doc.claims if (c.check or {}).get("verdict") == k) for k in ("supported", "contradicted", "not checkable")}
    rows = "".join(f"<tr><td>{e.date or ''}</td><td>{e.source}</td><td>{e.cameo_code} {html.escape(e.plover)}</td><td>{e.target}</td>"
                   f"<td>{html.escape(e.verb)}</td></tr>" for e in doc.events)
    return (f"<section class='doc'><h1>{html.escape(doc.title or doc.path or 'text')}</h1>"
            f"<p class='meta'>date: {doc.date or 'none given'} · {len(doc.claims)} claims: {n['supported']} supported, "
            f"{n['contradicted']} contradicted, {n['not checkable']} not checkable · {len(doc.events)} events · "
            f"unmatched names: {html.escape(', '.join(u['text'] for u in doc.unmatched) or 'none')}</p>"
            f"<p>{body}</p>"
            f"<details><summary class='meta'>events (CAMEO root, PLOVER)</summary><table><tr><th>date</th><th>source</th>"
            f"<th>event</th><th>target</th><th>verb</th></tr>{rows}</table></details></section>")


def write_html(docs, out: str | Path) -> Path:
    """Write the documents ``docs`` with their marked claims as one HTML page to ``out``."""
    out = Path(out)
    legend = ("<p class='legend meta'><span class='v-supported'>supported</span><span class='v-contradicted'>contradicted</span>"
              "<span class='v-not-checkable'>not checkable</span> — hover or focus a marked claim for its query, evidence and sources</p>")
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>multipolar check</title><style>{CSS}</style></head>"
            f"<body>{legend}{''.join(document_html(d) for d in docs)}</body></html>")
    out.write_text(page, encoding="utf-8")
    return out
