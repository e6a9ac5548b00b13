"""``--format html``: one self-contained HTML page (inline CSS, a small inline script, an inline SVG chart).

No network and no external assets: the page carries a Content-Security-Policy that forbids loading
anything. All text is masked (SSNs, TINs, account numbers: :mod:`pecoscheck.masking`), stripped of what
XML 1.0 forbids and HTML-escaped (:func:`pecoscheck.sinks.html`). The findings tables are
filterable (text box and severity checkboxes; ``#filter=TEXT&severity=error,warning`` in the address
applies a filter on load) and sortable (the column-header buttons; ``#sort=line`` or ``#sort=-line`` sorts
the findings tables on load). The deadlines come from
:mod:`pecoscheck.deadlines`: ``ctx.extra["deadlines"]`` when the caller computed them (a
:class:`~pecoscheck.deadlines.DeadlineRun`), else they are computed from the report's profile paths.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import sinks
from .._version import __version__
from ..findings import Finding, ProfileResult, Report, count_phrase
from ..sinks import mask_identifiers
from . import RenderContext

if TYPE_CHECKING:
    from ..deadlines import Deadline, DeadlineRun

_SEVERITIES = ("error", "warning", "info")
_SEV_LABEL = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
_KIND_CLASS = {
    "license_expires": "k-lic", "dea_expires": "k-doc", "document_expires": "k-doc",
    "surrogate_expires": "k-sur", "revalidation_due": "k-rev", "revalidation_window": "k-win",
    "change_report_due": "k-chg",
}
_KIND_LABEL = {
    "k-lic": "License", "k-doc": "Document", "k-sur": "Surrogate", "k-rev": "Revalidation due",
    "k-win": "Revalidation window opens", "k-chg": "Change to report",
}


def t(value: object, field: str = "") -> str:
    """Text for HTML: identifiers masked as fits ``field``, then made safe (quotes too, for attributes)."""
    return sinks.html(mask_identifiers("" if value is None else str(value), field))


_CSS = """
:root{--fg:#1b1f24;--muted:#4a5360;--bg:#fff;--line:#c9d1d9;--band:#f4f6f8;--err:#b3261e;--warn-bg:#fff4ce;
--warn-fg:#5a3e00;--info-bg:#e0ecff;--info-fg:#0b3d91;--ok:#1e6b2e;--focus:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);
background:var(--bg)}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.25rem;margin:1.4em 0 .5em;border-bottom:2px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05rem;margin:1.2em 0 .3em;display:flex;gap:.6em;align-items:baseline;flex-wrap:wrap}
.meta,.muted{color:var(--muted)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:.5em 0 1em;padding:0;list-style:none}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:1.5rem}
.card.bad b{color:var(--err)}.card.good b{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:.3em 0 1em}
caption{text-align:left;font-weight:600;padding:.3em 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right}
td.date{white-space:nowrap}
table.small{width:auto;min-width:420px}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
button:focus-visible,input:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-weight:600;font-size:.85em}
.sev-error{background:var(--err);color:#fff}.sev-warning{background:var(--warn-bg);color:var(--warn-fg);
border:1px solid #d9b54a}.sev-info{background:var(--info-bg);color:var(--info-fg)}
.verdict{font-size:.8rem;font-weight:700;border-radius:4px;padding:1px 7px;color:#fff}
.verdict.ready{background:var(--ok)}.verdict.not-ready{background:var(--err)}
.controls{display:flex;gap:18px;flex-wrap:wrap;align-items:flex-end;padding:10px 12px;background:var(--band);
border:1px solid var(--line);border-radius:8px}
.controls label{font-weight:600}
.controls input[type=search]{display:block;font:inherit;padding:4px 8px;min-width:300px;border:1px solid #6b7480;
border-radius:4px}
fieldset{border:0;margin:0;padding:0;display:flex;gap:14px;align-items:center}
legend{font-weight:600;float:left;margin-right:10px}
fieldset label{font-weight:400}
.status{margin:.5em 0;color:var(--muted)}
.rule{font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}
td.src{font-size:.85em;color:var(--muted);max-width:260px}
td.fix{max-width:320px}
tr.overdue td{color:var(--err)}
.none{color:var(--muted);font-style:italic}
svg text{font:12px system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg .grid{stroke:var(--line)}
svg .today{stroke:var(--err);stroke-dasharray:4 3}
svg .band{fill:#fdecea}
.k-lic{fill:#0b57d0}.k-doc{fill:#6f42c1}.k-sur{fill:#00796b}.k-rev{fill:#b3261e}.k-win{fill:#e8eaed;stroke:#b3261e;
stroke-width:2}.k-chg{fill:#b35c00}
.legend{display:flex;gap:14px;flex-wrap:wrap;list-style:none;padding:0;margin:.3em 0;font-size:.9em}
.legend svg{vertical-align:middle}
.chart{overflow-x:auto}
footer{margin:2em auto 1em;color:var(--muted);font-size:.85em}
@media print{
 body{font-size:10pt}
 .controls,.noprint{display:none!important}
 header,main,footer{max-width:none;padding:0}
 th button::after{content:""}
 tr,.card{break-inside:avoid}
 h2,h3{break-after:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

_ERROR_TRAP = """
(function(){var d=document.documentElement;window.addEventListener('error',function(e){
d.setAttribute('data-js-errors',(d.getAttribute('data-js-errors')||'')+(e.message||'error')+';');});})();
"""

_SCRIPT = """
(function(){
'use strict';
var input=document.getElementById('filter');
var boxes=[].slice.call(document.querySelectorAll('input[name=severity]'));
var rows=[].slice.call(document.querySelectorAll('tr[data-severity]'));
var status=document.getElementById('filter-status');
function params(){
  var out={};
  [location.search.slice(1),location.hash.slice(1)].forEach(function(part){
    part.split('&').forEach(function(kv){
      if(!kv){return;}
      var i=kv.indexOf('='),k=i<0?kv:kv.slice(0,i),v=i<0?'':kv.slice(i+1);
      try{out[decodeURIComponent(k)]=decodeURIComponent(v.replace(/\\+/g,' '));}catch(e){}
    });
  });
  return out;
}
function apply(){
  var q=input.value.trim().toLowerCase();
  var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
  var shown=0;
  rows.forEach(function(r){
    var ok=on[r.getAttribute('data-severity')]&&(!q||r.getAttribute('data-text').indexOf(q)>=0);
    r.hidden=!ok;if(ok){shown++;}
  });
  [].slice.call(document.querySelectorAll('section.profile')).forEach(function(s){
    var any=s.querySelector('tr[data-severity]:not([hidden])');
    var note=s.querySelector('.no-match');
    if(note){note.hidden=!!any||!s.querySelector('tr[data-severity]');}
  });
  status.textContent='Showing '+shown+' of '+rows.length+' findings';
  document.documentElement.setAttribute('data-shown',String(shown));
}
function sortBy(th){
  var table=th.closest('table'),body=table.tBodies[0];
  var idx=[].indexOf.call(th.parentNode.children,th);
  var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
  [].slice.call(th.parentNode.children).forEach(function(h){if(h.hasAttribute('aria-sort')){h.setAttribute('aria-sort','none');}});
  th.setAttribute('aria-sort',dir===1?'ascending':'descending');
  var list=[].slice.call(body.rows);
  function key(r){var c=r.cells[idx];return c?(c.getAttribute('data-sort')||c.textContent.trim()):'';}
  list.sort(function(a,b){
    var x=key(a),y=key(b),nx=parseFloat(x),ny=parseFloat(y);
    var c=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)?nx-ny:x.localeCompare(y);
    return c*dir;
  });
  list.forEach(function(r){body.appendChild(r);});
}
[].slice.call(document.querySelectorAll('th[aria-sort] button')).forEach(function(b){
  b.addEventListener('click',function(){sortBy(b.parentNode);});
});
var p=params();
if(p.filter!==undefined){input.value=p.filter;}
if(p.severity!==undefined){
  var want=p.severity.split(',');
  boxes.forEach(function(b){b.checked=want.indexOf(b.value)>=0;});
}
if(p.sort){
  var name=p.sort.replace(/^-/,'').toLowerCase(),desc=p.sort.charAt(0)==='-';
  [].slice.call(document.querySelectorAll('table.findings th[aria-sort]')).forEach(function(th){
    if(th.textContent.trim().toLowerCase()===name){sortBy(th);if(desc){sortBy(th);}}
  });
}
input.addEventListener('input',apply);
boxes.forEach(function(b){b.addEventListener('change',apply);});
document.getElementById('filters').addEventListener('submit',function(e){e.preventDefault();});
apply();
document.documentElement.setAttribute('data-js','ready');
})();
"""


def _sortable_head(cols: list[tuple[str, str]]) -> str:
    cells = "".join(f'<th scope="col" aria-sort="none"{" class=num" if cls == "num" else ""}>'
                    f'<button type="button">{t(name)}</button></th>' for name, cls in cols)
    return f"<thead><tr>{cells}</tr></thead>"


def _summary(report: Report) -> str:
    s = report.summary
    cards = [
        ("good" if s["ready"] else "", s["ready"], "ready"),
        ("bad" if s["not_ready"] else "good", s["not_ready"], "not ready"),
        ("bad" if s["error"] else "", s["error"], "errors"),
        ("", s["warning"], "warnings"),
        ("", s["info"], "notes"),
    ]
    out = ['<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
           f'<p>{s["profiles"]} profile{"s" if s["profiles"] != 1 else ""} checked as of '
           f'<time datetime="{report.as_of.isoformat()}">{report.as_of.isoformat()}</time>.</p>',
           '<ul class="cards">']
    out += [f'<li class="card {cls}"><b>{n}</b>{label}</li>' for cls, n, label in cards]
    out.append("</ul>")
    if report.registry_unavailable:
        out.append(f'<p class="status">Online sources not reached: {t(", ".join(sorted(report.unavailable)))}; '
                   "online checks are incomplete.</p>")
    families: dict[str, Counter[str]] = {}
    for p in report.profiles:
        for f in p.findings:
            families.setdefault(f.rule.rstrip("0123456789") or f.rule, Counter())[f.severity.value] += 1
    if families:
        out.append('<table class="small" id="families"><caption>Findings by rule family and severity</caption>'
                   + _sortable_head([("Family", ""), ("Errors", "num"), ("Warnings", "num"), ("Notes", "num"),
                                     ("Total", "num")]) + "<tbody>")
        for fam in sorted(families, key=lambda k: (-sum(families[k].values()), k)):
            c = families[fam]
            out.append(f'<tr><th scope="row" class="rule">{t(fam)}</th>'
                       + "".join(f'<td class="num">{c[sev]}</td>' for sev in _SEVERITIES)
                       + f'<td class="num">{sum(c.values())}</td></tr>')
        out.append("</tbody><tfoot><tr><th scope=\"row\">All</th>"
                   + "".join(f'<td class="num">{s[sev]}</td>' for sev in _SEVERITIES)
                   + f'<td class="num">{s["error"] + s["warning"] + s["info"]}</td></tr></tfoot></table>')
    out.append("</section>")
    return "\n".join(out)


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _timeline(run: DeadlineRun) -> str:
    """An inline SVG: one lane per profile, the overdue items in a band on the left, 12 months after it."""
    from ..rules.builtin.revalidation import add_months

    start = run.as_of
    end = add_months(start, 12)
    span = (end - start).days or 1
    items = [d for d in run.deadlines if d.date <= end and not (d.is_start and d.days_left < 0)]
    lanes: list[str] = []
    for d in items:
        if d.profile not in lanes:
            lanes.append(d.profile)
    lanes.sort()
    label_w, band_w, plot_w, lane_h, top = 250, 70, 860, 26, 46
    width = label_w + band_w + plot_w + 20
    height = top + max(1, len(lanes)) * lane_h + 10

    def x_of(day: date) -> float:
        return label_w + band_w + plot_w * (day - start).days / span

    parts = [f'<svg role="img" aria-labelledby="tl-title tl-desc" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" id="timeline">',
             '<title id="tl-title">Deadlines in the next 12 months</title>',
             f'<desc id="tl-desc">{len(items)} deadlines of {len(lanes)} profiles from {start.isoformat()} to '
             f'{end.isoformat()}, one row per profile; overdue items are in the band on the left. The table '
             'below lists the same items.</desc>',
             f'<rect class="band" x="{label_w}" y="{top - 6}" width="{band_w - 6}" '
             f'height="{height - top}"/>',
             f'<text x="{label_w + 4}" y="{top - 12}">overdue</text>']
    month = _month_start(start, 1)
    while month <= end:
        x = x_of(month)
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}"/>')
        parts.append(f'<text x="{x + 3:.1f}" y="{top - 12}">{month.strftime("%b")}'
                     f'{" " + str(month.year) if month.month == 1 else ""}</text>')
        month = _month_start(month, 1)
    x0 = x_of(start)
    parts.append(f'<line class="today" x1="{x0:.1f}" y1="{top - 6}" x2="{x0:.1f}" y2="{height - 4}"/>')
    parts.append(f'<text x="{x0 + 3:.1f}" y="{top - 30}">today {start.isoformat()}</text>')
    for i, lane in enumerate(lanes):
        y = top + i * lane_h + lane_h / 2
        name = lane.rsplit("/", 2)
        stem = name[-2] if name[-1] == "profile.yaml" and len(name) > 1 else name[-1].rsplit(".", 1)[0]
        who = next((d.provider for d in items if d.profile == lane and d.provider), None)
        label = f"{stem} \u00b7 {who}" if who else stem
        short = label if len(label) <= 36 else label[:35] + "\u2026"
        parts.append(f'<text x="4" y="{y + 4:.1f}"><title>{t(lane)}</title>{t(short)}</text>')
        parts.append(f'<line class="grid" x1="{label_w}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
                     'stroke-opacity=".4"/>')
        overdue_here = 0
        for d in items:
            if d.profile != lane:
                continue
            cls = _KIND_CLASS.get(d.kind, "k-doc")
            if d.overdue:
                x = label_w + 12 + 14 * (overdue_here % 4)
                overdue_here += 1
            else:
                x = x_of(max(d.date, start))
            tip = f"{d.date.isoformat()}: {mask_identifiers(d.what, d.path)} ({d.rule}; {d.status})"
            shape = (f'<rect class="{cls}" x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
                     f'transform="rotate(45 {x:.1f} {y:.1f})">' if d.kind == "revalidation_window"
                     else f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="6">')
            end_tag = "</rect>" if d.kind == "revalidation_window" else "</circle>"
            parts.append(f'<g class="mark{" overdue" if d.overdue else ""}">{shape}<title>{t(tip)}</title>'
                         f'{end_tag}</g>')
    if not lanes:
        parts.append(f'<text x="{label_w + band_w}" y="{top + 16}">Nothing falls due in the next 12 '
                     'months.</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    items = []
    for cls, label in _KIND_LABEL.items():
        mark = ('<rect class="k-win" x="3" y="3" width="9" height="9" transform="rotate(45 7.5 7.5)"/>'
                if cls == "k-win" else f'<circle class="{cls}" cx="7.5" cy="7.5" r="6"/>')
        items.append(f'<li><svg width="15" height="15" aria-hidden="true">{mark}</svg> {t(label)}</li>')
    return '<ul class="legend" aria-label="Legend">' + "".join(items) + "</ul>"


def _deadline_section(run: DeadlineRun) -> str:
    from ..rules.builtin.revalidation import add_months

    end = add_months(run.as_of, 12)
    rows: list[Deadline] = [d for d in run.deadlines if d.date <= end]
    out = ['<section aria-labelledby="deadlines-h"><h2 id="deadlines-h">Deadlines in the next 12 months</h2>',
           '<p class="muted">Expiry dates, revalidation and change-reporting deadlines of the profiles above, '
           "counted from the as-of date; overdue items first. <code>pecoscheck deadlines</code> exports them "
           "as a calendar.</p>",
           '<div class="chart">', _timeline(run), "</div>", _legend()]
    if rows:
        out.append('<table id="deadlines" class="sortable"><caption>Deadlines until '
                   f'{end.isoformat()} ({len(rows)}; {sum(d.overdue for d in rows)} overdue)</caption>'
                   + _sortable_head([("Date", ""), ("Days left", "num"), ("What", ""), ("Rule", ""),
                                     ("For", ""), ("Where", "")]) + "<tbody>")
        for d in rows:
            days = "open" if d.is_start and d.days_left <= 0 else str(d.days_left)
            who = (d.provider or "") + (f" (NPI {d.npi})" if d.npi else "")
            where = d.path + (f":{d.line}" if d.line else "")
            out.append(f'<tr class="{"overdue" if d.overdue else ""}" data-kind="{t(d.kind)}">'
                       f'<td class="date" data-sort="{d.date.isoformat()}"><time datetime="{d.date.isoformat()}">'
                       f'{d.date.isoformat()}</time></td>'
                       f'<td class="num" data-sort="{d.days_left}">{t(days)}'
                       f'{" (overdue)" if d.overdue else ""}</td>'
                       f"<td>{t(d.what, d.path)}</td><td class=\"rule\">{t(d.rule)}</td>"
                       f'<td>{t(who)}<br><span class="muted">{t(d.profile)}</span></td><td>{t(where)}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="none">Nothing falls due in the next 12 months.</p>')
    if run.skipped:
        out.append(f'<p class="muted">Deadlines not computed for {len(run.skipped)} profile'
                   f'{"s" if len(run.skipped) != 1 else ""} that do not match the profile format: '
                   f'{t(", ".join(p for p, _ in run.skipped))}.</p>')
    if run.undated:
        out.append("<h3>Without a date</h3><ul>")
        out += [f"<li>{t(u.profile)}: {t(u.what, u.path)} is TBD. {t(u.note, u.path)}</li>" for u in run.undated]
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _source(ctx: RenderContext, rule_id: str) -> str:
    if ctx.registry is None:
        return ""
    r = ctx.registry.rules.get(rule_id)
    return r.source if r is not None else ""


def _finding_row(ctx: RenderContext, f: Finding) -> str:
    source = _source(ctx, f.rule)
    f = f.masked()
    message, hint = f.message, f.hint
    text = " ".join((f.severity.value, f.rule, f.path, message, hint, source)).lower()
    line = "" if f.line is None else str(f.line) + (f":{f.column}" if f.column else "")
    return (f'<tr data-severity="{f.severity.value}" data-text="{t(text, f.path)}">'
            f'<td data-sort="{f.severity.rank}"><span class="sev sev-{f.severity.value}">'
            f"{f.severity.value}</span></td>"
            f'<td class="rule">{t(f.rule)}</td>'
            f'<td class="num" data-sort="{f.line if f.line is not None else 999999}">{t(line)}</td>'
            f"<td>{t(message, f.path)}{'<br><span class=muted>' + t(f.path) + '</span>' if f.path else ''}</td>"
            f'<td class="fix">{t(hint, f.path)}</td><td class="src">{t(source)}</td></tr>')


def _cross(report: Report) -> str:
    """Findings across profiles (the same NPI, license or PTAN in several), each with every place."""
    cross = report.cross
    if not cross:
        return ""
    out = ['<section aria-labelledby="cross-h"><h2 id="cross-h">Across profiles</h2>',
           '<table class="findings"><caption>Identifiers found in more than one profile</caption>'
           '<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Message</th>'
           '<th scope="col">Where</th><th scope="col">Fix</th></tr></thead><tbody>']
    for c in cross:
        where = "<br>".join(t(f"{path}:{line}" if line is not None else path) for path, line in c.places)
        text = " ".join((c.severity.value, c.rule, c.message, c.hint, *(path for path, _ in c.places))).lower()
        sev = c.severity.value
        out.append(f'<tr data-severity="{sev}" data-text="{t(text)}"><td><span class="sev sev-{sev}">'
                   f'{sev}</span></td><td class="rule">{t(c.rule)}</td><td>{t(c.message)}</td>'
                   f'<td>{where}</td><td class="fix">{t(c.hint)}</td></tr>')
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _profile(ctx: RenderContext, p: ProfileResult, index: int) -> str:
    counts = p.counts
    verdict = ('<span class="verdict ready">READY</span>' if p.ready
               else '<span class="verdict not-ready">DRAFT, NOT READY</span>' if p.draft
               else '<span class="verdict not-ready">NOT READY</span>')
    who = ", ".join(x for x in (p.provider_name, f"NPI {p.npi}" if p.npi else None) if x)
    out = [f'<section class="profile" aria-labelledby="p{index}-h">',
           f'<h3 id="p{index}-h"><span>{t(p.path)}</span> {verdict}</h3>',
           f'<p class="muted">{t(who) + " · " if who else ""}{count_phrase(counts)}</p>']
    if p.findings:
        out.append(f'<table class="findings sortable"><caption>Findings in {t(p.path)}</caption>'
                   + _sortable_head([("Severity", ""), ("Rule", ""), ("Line", "num"), ("Message", ""),
                                     ("Fix", ""), ("Source", "")]) + "<tbody>")
        out += [_finding_row(ctx, f) for f in p.findings]
        out.append("</tbody></table>")
        out.append('<p class="none no-match" hidden>No finding of this profile matches the filter.</p>')
    else:
        out.append('<p class="none">No findings.</p>')
    if p.suppressed:
        out.append('<p class="muted">Suppressed: '
                   + "; ".join(f'<span class="rule">{t(f.rule)}</span> (line {f.line}: {t(f.suppressed, f.path)})'
                               for f in p.suppressed) + "</p>")
    out.append("</section>")
    return "\n".join(out)


def _controls(report: Report) -> str:
    s = report.summary
    boxes = "".join(f'<label><input type="checkbox" name="severity" value="{sev}" checked> '
                    f'{_SEV_LABEL[sev]} ({s[sev]})</label>' for sev in _SEVERITIES)
    return ('<form id="filters" class="controls" role="search" aria-label="Filter findings">'
            '<div><label for="filter">Filter findings</label>'
            '<input type="search" id="filter" name="filter" placeholder="rule, word, path…" '
            'aria-describedby="filter-status"></div>'
            f'<fieldset><legend>Severity</legend>{boxes}</fieldset></form>'
            '<p id="filter-status" class="status" role="status" aria-live="polite"></p>')


def render(report: Report, ctx: RenderContext) -> str:
    run: Any = ctx.extra.get("deadlines")
    if run is None:
        from ..deadlines import deadlines_for_report

        run = deadlines_for_report(report)
    title = f"pecoscheck report, as of {report.as_of.isoformat()}"
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{t(title)}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{_ERROR_TRAP}</script>",
        "</head>",
        "<body>",
        '<header><h1>Medicare enrollment readiness report</h1>'
        f'<p class="meta">pecoscheck {t(__version__)} · as of {report.as_of.isoformat()} · '
        "identifiers such as TINs are masked</p></header>",
        "<main>",
        _summary(report),
        _cross(report),
        _deadline_section(run),
        '<section aria-labelledby="findings-h"><h2 id="findings-h">Findings by profile</h2>',
        _controls(report),
    ]
    body += [_profile(ctx, p, i) for i, p in enumerate(report.profiles)]
    if not report.profiles:
        body.append('<p class="none">No profiles were checked.</p>')
    body += [
        "</section>",
        "</main>",
        "<footer>Generated by pecoscheck. Severity: error makes a profile not ready; warnings need review; "
        "notes are for information. Rule sources are the citations of <code>pecoscheck rules explain "
        "RULE</code>.</footer>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(body)
