"""What the browser tests check on every page they open: axe-core's serious findings and
the layout faults a narrow or a wide screen shows."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = {"serious", "critical"}

axe = Axe()


def serious_violations(page: Page) -> list[str]:
    """One line per serious or critical axe violation on the page: id, impact, nodes."""
    results = axe.run(page)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}) {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


# Pairs of visible controls inside <main> whose boxes overlap by more than a pixel each way
# (one inside the other, like a button in a link, is nesting, not overlap).
OVERLAPS = """() => {
    const controls = [...document.querySelectorAll(
        "main a[href], main button, main input:not([type=hidden]), main select, main textarea"
    )].filter((el) => {
        const box = el.getBoundingClientRect();
        return el.checkVisibility({visibilityProperty: true, opacityProperty: true})
            && box.width > 1 && box.height > 1;
    });
    const name = (el) => `${el.tagName.toLowerCase()} "${
        (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim()
    }"`;
    const found = [];
    for (let i = 0; i < controls.length; i++) {
        for (let j = i + 1; j < controls.length; j++) {
            const [a, b] = [controls[i], controls[j]];
            if (a.contains(b) || b.contains(a)) continue;
            const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
            const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
            const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
            if (x > 1 && y > 1) found.push(`${name(a)} overlaps ${name(b)}`);
        }
    }
    return found;
}"""


# Visible controls anywhere on the page that stick out of the screen's left or right edge.
# The skip link waits off-screen until focused, and a row of posters scrolls sideways on
# purpose; nothing else may.
OFF_SCREEN = """() => [...document.querySelectorAll(
        "a[href], button, input:not([type=hidden]), select, textarea, summary"
    )].filter((el) => {
        const box = el.getBoundingClientRect();
        return !el.closest(".skip-link, .title-row")
            && el.checkVisibility({visibilityProperty: true, opacityProperty: true})
            && box.width > 1 && box.height > 1
            && (box.left < -1 || box.right > document.documentElement.clientWidth + 1);
    }).map((el) => `${el.tagName.toLowerCase()} "${(el.innerText || el.name || "").trim()}"`
        + ` is off-screen`)"""

# The header's items share one row: every one of them starts above the tallest one's bottom.
HEADER_ROWS = """() => {
    const items = [...document.querySelectorAll(".site-header > *, .header-nav > *")]
        .filter((el) => el.checkVisibility() && !el.matches(".header-nav"));
    if (!items.length) return [];
    const bottom = Math.min(...items.map((el) => el.getBoundingClientRect().bottom));
    return items.filter((el) => el.getBoundingClientRect().top >= bottom)
        .map((el) => `header item "${el.innerText.trim()}" wrapped onto a second row`);
}"""


def layout_problems(page: Page, label: str) -> list[str]:
    """One line per layout fault on the page: sideways scrolling, overlapping controls,
    controls off-screen, a header on two rows."""
    problems = []
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        problems.append(f"{label}: scrolls sideways ({scroll_width} px wide in {inner_width})")
    problems.extend(f"{label}: {overlap}" for overlap in page.evaluate(OVERLAPS))
    problems.extend(f"{label}: {item}" for item in page.evaluate(OFF_SCREEN))
    problems.extend(f"{label}: {item}" for item in page.evaluate(HEADER_ROWS))
    return problems
