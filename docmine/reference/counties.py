"""California's 58 counties as RAP sheets and DOJ rows name them.

Each county lists the cities whose police departments print their own name (`CAPD ANAHEIM`)
and, before trial-court unification (1998-2001), the municipal and justice courts that printed
a district's name rather than the county's (`CAMC HARBOR`). A county's superior court,
sheriff and probation department print the county itself (`CASC YOLO`, `CASO LAKE`).

`county_named(place)` is the one lookup from such a name to its county; extraction, the DOJ
reader and the synthetic generators all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    name: str  # upper case, as DOJ agency names print it
    cities: tuple[str, ...]  # cities with their own police department
    courts: tuple[str, ...] = ()  # municipal and justice court districts before unification


COUNTIES: tuple[County, ...] = (
    County(
        "ALAMEDA",
        ("OAKLAND", "BERKELEY", "HAYWARD", "FREMONT", "ALAMEDA", "SAN LEANDRO"),
        ("OAKLAND-PIEDMONT", "BERKELEY-ALBANY", "HAYWARD", "FREMONT"),
    ),
    County("ALPINE", ("MARKLEEVILLE",), ()),
    County("AMADOR", ("JACKSON",), ()),
    County("BUTTE", ("CHICO", "OROVILLE"), ()),
    County("CALAVERAS", ("SAN ANDREAS",), ()),
    County("COLUSA", ("COLUSA",), ()),
    County("CONTRA COSTA", ("RICHMOND", "CONCORD", "ANTIOCH", "PITTSBURG", "MARTINEZ"), ("BAY", "MT DIABLO", "DELTA")),
    County("DEL NORTE", ("CRESCENT CITY",), ()),
    County("EL DORADO", ("PLACERVILLE", "SOUTH LAKE TAHOE"), ()),
    County("FRESNO", ("FRESNO", "CLOVIS", "SELMA"), ("FRESNO", "CENTRAL VALLEY")),
    County("GLENN", ("WILLOWS",), ()),
    County("HUMBOLDT", ("EUREKA", "ARCATA", "FORTUNA"), ("EUREKA", "ARCATA")),
    County("IMPERIAL", ("EL CENTRO", "CALEXICO"), ()),
    County("INYO", ("BISHOP",), ()),
    County("KERN", ("BAKERSFIELD", "DELANO", "RIDGECREST"), ("BAKERSFIELD", "EAST KERN")),
    County("KINGS", ("HANFORD",), ()),
    County("LAKE", ("LAKEPORT", "CLEARLAKE"), ()),
    County("LASSEN", ("SUSANVILLE",), ()),
    County(
        "LOS ANGELES",
        (
            "LOS ANGELES",
            "LONG BEACH",
            "PASADENA",
            "POMONA",
            "INGLEWOOD",
            "COMPTON",
            "SANTA MONICA",
            "BURBANK",
            "GLENDALE",
            "TORRANCE",
        ),
        ("LOS ANGELES METRO", "LONG BEACH", "PASADENA", "COMPTON", "POMONA"),
    ),
    County("MADERA", ("MADERA",), ()),
    County("MARIN", ("SAN RAFAEL", "NOVATO"), ()),
    County("MARIPOSA", ("MARIPOSA",), ()),
    County("MENDOCINO", ("UKIAH", "FORT BRAGG", "WILLITS"), ("UKIAH", "TEN MILE RIVER")),
    County("MERCED", ("MERCED", "LOS BANOS"), ()),
    County("MODOC", ("ALTURAS",), ()),
    County("MONO", ("MAMMOTH LAKES",), ()),
    County("MONTEREY", ("SALINAS", "MONTEREY", "SEASIDE"), ()),
    County("NAPA", ("NAPA",), ()),
    County("NEVADA", ("GRASS VALLEY", "TRUCKEE"), ()),
    County(
        "ORANGE",
        ("ANAHEIM", "SANTA ANA", "HUNTINGTON BEACH", "IRVINE", "GARDEN GROVE", "COSTA MESA"),
        ("NORTH ORANGE", "CENTRAL ORANGE", "WEST ORANGE", "HARBOR"),
    ),
    County("PLACER", ("AUBURN", "ROSEVILLE", "ROCKLIN"), ()),
    County("PLUMAS", ("QUINCY",), ()),
    County("RIVERSIDE", ("RIVERSIDE", "CORONA", "INDIO", "PALM SPRINGS", "MORENO VALLEY"), ("RIVERSIDE", "DESERT")),
    County("SACRAMENTO", ("SACRAMENTO", "ELK GROVE", "CITRUS HEIGHTS", "FOLSOM"), ("SACRAMENTO",)),
    County("SAN BENITO", ("HOLLISTER",), ()),
    County(
        "SAN BERNARDINO",
        ("SAN BERNARDINO", "FONTANA", "ONTARIO", "VICTORVILLE", "RIALTO"),
        ("SAN BERNARDINO", "VICTOR VALLEY", "WEST VALLEY"),
    ),
    County(
        "SAN DIEGO",
        ("SAN DIEGO", "CHULA VISTA", "OCEANSIDE", "ESCONDIDO", "EL CAJON"),
        ("SAN DIEGO", "NORTH COUNTY", "SOUTH BAY", "EL CAJON"),
    ),
    County("SAN FRANCISCO", ("SAN FRANCISCO",), ("SAN FRANCISCO",)),
    County("SAN JOAQUIN", ("STOCKTON", "LODI", "TRACY", "MANTECA"), ("STOCKTON", "LODI")),
    County("SAN LUIS OBISPO", ("SAN LUIS OBISPO", "PASO ROBLES"), ()),
    County("SAN MATEO", ("REDWOOD CITY", "SAN MATEO", "DALY CITY"), ()),
    County("SANTA BARBARA", ("SANTA BARBARA", "SANTA MARIA", "LOMPOC"), ()),
    County("SANTA CLARA", ("SAN JOSE", "SANTA CLARA", "SUNNYVALE", "PALO ALTO"), ("SAN JOSE", "PALO ALTO-MTN VIEW")),
    County("SANTA CRUZ", ("SANTA CRUZ", "WATSONVILLE"), ("SANTA CRUZ",)),
    County("SHASTA", ("REDDING",), ()),
    County("SIERRA", ("DOWNIEVILLE",), ()),
    County("SISKIYOU", ("YREKA",), ()),
    County("SOLANO", ("FAIRFIELD", "VALLEJO", "VACAVILLE"), ()),
    County("SONOMA", ("SANTA ROSA", "PETALUMA", "SEBASTOPOL"), ("SONOMA",)),
    County("STANISLAUS", ("MODESTO", "TURLOCK"), ()),
    County("SUTTER", ("YUBA CITY",), ()),
    County("TEHAMA", ("RED BLUFF",), ()),
    County("TRINITY", ("WEAVERVILLE",), ()),
    County("TULARE", ("VISALIA", "TULARE", "PORTERVILLE"), ("VISALIA", "PORTERVILLE")),
    County("TUOLUMNE", ("SONORA",), ()),
    County("VENTURA", ("VENTURA", "OXNARD", "SIMI VALLEY", "THOUSAND OAKS"), ()),
    County("YOLO", ("WOODLAND", "DAVIS", "WEST SACRAMENTO"), ()),
    County("YUBA", ("MARYSVILLE",), ()),
)
assert len(COUNTIES) == 58

CALIFORNIA_COUNTIES: tuple[str, ...] = tuple(c.name for c in COUNTIES)
BY_NAME: dict[str, County] = {c.name: c for c in COUNTIES}


def _places() -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for county in COUNTIES:
        for place in (county.name, *county.cities, *county.courts):
            seen.setdefault(place, set()).add(county.name)
    # A name two counties share would say nothing: none does today, and none may.
    return {place: next(iter(names)) for place, names in seen.items() if len(names) == 1}


PLACES: dict[str, str] = _places()


def county_named(place: str) -> str | None:
    """The county whose name, city or court district `place` is (upper case, exact), else None."""
    return PLACES.get(place)


__all__ = ["BY_NAME", "CALIFORNIA_COUNTIES", "COUNTIES", "PLACES", "County", "county_named"]
