"""Name pools for synthetic people: common given names and surnames from several communities.

The people made from these pools are fictional: a name is drawn at random as a surname plus
one or two given names, so any resemblance to a real person's record is chance. Names are
kept upper-case ASCII (records print them so, and the Courier core font cannot draw accents).
"""

from __future__ import annotations

import random

# Pools by community. Each has surnames and given names for men and women, and an optional
# chance of a two-part (hyphenated or compound) surname.
POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "hispanic": {
        "surnames": (
            "GARCIA", "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "PEREZ",
            "SANCHEZ", "RAMIREZ", "TORRES", "FLORES", "RIVERA", "GOMEZ", "DIAZ", "REYES",
            "MORALES", "CRUZ", "ORTIZ", "GUTIERREZ", "CHAVEZ", "RAMOS", "RUIZ", "ALVAREZ",
            "MENDOZA", "CASTILLO", "JIMENEZ", "MORENO", "ROMERO", "HERRERA", "MEDINA",
            "AGUILAR", "VARGAS", "CASTRO", "GUZMAN", "FERNANDEZ", "VASQUEZ", "SALAZAR",
            "CONTRERAS", "ESPINOZA", "OROZCO", "NAVARRO", "ZAMORA", "VALENZUELA", "ESTRADA",
            "CERVANTES", "CAMACHO", "IBARRA", "OCHOA", "VILLANUEVA", "DELGADO", "PADILLA",
            "SOLIS", "ARELLANO", "BARAJAS", "QUINTERO", "MALDONADO", "ZUNIGA", "RANGEL",
        ),
        "male": (
            "JOSE", "JUAN", "LUIS", "CARLOS", "JESUS", "MIGUEL", "FRANCISCO", "ANTONIO",
            "MANUEL", "JORGE", "RICARDO", "ALEJANDRO", "ROBERTO", "FERNANDO", "RAUL",
            "ARTURO", "JAVIER", "SERGIO", "EDUARDO", "ARMANDO", "RUBEN", "ALFREDO",
            "HECTOR", "OSCAR", "MARIO", "VICTOR", "RAFAEL", "ENRIQUE", "GUADALUPE", "EFRAIN",
            "ISMAEL", "OCTAVIO", "ROGELIO", "GERARDO", "IGNACIO", "ADRIAN", "CESAR",
        ),
        "female": (
            "MARIA", "GUADALUPE", "JUANA", "ROSA", "ANA", "CARMEN", "YOLANDA", "VERONICA",
            "LETICIA", "ELENA", "PATRICIA", "MARTHA", "GLORIA", "ALICIA", "SILVIA", "LORENA",
            "ADRIANA", "ESPERANZA", "ROSARIO", "GABRIELA", "IRMA", "BEATRIZ", "SOCORRO",
        ),
    },
    "anglo": {
        "surnames": (
            "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER", "DAVIS", "WILSON",
            "ANDERSON", "TAYLOR", "THOMAS", "MOORE", "MARTIN", "THOMPSON", "WHITE", "CLARK",
            "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT",
            "HILL", "GREEN", "ADAMS", "BAKER", "NELSON", "CARTER", "MITCHELL", "ROBERTS",
            "TURNER", "PHILLIPS", "CAMPBELL", "PARKER", "EVANS", "EDWARDS", "COLLINS",
            "STEWART", "MORRIS", "MURPHY", "COOK", "ROGERS", "MORGAN", "COOPER", "PETERSON",
            "REED", "BAILEY", "KELLY", "HOWARD", "COX", "WARD", "RICHARDSON", "WATSON",
            "BROOKS", "WOOD", "BENNETT", "GRAY", "HUGHES", "PRICE", "SANDERS", "MYERS",
            "LONG", "ROSS", "FOSTER", "MCDONALD", "OCONNELL", "SULLIVAN", "HANSEN", "LARSON",
            "SCHMIDT", "WAGNER", "BECKER", "NOVAK", "KOWALSKI", "MUELLER", "OLSEN",
        ),
        "male": (
            "JAMES", "JOHN", "ROBERT", "MICHAEL", "WILLIAM", "DAVID", "RICHARD", "JOSEPH",
            "THOMAS", "CHARLES", "CHRISTOPHER", "DANIEL", "MATTHEW", "DONALD", "MARK", "PAUL",
            "STEVEN", "ANDREW", "KENNETH", "GEORGE", "JOSHUA", "KEVIN", "BRIAN", "EDWARD",
            "RONALD", "TIMOTHY", "JASON", "JEFFREY", "RYAN", "GARY", "NICHOLAS", "ERIC",
            "STEPHEN", "LARRY", "JUSTIN", "SCOTT", "BRANDON", "FRANK", "GREGORY", "DENNIS",
            "WAYNE", "DALE", "RANDY", "TRAVIS", "CODY", "DUSTIN", "SHANE", "CLINT",
        ),
        "female": (
            "MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN",
            "JESSICA", "SARAH", "KAREN", "NANCY", "LISA", "MARGARET", "BETTY", "SANDRA",
            "ASHLEY", "DOROTHY", "KIMBERLY", "EMILY", "DONNA", "MICHELLE", "CAROL", "AMANDA",
            "MELISSA", "DEBORAH", "STEPHANIE", "REBECCA", "LAURA", "SHARON", "CYNTHIA",
            "KATHLEEN", "AMY", "SHIRLEY", "ANGELA", "HEATHER", "TAMMY", "CRYSTAL", "DAWN",
        ),
    },
    "black": {
        "surnames": (
            "WASHINGTON", "JEFFERSON", "JACKSON", "HARRIS", "JOHNSON", "WILLIAMS", "BROWN",
            "JONES", "DAVIS", "ROBINSON", "THOMAS", "GREEN", "BANKS", "BOOKER", "COLEMAN",
            "DORSEY", "FREEMAN", "GAINES", "HOLLOWAY", "JENKINS", "MOSLEY", "PIERCE",
            "RICHARDSON", "SIMMONS", "TATE", "WALLACE", "WOODS", "BOYD", "BRYANT", "CURRY",
            "FIELDS", "GRAVES", "HAYES", "HUNTER", "MAYS", "OWENS", "PATTERSON", "REDD",
            "SINGLETON", "TUCKER", "WARE", "WHITFIELD", "ALEXANDER", "BURNETT", "DIXON",
        ),
        "male": (
            "ANTHONY", "ANDRE", "DARNELL", "TERRELL", "MARCUS", "DERRICK", "CEDRIC",
            "DWAYNE", "JAMAL", "LAMONT", "MAURICE", "REGINALD", "TYRONE", "WILLIE", "CALVIN",
            "CURTIS", "KEITH", "LARRY", "OTIS", "ROOSEVELT", "DEANDRE", "DEMETRIUS",
            "RASHAD", "DESHAWN", "JEROME", "CLARENCE", "LEROY", "ALVIN", "DARRYL", "KENDRICK",
        ),
        "female": (
            "KEISHA", "LATOYA", "TASHA", "SHANICE", "TANISHA", "YVONNE", "DENISE", "BRENDA",
            "GWENDOLYN", "LORETTA", "VALERIE", "WANDA", "ERICA", "TIFFANY", "EBONY", "MONIQUE",
            "ANGELA", "DIANE", "FELICIA", "JACQUELINE", "KIMBERLY", "SHAUNTE", "TAMIKA",
        ),
    },
    "asian": {
        "surnames": (
            "NGUYEN", "TRAN", "LE", "PHAM", "HUYNH", "VO", "DANG", "BUI", "DO", "HO", "NGO",
            "DUONG", "LY", "KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON",
            "WONG", "CHAN", "CHEN", "LIU", "HUANG", "ZHANG", "WANG", "LIN", "YANG", "WU",
            "CHANG", "LAM", "LEUNG", "TANAKA", "YAMAMOTO", "NAKAMURA", "SATO", "WATANABE",
            "SANTOS", "REYES", "CRUZ", "BAUTISTA", "DELA CRUZ", "GARCIA", "MENDOZA", "RAMOS",
            "SAECHAO", "VANG", "XIONG", "LOR", "THAO", "HER", "SINGH", "PATEL", "SHAH",
        ),
        "male": (
            "MINH", "TUAN", "HUNG", "DUNG", "THANH", "VINH", "QUANG", "PHONG", "JIN", "SUNG",
            "HYUN", "WEI", "MING", "KEVIN", "DANNY", "JIMMY", "TOMMY", "ALLEN", "HIROSHI",
            "KENJI", "TAKESHI", "ROMEO", "RODEL", "JOEL", "MARVIN", "NOEL", "CHUE", "TOU",
            "KOU", "PAO", "GURPREET", "RAJ", "VIKRAM",
        ),
        "female": (
            "LAN", "MAI", "HOA", "LINH", "THU", "NGOC", "HYE", "SOO", "MEI", "LING", "XIU",
            "YUKI", "KEIKO", "AIKO", "MARICEL", "JOCELYN", "ROWENA", "MAILEE", "NOU", "PANG",
            "PRIYA", "ANITA", "SUNITA",
        ),
    },
    "armenian_mideast": {
        "surnames": (
            "PETROSYAN", "SARGSYAN", "HAKOBYAN", "GRIGORYAN", "KHACHATRYAN", "MARTIROSYAN",
            "AVETISYAN", "HOVHANNISYAN", "MKRTCHYAN", "KARAPETYAN", "HADDAD", "KHOURY",
            "NASSAR", "SALEH", "HASSAN", "MANSOUR", "AZIZ", "HABIB", "RAHIMI", "MOHAMMADI",
            "HOSSEINI", "KARIMI", "SHARIF", "YOUSSEF", "ABBOUD",
        ),
        "male": (
            "ARMEN", "ARAM", "VAHE", "GAREN", "HAGOP", "ARTUR", "DAVIT", "SAMVEL", "ASHOT",
            "TIGRAN", "AHMAD", "ALI", "OMAR", "KARIM", "SAMIR", "RAMI", "FARID", "REZA",
            "DARIUS", "NADER", "TAREK", "YOUSEF",
        ),
        "female": (
            "ANI", "NARINE", "LUSINE", "ARPINE", "SONA", "MARINE", "LAYLA", "NADIA", "SAMIRA",
            "LEILA", "MARYAM", "SHIRIN", "RANIA", "HANA",
        ),
    },
    "native_pacific": {
        "surnames": (
            "BEGAY", "YAZZIE", "TSOSIE", "BENALLY", "JIM", "NEZ", "CHARLEY", "TOM", "GEORGE",
            "BLACKHORSE", "LONGBOW", "REDCLOUD", "TAUFA", "FONOTI", "TUILAGI", "SAVAII",
            "MAFI", "FIFITA", "KAHALE", "AKANA", "KEALOHA", "PALAKIKO",
        ),
        "male": (
            "RAYMOND", "DELBERT", "VERNON", "LORENZO", "ELTON", "HARLAN", "SIONE", "TEVITA",
            "ISAIA", "PENI", "KAINOA", "MAKANA", "KEONI", "LEILANI", "FAAMATALA",
        ),
        "female": (
            "LORRAINE", "DARLENE", "ROWENA", "VERNA", "ELOISE", "MELE", "LOSANA", "TALIA",
            "KALEA", "NALANI", "MALIA",
        ),
    },
}

