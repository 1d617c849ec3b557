"""The demo's staff roster: plausible names, subjects, ages and experience, from a seeded
random stream, so the same seed gives the same people."""

DEMO_YEAR = 2025  # ages and experience of the demo roster are exact for this year

SUBJECTS = [
    "русский язык и литература",
    "английский язык",
    "немецкий язык",
    "французский язык",
    "математика",
    "физика",
    "биология",
    "экология",
    "химия",
    "география",
    "технология",
    "физическая культура",
    "начальные классы",
    "ОБЗР",
    "изобразительное искусство",
    "МХК",
    "музыка",
    "история",
    "обществознание",
    "ОРКСЭ",
    "информатика",
]
RMO = {s: f"РМО учителей: {s}" for s in SUBJECTS}

MALE = (
    [
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Васильев",
        "Петров",
        "Соколов",
        "Михайлов",
        "Новиков",
        "Фёдоров",
        "Морозов",
        "Волков",
        "Алексеев",
        "Лебедев",
        "Семёнов",
        "Егоров",
    ],
    ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай"],
    ["Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Иванович", "Петрович"],
)
FEMALE = (
    [s + "а" for s in MALE[0]],
    [
        "Елена",
        "Ольга",
        "Наталья",
        "Татьяна",
        "Ирина",
        "Светлана",
        "Мария",
        "Анна",
        "Юлия",
        "Екатерина",
        "Людмила",
        "Галина",
    ],
    ["Александровна", "Сергеевна", "Дмитриевна", "Андреевна", "Ивановна", "Петровна"],
)


def _name(rng):
    surnames, names, patronymics = FEMALE if rng.random() < 0.8 else MALE
    return f"{rng.choice(surnames)} {rng.choice(names)} {rng.choice(patronymics)}"


class _Roster:
    """Generates plausible staff rows with controlled age and experience."""

    def __init__(self, rng):
        self.rng = rng
        self.rows = []

    def add(self, org, position, *, count, young=0, first_years=0, management=False, subjects=True):
        """``young`` under 35 in DEMO_YEAR, of whom ``first_years`` in their first 3 years."""
        rng = self.rng
        for i in range(count):
            if i < first_years:
                birth = rng.randint(DEMO_YEAR - 30, DEMO_YEAR - 22)
                since = rng.randint(DEMO_YEAR - 2, DEMO_YEAR)
            elif i < young:
                birth = rng.randint(DEMO_YEAR - 34, DEMO_YEAR - 26)
                since = rng.randint(max(birth + 21, DEMO_YEAR - 12), DEMO_YEAR - 3)
            else:
                birth = rng.randint(DEMO_YEAR - 66, DEMO_YEAR - 35)
                since = rng.randint(birth + 21, min(birth + 35, DEMO_YEAR - 3))
            taught = rng.sample(SUBJECTS, rng.choice((1, 1, 1, 2))) if subjects else []
            experience = DEMO_YEAR - since
            category = (
                "none"
                if experience < 3
                else rng.choice(["conformity", "first", "first", "highest", "highest"])
            )
            self.rows.append(
                {
                    "organization": org.id,
                    "code": f"{org.code}-{len(self.rows) + 1:05d}",
                    "full_name": _name(rng),
                    "position": position,
                    "subjects": taught,
                    "birth_year": birth,
                    "teaching_since": since,
                    "category": category,
                    "is_management": management,
                    "associations": [RMO[s] for s in taught if rng.random() < 0.85],
                    "active": True,
                }
            )


def _split(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
