// Text that does not fit: run in the page by tests/test_web.py (test_no_label_is_clipped); returns what is cut, and where.
() => {
  const out = [];
  const desc = el => (el.id ? "#" + el.id : el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""));
  const path = el => { const p = []; for (let e = el; e && e !== document.body && p.length < 4; e = e.parentElement) p.unshift(desc(e)); return p.join(" > "); };
  const px = v => Math.round(v);
  // 1. the page itself must not scroll sideways
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) out.push({what: "page wider than the window", where: "html", by: de.scrollWidth - de.clientWidth});
  // 2. HTML elements whose content is wider than their box (plotly's own SVG layers are checked below)
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") || el.closest(".modebar-container")) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || el.clientWidth === 0) continue;
    if (["SCRIPT", "STYLE", "BR", "OPTION"].includes(el.tagName)) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      out.push({what: "content wider than its box", where: path(el), by: el.scrollWidth - el.clientWidth, text: (el.textContent || "").slice(0, 60)});
  }
  // 3. plotly: every text inside the chart's SVG; tick labels and axis titles outside the plot area;
  //    text drawn in the plot area (bar labels) inside it (plotly clips it there)
  const inside = (r, b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
  const overlap = (r, b) => !(r.right <= b.left + 0.5 || r.left >= b.right - 0.5 || r.bottom <= b.top + 0.5 || r.top >= b.bottom - 0.5);
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    const svg = plot.querySelector("svg.main-svg");
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const bg = plot.querySelector(".draglayer .nsewdrag");
    const area = bg ? bg.getBoundingClientRect() : null;
    const name = "#" + plot.id;
    for (const t of plot.querySelectorAll("svg.main-svg text")) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      const cls = (t.getAttribute("class") || "") + " in " + (t.closest("g[class]") ? t.closest("g[class]").getAttribute("class") : "");
      if (!inside(r, box))
        out.push({what: "text cut by the chart's edge", where: name + " " + cls, text: t.textContent.slice(0, 60),
                  by: px(Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom))});
      if (!area) continue;
      const tick = t.closest(".xtick, .ytick"), title = t.closest(".g-xtitle, .g-ytitle, .g-gtitle, .legend, .annotation");
      if ((tick || title) && overlap(r, area))
        out.push({what: "label over the plot area", where: name + " " + cls, text: t.textContent.slice(0, 60)});
      if (t.closest(".trace") && !inside(r, area))
        out.push({what: "data label cut by the plot area", where: name + " " + cls, text: t.textContent.slice(0, 60)});
    }
    // titles, legend and axis titles must not overlap one another
    const blocks = [...plot.querySelectorAll(".g-gtitle text, .legend .bg, .g-xtitle text, .g-ytitle text")].map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 0);
    for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++)
      if (overlap(blocks[i][1], blocks[j][1]))
        out.push({what: "labels overlap", where: name, text: (blocks[i][0].textContent || "legend").slice(0, 40) + " / " + (blocks[j][0].textContent || "legend").slice(0, 40)});
  }
  return out;
}