# Ethnic mix of the synthetic population (weights; they need not sum to 1).
POOL_WEIGHTS: dict[str, float] = {
    "hispanic": 0.34,
    "anglo": 0.30,
    "black": 0.18,
    "asian": 0.10,
    "armenian_mideast": 0.04,
    "native_pacific": 0.04,
}

# How a RAP sheet's RAC/ field records a person of each pool (weighted choices).
RACE_AS_RECORDED: dict[str, tuple[tuple[str, float], ...]] = {
    "hispanic": (("HISPANIC", 0.6), ("MEXICAN", 0.15), ("WHITE", 0.2), ("OTHER", 0.05)),
    "anglo": (("WHITE", 0.95), ("OTHER", 0.05)),
    "black": (("BLACK", 0.97), ("OTHER", 0.03)),
    "asian": (
        ("VIETNAMESE", 0.2), ("KOREAN", 0.12), ("CHINESE", 0.2), ("JAPANESE", 0.08),
        ("FILIPINO", 0.15), ("LAOTIAN", 0.08), ("ASIAN INDIAN", 0.07), ("OTHER ASIAN", 0.1),
    ),
    "armenian_mideast": (("WHITE", 0.8), ("OTHER", 0.2)),
    "native_pacific": (
        ("AMERICAN INDIAN", 0.5), ("SAMOAN", 0.15), ("HAWAIIAN", 0.1),
        ("PACIFIC ISLANDER", 0.15), ("GUAMANIAN", 0.1),
    ),
}

