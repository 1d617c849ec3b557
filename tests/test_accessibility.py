"""Every page a demo role reaches from its home page passes axe-core (from the npm registry,
tests/a11y, installed by `make browser` through .ci/ensure-axe) in Debian's Chromium with
no serious or critical violation.  A screenshot of each role's home page is saved under the
test's tmp directory."""

from pathlib import Path

import pytest

from core import demo
from core.db import database
from tests.live_server import in_chromium
from tests.site_crawl import crawl

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES_PER_ROLE = 40
SERIOUS = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def site(app, tmp_path):
    assert AXE.exists(), "axe-core is missing: run `make browser` (.ci/ensure-axe)"
    with app.app_context(), database.connection_context():
        demo.load()
    with in_chromium(app, tmp_path / "live") as (server, browser):
        yield server, browser


def signed_in(server, browser, login):
    # bypass_csp: the test injects axe-core as an inline script, which the site's own CSP
    # (script-src 'self') rightly refuses; the pages under test are unchanged.
    page = browser.new_context(locale="ru-RU", bypass_csp=True).new_page()
    page.goto(server.url + "/signin")
    page.fill("#login", login)
    page.fill("#password", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")
    return page


def test_every_reachable_page_passes_axe(site, tmp_path):
    server, browser = site
    found, visited = [], 0
    anonymous = browser.new_context(locale="ru-RU", bypass_csp=True).new_page()
    anonymous.goto(server.url + "/signin")  # the one page before signing in
    anonymous.add_script_tag(path=str(AXE))
    found += [f"/signin: {v['id']} {v['targets']}" for v in anonymous.evaluate(RUN_AXE)
              if v["impact"] in SERIOUS]  # fmt: skip
    anonymous.context.close()
    for login, *_ in demo.ACCOUNTS:
        page = signed_in(server, browser, login)
        page.screenshot(path=str(tmp_path / f"home-{login}.png"), full_page=True)

        def fetch(url, page=page, login=login):
            response = page.goto(server.url + url)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                return (response.status if response else 0), None
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN_AXE):
                if violation["impact"] in SERIOUS:
                    found.append(f"{login} {url}: {violation['id']} ({violation['impact']}) "
                                 f"{violation['help']} — {violation['targets']}")  # fmt: skip
            return response.status, page.content()

        visited += len(crawl(fetch, limit=PAGES_PER_ROLE, per_shape=1))
        fetch("/no-such-page")  # the Russian error page, in the shell
        page.context.close()
    assert not found, "\n".join(found)
    assert visited >= 40  # the crawl really went through the site
