"""Random values for the held-out documents; every function takes a ``random.Random``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import data

FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2026, 12, 31)


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    district: str
    area: str  # sorting-code digits of the city
    rest: str  # street, number and any building / room

    def text(self, with_province: bool = True, spaced: bool = False) -> str:
        """The address as printed; municipalities print their name once."""
        parts = [self.city, self.district, self.rest]
        if with_province and self.province not in data.MUNICIPALITIES:
            parts.insert(0, self.province)
        return (" " if spaced else "").join(parts)

    @property
    def city_short(self) -> str:
        return self.city.removesuffix("市")

    @property
    def district_short(self) -> str:
        return self.district.removesuffix("区") if len(self.district) > 2 else self.district

    @property
    def province_short(self) -> str:
        for end in ("维吾尔自治区", "壮族自治区", "自治区", "省", "市"):
            if self.province.endswith(end):
                return self.province.removesuffix(end)
        return self.province


@dataclass(frozen=True)
class Person:
    name: str
    phone: str  # 11 digits
    place: Place

    @property
    def e164(self) -> str:
        return "+86" + self.phone


def digits(rng, count: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def name(rng) -> str:
    surname = rng.choice(data.COMPOUND_SURNAMES) if rng.random() < 0.04 else rng.choice(data.SURNAMES)
    given = rng.choice(data.GIVEN_ONE) if rng.random() < 0.35 else rng.choice(data.GIVEN_TWO)
    return surname + given


def mobile(rng) -> str:
    return rng.choice(data.MOBILE_PREFIXES) + digits(rng, 8, "0123456789")


def street_rest(rng, street: str) -> str:
    """Street + number and, usually, a building / unit / room."""
    number = f"{street}{rng.randint(1, 999)}号"
    r = rng.randint
    details = (
        "",
        f"{r(1, 30)}栋{r(1, 4)}单元{r(1, 33)}{r(1, 4):02d}室",
        f"{rng.choice(data.ESTATES)}{r(1, 20)}幢{r(1, 28)}0{r(1, 6)}室",
        f"{rng.choice(data.TOWERS)}{r(2, 40)}楼{r(1, 20):02d}室",
        f"{rng.choice(data.ESTATES)}{r(1, 18)}-{r(1, 3)}-{r(1, 26)}0{r(1, 4)}",
    )
    return number + rng.choice(details)


def place(rng) -> Place:
    province, city, district, area, streets = rng.choice(data.DISTRICTS)
    return Place(province, city, district, area, street_rest(rng, rng.choice(streets)))


def person(rng, avoid: Person | None = None) -> Person:
    while True:
        found = Person(name(rng), mobile(rng), place(rng))
        if avoid is None or (found.name != avoid.name and found.phone != avoid.phone):
            return found


def date(rng) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def clock(rng) -> str:
    return f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"


def weight(rng) -> Decimal:
    return Decimal(rng.choice((rng.randint(1, 30), rng.randint(1, 99), rng.randint(100, 250)))) / 10


def tracking_number(rng, code: str) -> str:
    """A number of the carrier's usual shape (as billflow's carriers.yml describes them)."""
    if code == "SF":
        return "SF" + digits(rng, 13)
    if code == "ZTO":
        return rng.choice(("75", "78")) + digits(rng, 12, "0123456789")
    if code == "YTO":
        return "YT" + digits(rng, 13)
    if code == "YUNDA":
        return rng.choice(("43", "46", "31")) + digits(rng, 13, "0123456789")
    if code == "STO":
        return rng.choice(("77", "88")) + digits(rng, 11, "0123456789")
    if code == "JD":
        return rng.choice(("JDVA", "JDVB", "JDVC")) + digits(rng, 11)
    if code == "JT":
        return "JT" + digits(rng, 13)
    return rng.choice(("11", "50", "10")) + digits(rng, 11, "0123456789")  # EMS domestic


def sorting_code(rng, area: str) -> str:
    """A 三段码 like ``571-W12 03``."""
    return f"{area}-{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randint(1, 39):02d} {rng.randint(1, 60):02d}"


def company(rng, place: Place) -> str:
    return (place.city_short + rng.choice(data.BRANDS) + rng.choice(data.INDUSTRIES)
            + rng.choice(data.COMPANY_SUFFIXES))


def branch(rng, bank: str, place: Place) -> str:
    if rng.random() < 0.15:
        return f"{bank}{place.city_short}分行营业部"
    return f"{bank}{place.city_short}分行{place.district_short}支行"


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def account(rng) -> str:
    """16–19 digits; card-like ones (62/4/5, 16 or 19 digits) carry a valid Luhn digit."""
    number = digits(rng, rng.randint(16, 19))
    if len(number) in (16, 19) and number.startswith(("62", "4", "5")):
        number = number[:-1] + _luhn_digit(number[:-1])
    return number


def amount(rng) -> Decimal:
    """An amount from 100.00 to ~50,000,000.00, often with inner zeros and round cents."""
    count = rng.choice((3, 3, 4, 4, 5, 5, 6, 6, 7, 8))
    yuan = digits(rng, 1) + "".join("0" if rng.random() < 0.3 else digits(rng, 1) for _ in range(count - 1))
    cents = rng.choice(("00", "00", "00", f"{rng.randint(1, 9)}0", f"0{rng.randint(1, 9)}",
                        f"{rng.randint(10, 99)}"))
    return Decimal(f"{yuan}.{cents}")


def grouped(value: Decimal) -> str:
    return f"{value:,.2f}"
