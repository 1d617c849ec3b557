"""The home page «Рабочий стол» per role, with figures checked by hand: the methodist's and
the operator's «Кампании в работе» (completeness, who has not submitted — by municipality for
the operator) and «Показатели не в цели», a teacher's «Мой профиль»."""

import datetime as dt

from core.db import database
from exports import targets
from tests.test_web_shell import campaign, signed_in, widgets  # noqa: F401  (a fixture)


def test_campaigns_in_progress_with_completeness(app, api, world, campaign):  # noqa: F811
    # The region's campaign reaches Школа А1, Сад А2 (municipality A), Школа Б1 and Б2 (Б,
    # inside Куст Х); Школа А1 submits.
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    assert api.as_("coord_a1").post(f"{target}/submit").status_code == 200
    operator = widgets(signed_in(app, "operator").get("/"))["Кампании в работе"]
    assert operator.startswith("Мониторинг наставничества, май : 25 % (1 из 4), срок ")
    assert operator.endswith("Не сдали: 3 — Куст Х: 2; Муниципалитет А: 1.")
    methodist_a = widgets(signed_in(app, "methodist.a").get("/"))["Кампании в работе"]
    assert "50 % (1 из 2)" in methodist_a and methodist_a.endswith("Не сдали: 1 — Сад А2.")
    methodist_b = widgets(signed_in(app, "methodist.b").get("/"))["Кампании в работе"]
    assert "0 % (0 из 2)" in methodist_b and methodist_b.endswith("— Школа Б1; Школа Б2.")
    # Not a reviewer: no such card; a teacher gets their profile and portfolio.
    teacher = widgets(signed_in(app, "teacher.a1").get("/"))
    assert "Кампании в работе" not in teacher
    assert teacher["Мой профиль"] == (
        "Мой профиль : курсы, наставничество, диагностика Портфолио педагога (Excel)"
    )
    page = signed_in(app, "teacher.a1").get("/")
    assert f'href="/staff/{world.staff_a1.id}/profile"' in page.text
    expert = signed_in(app, "expert.a").get("/")
    assert expert.status_code == 200 and "Сейчас для вас нет задач." in expert.text


def test_indicators_off_target_by_municipality(app, world):
    year = dt.date.today().year
    with app.app_context(), database.connection_context():
        targets.set_targets(world.region, "young_share", {str(year): 60})
    # Under 35: Петрова (1998) of 2 in the region (50 %), 1 of 1 in A (100 %), 0 of 1 in Б.
    operator = widgets(signed_in(app, "operator").get("/"))
    assert operator["Показатели не в цели: 1"] == (
        "1 Регион Р : Доля педагогов в возрасте до 35 лет "
        "По муниципалитетам (показателей не в цели): Муниципалитет Б : 1"
    )
    assert widgets(signed_in(app, "methodist.a").get("/"))["Показатели не в цели: 0"] == (
        "0 Муниципалитет А : все показатели с целью достигнуты или без данных"
    )
    methodist_b = signed_in(app, "methodist.b").get("/")
    assert widgets(methodist_b)["Показатели не в цели: 1"] == (
        "1 Муниципалитет Б : Доля педагогов в возрасте до 35 лет"
    )
    assert f'href="/indicators?scope={world.muni_b.id}"' in methodist_b.text
