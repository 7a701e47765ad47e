"""Scales of the sample: which areas, how many of everything, year by year.

The city curves are tuned so that the sample's magnitudes resemble Puyang's published figures
(about 880 valid invention patents in April 2021, 25,500 valid trademarks mid-2021; see
metrics.md and domain.md 4.3); the larger scales multiply them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .regions import Area, henan_area, nation_areas, puyang_area

FIRST_YEAR = 2005
LAST_DATE = date(2026, 10, 31)   # the latest export's as-of date

# Applications per year by Puyang applicants: (invention, utility model, design). 2026 is Jan-Oct.
PATENT_APPS_CITY: dict[int, tuple[int, int, int]] = {
    2005: (45, 130, 35), 2006: (50, 150, 40), 2007: (60, 180, 45), 2008: (70, 220, 55), 2009: (85, 280, 60),
    2010: (105, 360, 70), 2011: (135, 470, 90), 2012: (175, 620, 110), 2013: (225, 800, 130),
    2014: (285, 980, 150), 2015: (340, 1150, 170), 2016: (390, 1350, 190), 2017: (410, 1550, 210),
    2018: (420, 1800, 240), 2019: (430, 2050, 270), 2020: (460, 2300, 300), 2021: (480, 2400, 320),
    2022: (495, 2300, 310), 2023: (490, 2150, 300), 2024: (490, 2050, 290), 2025: (500, 1950, 280),
    2026: (420, 1550, 220),
}

# Trademark applications per year by Puyang applicants (2026: Jan-Oct).
TRADEMARK_APPS_CITY: dict[int, int] = {
    1995: 90, 1996: 100, 1997: 110, 1998: 120, 1999: 140, 2000: 160, 2001: 180, 2002: 210, 2003: 250,
    2004: 300, 2005: 350, 2006: 420, 2007: 500, 2008: 590, 2009: 700, 2010: 860, 2011: 1050,
    2012: 1290, 2013: 1560, 2014: 1950, 2015: 2420, 2016: 3040, 2017: 3900, 2018: 4910, 2019: 5620,
    2020: 6240, 2021: 6710, 2022: 6080, 2023: 5690, 2024: 5460, 2025: 5380, 2026: 4370,
}

# Rosters of the city (scaled by the number of firms at larger scales).
CITY_FIRMS = 2400
CITY_PERSONS = 2600
ABOVE_SCALE_CITY = {2019: 480, 2020: 505, 2021: 540, 2022: 575, 2023: 600, 2024: 625, 2025: 645, 2026: 660}
KEY_ENTERPRISES_CITY = {2019: 40, 2020: 42, 2021: 45, 2022: 48, 2023: 50, 2024: 55, 2025: 58, 2026: 60}
HIGHTECH_CITY = {2014: 22, 2015: 25, 2016: 30, 2017: 38, 2018: 45, 2019: 50, 2020: 55, 2021: 58, 2022: 62,
                 2023: 63, 2024: 60, 2025: 64}
SRDI_CITY = {2019: 8, 2020: 10, 2021: 12, 2022: 15, 2023: 18, 2024: 16, 2025: 14, 2026: 9}
LITTLE_GIANT_CITY = {2019: 1, 2020: 1, 2021: 2, 2022: 3, 2023: 2, 2024: 2, 2025: 3, 2026: 1}
PLEDGES_CITY = {2014: 3, 2015: 4, 2016: 6, 2017: 8, 2018: 10, 2019: 12, 2020: 15, 2021: 20, 2022: 24,
                2023: 28, 2024: 34, 2025: 38, 2026: 30}
OVERSEAS_CITY = {2014: 4, 2015: 5, 2016: 7, 2017: 8, 2018: 10, 2019: 12, 2020: 13, 2021: 16, 2022: 19,
                 2023: 23, 2024: 28, 2025: 33, 2026: 27}


@dataclass
class Plan:
    scale: str
    areas: list[Area]
    n_firms: int
    n_persons: int
    patent_factor: float
    trademark_factor: float
    detailed: bool
    bad_rate: float = 0.003
    notes: dict = field(default_factory=dict)

    @property
    def firm_factor(self) -> float:
        return self.n_firms / CITY_FIRMS


SCALES = ("city", "province", "nation")


def build_plan(scale: str, volume_factor: float = 1.0) -> Plan:
    """volume_factor shrinks the larger scales for quick checks; 1.0 is the real size."""
    if scale == "city":
        return Plan("city", [puyang_area()], CITY_FIRMS, CITY_PERSONS, 1.0, 1.0, detailed=True)
    city_patents = sum(sum(v) for v in PATENT_APPS_CITY.values())
    city_marks = sum(TRADEMARK_APPS_CITY.values())
    if scale == "province":
        return Plan("province", [henan_area()], round(60_000 * volume_factor), round(65_000 * volume_factor),
                    1_500_000 / city_patents * volume_factor, 2_000_000 / city_marks * volume_factor,
                    detailed=False)
    if scale == "nation":
        return Plan("nation", nation_areas(), round(900_000 * volume_factor), round(1_000_000 * volume_factor),
                    25_000_000 / city_patents * volume_factor, 45_000_000 / city_marks * volume_factor,
                    detailed=False)
    raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
