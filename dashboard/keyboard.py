"""Keyboard and screen-reader aids on every page: a visible focus ring, charts out of the
tab order but described in words, and the sidebar's page links named as navigation.

Streamlit 1.67 already starts each page with a "Skip to main content" link (the first Tab
stop; Enter moves focus to the page's main region). What it leaves out is added here:

* :data:`FOCUS_STYLE`: a 3 px outline on whatever has keyboard focus (``:focus-visible``),
  where Streamlit shows a faint grey background on links or nothing on ``<main>``.
* :data:`AIDS_SCRIPT`, run once in the page from a hidden iframe:

  - each plotly toolbar button (8 a chart) leaves the tab order; the mouse still has them;
  - each chart's drawing is an image (``role="img"``) whose name says what it shows: its
    title and, for each series, its values (all of them up to :data:`LISTED_POINTS`, else
    how many and their range), so a screen reader has the chart in words;
  - the sidebar's page links (:func:`dashboard.chrome.draw_navigation`) become a
    ``navigation`` landmark, the current page marked ``aria-current="page"``;
  - a page link to the overview gets a real address: Streamlit writes the default page's
    as ``""`` (or ``"?as_of=…"``), which a browser reads as the page it is on, so "Open in
    new tab" or a copied link opened the wrong page.
"""

from __future__ import annotations

import json

NAV_KEY = "jw_pages"
"""Key of the sidebar's page links container (its CSS class is ``st-key-jw_pages``)."""

FOCUS_COLOUR = "#1D4ED8"  # 6.7:1 against white, 5.9:1 against the sidebar's grey
FOCUS_STYLE = (
    "<style>"
    f":focus-visible {{outline: 3px solid {FOCUS_COLOUR} !important; "
    "outline-offset: 2px !important;} "
    "[data-testid='stMain']:focus-visible {outline-offset: -4px !important;} "
    "[data-testid='stSkipToContent']:focus {background: #FFFFFF; color: #0B0C0C;}"
    "</style>"
)

LISTED_POINTS = 12

_AIDS = r"""
(() => {
  if (window.__jwAids) return;
  window.__jwAids = true;
  const LISTED = %(listed)d, NAV = '.st-key-%(nav)s';
  const words = (html) => new DOMParser().parseFromString(String(html ?? ''), 'text/html')
    .body.textContent.replace(/\s+/g, ' ').trim();  // inert: nothing in it runs or loads
  const day = (text) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    if (!m) return words(text);
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString(
      'en-GB', {day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'});
  };
  const shown = (v) => typeof v === 'number'
    ? v.toLocaleString('en-GB', {maximumFractionDigits: 2}) : day(String(v));
  const titleOf = (thing) => words(thing?.title?.text ?? thing?.title ?? '');

  function describe(gd) {
    const parts = [`Chart: ${titleOf(gd.layout) || 'untitled'}.`];
    const across = titleOf(gd.layout?.xaxis), up = titleOf(gd.layout?.yaxis);
    if (across || up) parts.push(`Across: ${across || 'none'}; up: ${up || 'none'}.`);
    for (const trace of gd._fullData || []) {
      if (trace.visible !== true) continue;
      const flat = trace.orientation === 'h';
      const keys = Array.from((flat ? trace.y : trace.x) || []);
      const values = Array.from((flat ? trace.x : trace.y) || []);
      const points = keys.map((k, i) => [k, values[i]])
        .filter(([k, v]) => k != null && v != null && v !== '' && !Number.isNaN(v));
      if (!points.length) continue;
      const name = words(trace.name) || 'Series';
      if (points.length <= LISTED) {
        parts.push(`${name}: ${points.map(([k, v]) => `${shown(k)} ${shown(v)}`).join('; ')}.`);
      } else {
        const numbers = points.map(([, v]) => v).filter((v) => typeof v === 'number');
        const range = numbers.length
          ? `, from ${shown(Math.min(...numbers))} to ${shown(Math.max(...numbers))}` : '';
        parts.push(`${name}: ${points.length} points${range}.`);
      }
    }
    return parts.join(' ').slice(0, 2000);
  }

  function tidy() {
    for (const button of document.querySelectorAll('.modebar-btn:not([tabindex="-1"])')) {
      button.setAttribute('tabindex', '-1');
    }
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const [drawing, ...rest] = gd.querySelectorAll('svg.main-svg');
      if (!drawing || !gd._fullData) continue;
      const text = describe(gd);
      if (drawing.getAttribute('aria-label') !== text) {
        drawing.setAttribute('role', 'img');
        drawing.setAttribute('aria-label', text);
      }
      for (const layer of rest) layer.setAttribute('aria-hidden', 'true');
    }
    for (const link of document.querySelectorAll('[data-testid="stPageLink-NavLink"]')) {
      const href = link.getAttribute('href');  // the default page's is "" or "?…": here
      if (href === '' || href?.startsWith('?')) {
        link.setAttribute('href', new URL('.', location.href).pathname + href);
      }
    }
    const nav = document.querySelector(NAV);
    if (nav) {
      nav.setAttribute('role', 'navigation');
      nav.setAttribute('aria-label', 'Pages');
      for (const link of nav.querySelectorAll('a[href]')) {
        const here = new URL(link.href, location.href).pathname === location.pathname;
        if (here) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    }
  }
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    setTimeout(() => { queued = false; try { tidy(); } catch (error) {} }, 120);
  };
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('popstate', later);
  later();
})();
"""

_AIDS_TEXT = json.dumps(_AIDS % {"listed": LISTED_POINTS, "nav": NAV_KEY}).replace("</", "<\\/")
AIDS_SCRIPT = f"""<script>
try {{
  const top = window.parent;
  if (!top.__jwAids) {{
    const script = top.document.createElement("script");
    script.textContent = {_AIDS_TEXT};
    top.document.head.appendChild(script);
  }}
}} catch (error) {{}}
</script>"""
"""Run in the app's own page (not the iframe), once, so it outlives the iframe it came in."""