# Nicknames records pick up as aliases.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "ROBERT": ("BOB", "BOBBY", "ROB"), "WILLIAM": ("BILL", "BILLY", "WILL"),
    "RICHARD": ("RICK", "DICK", "RICKY"), "JAMES": ("JIM", "JIMMY"),
    "MICHAEL": ("MIKE",), "JOSEPH": ("JOE", "JOEY"), "THOMAS": ("TOM", "TOMMY"),
    "CHARLES": ("CHUCK", "CHARLIE"), "CHRISTOPHER": ("CHRIS",), "DANIEL": ("DANNY", "DAN"),
    "ANTHONY": ("TONY",), "ANDREW": ("ANDY", "DREW"), "KENNETH": ("KENNY", "KEN"),
    "EDWARD": ("EDDIE", "ED"), "RONALD": ("RON", "RONNIE"), "TIMOTHY": ("TIM",),
    "STEVEN": ("STEVE",), "GREGORY": ("GREG",), "NICHOLAS": ("NICK",),
    "JOSE": ("JOE", "PEPE"), "FRANCISCO": ("FRANK", "PACO", "FRANCO"),
    "JESUS": ("CHUY",), "ALEJANDRO": ("ALEX",), "EDUARDO": ("EDDIE", "LALO"),
    "ROBERTO": ("BETO", "ROBERT"), "GUADALUPE": ("LUPE",), "IGNACIO": ("NACHO",),
    "ELIZABETH": ("LIZ", "BETH"), "PATRICIA": ("PATTY", "TRISH"), "JENNIFER": ("JENNY",),
    "MARGARET": ("PEGGY", "MAGGIE"), "KIMBERLY": ("KIM",), "DEBORAH": ("DEBBIE", "DEB"),
    "REGINALD": ("REGGIE",), "DEMETRIUS": ("MEECH",), "TERRELL": ("TERRY",),
    "CLARENCE": ("CLAY",), "MAURICE": ("MO",), "MARIA": ("MARY",),
}

