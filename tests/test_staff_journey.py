"""A real browser (Debian's Chromium through Playwright) against a real server: a school
coordinator opens «Кадры», uploads a file with a mistake, reads the error table, fixes the
file and uploads it again, finds the new people in the list and opens one's profile.
Screenshots of every step are saved under the test's tmp directory."""

from playwright.sync_api import expect

from tests.test_browser_journey import journey, signed_in  # noqa: F401 (the fixture)
from tests.test_imports import STAFF_HEADER


def test_coordinator_uploads_fixes_and_finds_the_staff(journey, world, tmp_path):  # noqa: F811
    shots, step = journey["shots"], [0]

    def shot(page, name):
        step[0] += 1
        path = shots / f"{step[0]:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

    bad = tmp_path / "staff.csv"
    bad.write_text(
        STAFF_HEADER + "a1;Лебедева Ирина Олеговна;учитель;1996;2020;химия;;;;L-1;\n"
        "a1;Морозов Павел Андреевич;учитель;девяносто;2021;физика;;;;M-2;\n",
        encoding="utf-8",
    )
    coord = signed_in(journey, "coord.a1")
    coord.get_by_role("link", name="Кадры").click()
    expect(coord.locator("h1")).to_have_text("Работники: Школа А1")
    shot(coord, "roster")
    coord.get_by_role("link", name="Загрузить из файла").click()
    coord.set_input_files("#file", str(bad))
    coord.get_by_role("button", name="Загрузить").click()
    expect(coord.locator(".error-summary")).to_contain_text("найдено ошибок — 1")
    expect(coord.locator("tr.problem td")).to_have_text(
        ["3", "Год рождения", "Ожидался год числом, например 1985."]
    )
    shot(coord, "error-table")

    bad.write_text(bad.read_text(encoding="utf-8").replace("девяносто", "1990"), encoding="utf-8")
    coord.set_input_files("#file", str(bad))
    coord.get_by_role("button", name="Загрузить").click()
    expect(coord.locator(".notice")).to_contain_text("добавлено 2, обновлено 0")
    expect(coord.get_by_role("link", name="Морозов Павел Андреевич", exact=True)).to_be_visible()
    shot(coord, "imported")

    coord.fill("#q", "Лебедева")
    coord.get_by_role("button", name="Показать").click()
    expect(coord.locator("tr.person")).to_have_count(1)
    coord.get_by_role("link", name="Лебедева Ирина Олеговна", exact=True).click()
    expect(coord.locator("h1")).to_have_text("Профиль профессионального роста")
    expect(coord.locator("dl.card")).to_contain_text("Лебедева Ирина Олеговна")
    shot(coord, "profile")
