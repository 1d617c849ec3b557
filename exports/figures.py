"""The shape every indicator's figures take: rows per organisation, summed per subtree.

A share is counted in ONE query whose rows are the units of its denominator (staff
members, schools, audience subjects); the numerator is a flag summed over exactly those
rows (``flag``).  A numerator therefore never counts a unit outside its denominator:
not by a filter repeated in two queries, but because there is only one set of rows.
"""

from peewee import Case, fn

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember


def flag(condition):
    """SUM(1 when ``condition`` holds) over the query's rows: a numerator within them."""
    return fn.SUM(Case(None, [(condition, 1)], 0))


def counted_staff(paths, *columns):
    """The staff every staff figure counts, under the subtrees ``paths``: active members
    of OPEN organisations.  Staff of a closed organisation count nowhere, as they are in
    no campaign's audience (``forms.audience``)."""
    return (
        StaffMember.select(*columns)
        .join(Organization)
        .where(
            in_scopes(Organization.path, paths),
            StaffMember.active == True,  # noqa: E712
            Organization.active == True,  # noqa: E712
        )
    )


def subtree_finder(paths):
    """A function org path -> the one of the disjoint subtrees ``paths`` holding it, or None."""
    roots = set(paths)

    def find(path):
        end = 0
        while (end := path.find("/", end + 1)) > 0:
            if path[: end + 1] in roots:
                return path[: end + 1]
        return None

    return find


def by_path(rows, paths, width=2):
    """Sum rows (org path, value, ...) into {path: [sum, ...]} for every one of ``paths``.

    ``width`` is the number of values per row; a subtree without rows sums to zeros.
    """
    find = subtree_finder(paths)
    sums = {path: [0] * width for path in paths}
    for path, *values in rows:
        root = find(path)
        if root is not None:
            total = sums[root]
            for i, value in enumerate(values):
                total[i] += int(value or 0)  # (PostgreSQL sums are Decimal)
    return sums


def sum_figures(figures) -> tuple:
    """(numerator, denominator) of several subtrees: the sums; no denominator when none has."""
    figures = list(figures)
    numerator = sum(n or 0 for n, _ in figures)
    denominators = [d for _, d in figures if d is not None]
    return numerator, sum(denominators) if denominators else None