MIDDLE_INITIALS = "ABCDEFGHIJKLMNOPRSTW"


def pick_pool(rng: random.Random) -> str:
    names = sorted(POOL_WEIGHTS)
    return rng.choices(names, weights=[POOL_WEIGHTS[n] for n in names])[0]


def race_for(pool: str, rng: random.Random) -> str:
    options = RACE_AS_RECORDED[pool]
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def draw_name(rng: random.Random, pool: str, sex: str) -> tuple[str, str, str]:
    """(last, first, middle) upper-case; middle may be '' or an initial or a full name."""
    data = POOLS[pool]
    last = rng.choice(data["surnames"])
    if pool == "hispanic" and rng.random() < 0.12:
        last = f"{last} {rng.choice(data['surnames'])}" if rng.random() < 0.5 else (
            f"{last}-{rng.choice(data['surnames'])}")
    given = data["male" if sex == "M" else "female"]
    first = rng.choice(given)
    roll = rng.random()
    if roll < 0.45:
        middle = rng.choice([g for g in given if g != first] or list(given))
    elif roll < 0.7:
        middle = rng.choice(MIDDLE_INITIALS)
    else:
        middle = ""
    return last, first, middle


def format_name(last: str, first: str, middle: str = "", *, space_after_comma: bool = False) -> str:
    """`LAST,FIRST MIDDLE` as records print it (optionally `LAST, FIRST MIDDLE`)."""
    sep = ", " if space_after_comma else ","
    return f"{last}{sep}{first}" + (f" {middle}" if middle else "")


def alias_names(rng: random.Random, pool: str, sex: str, last: str, first: str, middle: str,
                n: int) -> list[tuple[str, str, str]]:
    """Up to `n` distinct aliases of a name, the way they accrue on a record."""
    out: list[tuple[str, str, str]] = []
    seen = {(last, first, middle)}
    data = POOLS[pool]
    tries = 0
    while len(out) < n and tries < 40:
        tries += 1
        kind = rng.choice(("drop_middle", "nick", "swap", "other_last", "typo", "other_first",
                           "first_last_only", "suffix"))
        cand = (last, first, middle)
        if kind == "drop_middle" and middle:
            cand = (last, first, "")
        elif kind == "nick" and first in NICKNAMES:
            cand = (last, rng.choice(NICKNAMES[first]), "")
        elif kind == "swap" and middle and len(middle) > 1:
            cand = (last, middle, first)
        elif kind == "other_last":
            cand = (rng.choice(data["surnames"]), first, middle)
        elif kind == "typo" and len(last) > 4:
            i = rng.randrange(1, len(last) - 1)
            if last[i].isalpha() and last[i + 1].isalpha():
                cand = (last[:i] + last[i + 1] + last[i] + last[i + 2:], first, middle)
        elif kind == "other_first":
            cand = (last, rng.choice(data["male" if sex == "M" else "female"]), "")
        elif kind == "first_last_only":
            cand = (first, last, "")  # name recorded backwards
        elif kind == "suffix" and sex == "M":
            cand = (last, first, (middle + " JR").strip())
        if cand not in seen:
            seen.add(cand)
            out.append(cand)
    return out
