"""Synthetic data at the size of a region or a country: `metodnet demo --scale region|country`.

Deterministic from a seed (the same seed gives the same rows, ids included) and
fast: rows are generated as plain tuples and inserted in batches with explicit
ids inside one transaction, so 1.2 million staff records take about a minute.

Staff are drawn so that 20 % are under 35 and 9 % are in their first three years
of teaching in ``YEAR``; one organisation-level monitoring campaign has
submissions in every state.  Programme blocks add their own data through the hook
``generate_scale_data(world)``, each with its own random stream so adding a block does
not change the others' rows.
"""

import datetime as dt
import random
from array import array
from dataclasses import dataclass, field

from flask import current_app

from core import users
from core.db import database, is_sqlite
from core.models import Organization, PluginActivation, StaffMember

YEAR = 2025  # ages, experience and the campaigns' period are set for this year
PASSWORD = "metodnet-demo"
CREATED = dt.datetime(YEAR, 1, 10, 9, 0)


@dataclass(frozen=True)
class Scale:
    regions: int
    hubs: int  # per region
    municipalities: int  # per region, spread over its hubs
    organizations: int  # educational organisations in total
    staff: int  # in total


SCALES = {
    "region": Scale(regions=1, hubs=6, municipalities=60, organizations=2_500, staff=120_000),
    "country": Scale(regions=85, hubs=4, municipalities=28, organizations=45_000, staff=1_200_000),
}

# Share of staff (cumulative thresholds of one draw): under 35 and in the first three
# years; under 35 with more experience; 35 and over in the first three years.
YOUNG_BEGINNER, YOUNG, OLDER_BEGINNER = 0.07, 0.20, 0.22
METHODIST_SHARE = 0.015

KIND_CYCLE = ["school"] * 11 + ["kindergarten"] * 7 + ["additional"] * 2
KIND_NAMES = {
    "school": "МБОУ «Средняя общеобразовательная школа № {n}»",
    "kindergarten": "МБДОУ «Детский сад № {n}»",
    "additional": "МБУ ДО «Центр дополнительного образования № {n}»",
}
KIND_WEIGHT = {"school": 1.7, "kindergarten": 0.7, "additional": 0.5}
POSITIONS = {
    "school": "учитель",
    "kindergarten": "воспитатель",
    "additional": "педагог дополнительного образования",
}
SUBJECTS = [
    "русский язык и литература",
    "математика",
    "физика",
    "химия",
    "биология",
    "история",
    "обществознание",
    "география",
    "английский язык",
    "информатика",
    "начальные классы",
    "физическая культура",
    "технология",
    "музыка",
]
SURNAMES = ["Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова"]
NAMES = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Анна"]
PATRONYMICS = ["Александровна", "Сергеевна", "Дмитриевна", "Андреевна", "Ивановна"]

# Monitoring campaign: share of the audience per outcome (the rest never opened it).
STATES = [("draft", 0.12), ("submitted", 0.25), ("returned", 0.07), ("accepted", 0.45)]
TRASHED = 0.03  # drafts moved to the trash
MONITORING = {
    "code": "scale_monitoring",
    "title": "Ежегодный мониторинг кадрового состава",
    "level": "organization",
    "sections": [
        {
            "title": "Кадры",
            "fields": [
                {"name": f"q{i:02d}", "type": "integer", "min": 0, "label": f"Показатель {i}"}
                for i in range(1, 16)
            ],
        }
    ],
}


@dataclass
class World:
    """What block generators see: the generated tree and a compact staff roster."""

    seed: int
    scale: Scale
    regions: list[dict] = field(default_factory=list)
    municipalities: list[dict] = field(default_factory=list)
    organizations: list[dict] = field(default_factory=list)  # educational, with "staff" range
    # Staff member with id i + 1: organisation id, birth year, first year of teaching.
    staff_org: array = field(default_factory=lambda: array("I"))
    staff_birth: array = field(default_factory=lambda: array("H"))
    staff_since: array = field(default_factory=lambda: array("H"))

    def rng(self, name: str) -> random.Random:
        """An independent, reproducible random stream for one part of the data."""
        return random.Random(f"{self.seed}:{name}")

    def is_beginner(self, index: int) -> bool:
        return self.staff_since[index] > YEAR - 3


