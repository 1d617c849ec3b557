"""Breadth-first crawl of the pages a signed-in person reaches by following links from the
home page: same site, GET only, no API, no downloads, up to a limit.  Shared by the
capability test (Flask test client) and the accessibility test (a real browser)."""

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

HREF = re.compile(r'<a\s[^>]*href="([^"#]+)', re.I)
SKIPPED = ("/api/", "/signout", "/signin", "/static/")
# Files, not pages: a download is a capability of the page that links it, not a page.
FILES = re.compile(r"(\.xlsx$|/file$|/portfolio\.xlsx$|/template)")


def page_url(href: str, base: str) -> str | None:
    """The same-site path (with query) of a link, or None when it is not a page to visit."""
    parts = urlsplit(urljoin(base, unescape(href)))
    if parts.netloc and parts.netloc not in ("localhost", urlsplit(base).netloc):
        return None
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    if url.startswith(SKIPPED) or FILES.search(parts.path):
        return None
    return url


def links(html: str, base: str) -> list[str]:
    found = (page_url(href, base) for href in HREF.findall(html))
    return [url for url in found if url]


def shape(url: str) -> str:
    """The page a URL shows, whatever the object: ids become N, query values are dropped."""
    path, _, query = url.partition("?")
    keys = sorted(part.partition("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def crawl(fetch, start="/", limit=150, per_shape=2) -> dict[str, int]:
    """{url: status} of every page reached; ``fetch(url) -> (status, html or None)``.

    At most ``per_shape`` URLs of one shape (one review page of many submissions), so the
    limit is spent on different pages rather than on a long list of similar ones."""
    seen, queue, shapes = {}, deque([start]), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or shapes.get(shape(url), 0) >= per_shape:
            continue
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
        status, html = fetch(url)
        seen[url] = status
        if html:
            queue.extend(u for u in links(html, "http://localhost" + url) if u not in seen)
    return seen