def bulk_insert(model, fields, rows) -> int:
    """Insert tuples in batches below both backends' limits on bound parameters."""
    batch = max(1, 30_000 // len(fields))
    chunk, done = [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            model.insert_many(chunk, fields=fields).execute()
            done, chunk = done + len(chunk), []
    if chunk:
        model.insert_many(chunk, fields=fields).execute()
        done += len(chunk)
    return done


def insert_dicts(model, rows: list[dict]) -> int:
    if not rows:
        return 0
    fields = [getattr(model, name) for name in rows[0]]
    return bulk_insert(model, fields, (tuple(row.values()) for row in rows))


def reset_sequences(*models) -> None:
    """After explicit ids PostgreSQL's sequences must continue after the largest one."""
    if is_sqlite():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared in proportion to ``weights`` exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _tree(world: World) -> list[tuple]:
    """Regions → hubs → municipalities (each with a methodical centre) → organisations."""
    scale, rows = world.scale, []
    rng = world.rng("tree")

    def add(parent, kind, name, code, region_id=None):
        org_id = len(rows) + 1
        path = f"{parent['path'] if parent else '/'}{org_id}/"
        region_id = region_id or org_id
        rows.append(
            (org_id, parent and parent["id"], region_id, path, kind, name, "", code, True, CREATED)
        )
        return {"id": org_id, "path": path, "kind": kind, "region_id": region_id, "name": name}

    per_region = _split(scale.organizations, [1] * scale.regions)
    for r in range(scale.regions):
        region = add(None, "region", f"Регион {r + 1}", f"r{r + 1}")
        world.regions.append(region)
        add(region, "methodical_centre", "ЦНППМ", f"r{r + 1}-cnppm", region["id"])
        hubs = [
            add(
                region, "hub", f"Межмуниципальный центр {h + 1}", f"r{r + 1}-h{h + 1}", region["id"]
            )
            for h in range(scale.hubs)
        ]
        munis = []
        for m in range(scale.municipalities):
            code = f"r{r + 1}-m{m + 1}"
            name = f"Муниципалитет {r + 1}-{m + 1}"
            muni = add(hubs[m % scale.hubs], "municipality", name, code, region["id"])
            add(muni, "methodical_centre", "Методический кабинет", f"{code}-mk", region["id"])
            munis.append(muni)
        world.municipalities += munis
        # Municipalities differ in size: a regional centre is several times a rural district.
        sizes = _split(per_region[r], [rng.uniform(0.3, 3.0) for _ in munis])
        for muni, count in zip(munis, sizes, strict=True):
            for n in range(count):
                kind = KIND_CYCLE[n % len(KIND_CYCLE)]
                name = KIND_NAMES[kind].format(n=n + 1)
                org = add(muni, kind, name, f"m{muni['id']}-{n + 1}", region["id"])
                world.organizations.append(org)
    return rows


def _staff(world: World):
    """Yield staff rows; fill the world's compact roster on the way."""
    rng = world.rng("staff")
    sizes = _split(
        world.scale.staff,
        [KIND_WEIGHT[o["kind"]] * rng.uniform(0.6, 1.4) for o in world.organizations],
    )
    staff_id = 0
    for org, size in zip(world.organizations, sizes, strict=True):
        org["staff"] = range(staff_id, staff_id + size)
        for _ in range(size):
            staff_id += 1
            draw = rng.random()
            if draw < YOUNG_BEGINNER:
                birth, since = rng.randint(YEAR - 30, YEAR - 22), rng.randint(YEAR - 2, YEAR)
            elif draw < YOUNG:
                birth = rng.randint(YEAR - 34, YEAR - 26)
                since = rng.randint(max(birth + 21, YEAR - 12), YEAR - 3)
            elif draw < OLDER_BEGINNER:
                birth, since = rng.randint(YEAR - 55, YEAR - 35), rng.randint(YEAR - 2, YEAR)
            else:
                birth = rng.randint(YEAR - 66, YEAR - 35)
                since = rng.randint(birth + 21, min(birth + 35, YEAR - 3))
            methodist = rng.random() < METHODIST_SHARE
            position = "методист" if methodist else POSITIONS[org["kind"]]
            subjects = [rng.choice(SUBJECTS)] if org["kind"] == "school" and not methodist else []
            experience = YEAR - since
            category = "none" if experience < 3 else rng.choice(("first", "highest", "none"))
            world.staff_org.append(org["id"])
            world.staff_birth.append(birth)
            world.staff_since.append(since)
            yield (
                staff_id,
                org["id"],
                f"s{staff_id:07d}",
                f"{rng.choice(SURNAMES)} {rng.choice(NAMES)} {rng.choice(PATRONYMICS)}",
                position,
                subjects,
                birth,
                since,
                category,
                False,
                [],
                True,
                CREATED,
            )


STAFF_FIELDS = [
    StaffMember.id,
    StaffMember.organization,
    StaffMember.code,
    StaffMember.full_name,
    StaffMember.position,
    StaffMember.subjects,
    StaffMember.birth_year,
    StaffMember.teaching_since,
    StaffMember.category,
    StaffMember.is_management,
    StaffMember.associations,
    StaffMember.active,
    StaffMember.created_at,
]
ORG_FIELDS = [
    Organization.id,
    Organization.parent,
    Organization.region_id,
    Organization.path,
    Organization.kind,
    Organization.name,
    Organization.short_name,
    Organization.code,
    Organization.active,
    Organization.created_at,
]


def open_campaign(form, region, title, kinds, *, deadline):
    from forms.models import Campaign

    return Campaign.create(
        form=form,
        title=title,
        period_kind="year",
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        scope=region["id"],
        audience_kinds=kinds,
        audience_statuses=[],
        opens_on=dt.date(YEAR, 1, 15),
        deadline=deadline,
        created_at=CREATED,
    )


def submission_rows(campaign, organizations, rng, data_for, states=STATES, trashed=TRASHED):
    """Submissions of ``organizations`` in every state with the given shares, as dicts."""
    rows = []
    deadline = campaign.deadline
    for org in organizations:
        draw, state = rng.random(), None
        for name, share in states:
            if draw < share:
                state = name
                break
            draw -= share
        else:
            if draw < trashed:
                state = "trashed"
        if state is None:
            continue
        day = dt.datetime(YEAR, 1, 20) + dt.timedelta(days=rng.randint(0, 60), hours=9)
        sent = None if state in ("draft", "trashed") else day
        rows.append(
            {
                "campaign": campaign.id,
                "organization": org["id"],
                "subject_key": f"o{org['id']}",
                "state": "draft" if state == "trashed" else state,
                "data": data_for(org, rng),
                "version": 1 if sent is None else 2,
                "created_at": day - dt.timedelta(days=1),
                "updated_at": day,
                "first_submitted_at": sent,
                "submitted_at": sent,
                "late": bool(sent and sent.date() > deadline),
                "accepted_at": day + dt.timedelta(days=2) if state == "accepted" else None,
                "review_comment": "Уточните численность по ставкам." if state == "returned" else "",
                "deleted_at": day if state == "trashed" else None,
            }
        )
    return rows


def _monitoring(world: World):
    from forms.definition import load_definition
    from forms.models import Submission
    from forms.store import save

    form, _ = save(load_definition(MONITORING))
    rng = world.rng("monitoring")
    total = 0
    for region in world.regions:
        campaign = open_campaign(
            form,
            region,
            f"Мониторинг кадрового состава, {YEAR}",
            ["school", "kindergarten", "additional"],
            deadline=dt.date(YEAR, 3, 1),
        )
        members = [o for o in world.organizations if o["region_id"] == region["id"]]
        rows = submission_rows(
            campaign,
            members,
            rng,
            lambda org, r: {f"q{i:02d}": r.randint(0, 60) for i in range(1, 16)},
        )
        total += insert_dicts(Submission, rows)
    reset_sequences(Submission)
    return total


def _accounts(world: World):
    """One login per main role, like the small demo (password ``PASSWORD``)."""
    region, muni = world.regions[0], world.municipalities[0]
    school = next(o for o in world.organizations if o["path"].startswith(muni["path"]))
    accounts = [
        ("admin", "admin", None),
        ("operator", "regional_operator", region),
        ("metodist", "municipal_methodist", muni),
        ("school", "school_coordinator", school),
    ]
    for login, role, place in accounts:
        user = users.create_user(login=login, password=PASSWORD, full_name=login)
        users.grant(user, role, scope=place and place["id"])
    return [login for login, _, _ in accounts]


def _blocks(world: World, only) -> dict[str, int]:
    """Run each registered block's ``generate_scale_data`` (only the blocks named in
    ``only`` unless it is None); a block writes its own tables and plugin activations."""
    pm = current_app.extensions["metodnet.pm"]
    names = current_app.extensions["metodnet.registry"].module_names
    counts = {}
    for impl in pm.hook.generate_scale_data.get_hookimpls():
        name = names.get(pm.get_name(impl.plugin), pm.get_name(impl.plugin))
        if only is not None and name not in only:
            continue
        added = impl.function(world=world)
        if added is not None:
            counts[name] = added
    return counts


def load(scale: Scale, seed: int = 2025, blocks=None, progress=None) -> dict:
    """Build the synthetic world into an empty database; return row counts.

    ``blocks``: names of the programme blocks to fill (None: every registered block)."""
    step = progress or (lambda n: None)
    world = World(seed=seed, scale=scale)
    counts = {}
    with database.atomic():
        counts["organizations"] = bulk_insert(Organization, ORG_FIELDS, _tree(world))
        reset_sequences(Organization)
        step(1)
        counts["staff"] = bulk_insert(StaffMember, STAFF_FIELDS, _staff(world))
        reset_sequences(StaffMember)
        step(1)
        counts["submissions"] = _monitoring(world)
        counts["logins"] = _accounts(world)
        step(1)
        counts.update(_blocks(world, blocks))
        reset_sequences(PluginActivation)
        step(1)
    if not is_sqlite():
        # Fresh statistics, as a live database has them: without them PostgreSQL plans
        # the first queries over a million new rows as if the tables were empty.
        database.execute_sql("ANALYZE")
    return counts


def total_steps() -> int:
    return 4
