"""Charge.parse against spellings printed on real RAP sheets, dockets and DOJ files.

One row per spelling; the literal text is the test's name so a failure says which.
"""

import pytest

from docmine.charges import Charge, ChargeParseError

# (as written, canonical, attempted)
SPELLINGS = [
    ("11357(B) HS", "HS 11357(b)", False),
    ("11357B HS", "HS 11357(b)", False),
    ("HS11357(b)", "HS 11357(b)", False),
    ("HS 11357(b)", "HS 11357(b)", False),
    ("HS 11357 (b)", "HS 11357(b)", False),
    ("11357 (B) HS", "HS 11357(b)", False),
    ("11357(a) H&S", "HS 11357(a)", False),
    ("11357 HS", "HS 11357", False),
    ("11357 H & S", "HS 11357", False),
    ("11357C HS", "HS 11357(c)", False),
    ("H&S 11359", "HS 11359", False),
    ("11359 H&S", "HS 11359", False),
    ("11359 HS", "HS 11359", False),
    ("11359 H/S", "HS 11359", False),
    ("11359 HSC", "HS 11359", False),
    ("H.S. 11358", "HS 11358", False),
    ("11358 HS-CULTIVATE MARIJUANA", "HS 11358", False),
    ("11358 HS-PLANT/CULTIVATE/ETC MARIJUANA/HASH", "HS 11358", False),
    ("11360(A) HS-TRANSPORT/SELL MARIJUANA/HASH", "HS 11360(a)", False),
    ("11360(A)(2) HS", "HS 11360(a)(2)", False),
    ("11360 (a)(2) HS", "HS 11360(a)(2)", False),
    ("H & S 11360(a)", "HS 11360(a)", False),
    ("HEALTH AND SAFETY 11360", "HS 11360", False),
    ("11357(B) HS-POSSESS MARIJUANA", "HS 11357(b)", False),
    ("11357(B) HS-POSSESS 28.5 GRAMS OR LESS MARIJUANA", "HS 11357(b)", False),
    ("664/11359 HS", "HS 11359", True),
    ("664 /11359 HS", "HS 11359", True),
    ("664-11357(c) HS", "HS 11357(c)", True),
    ("66411357(c) HS", "HS 11357(c)", True),
    ("664.11360 HS", "HS 11360", True),
    ("11359 HS/664", "HS 11359", True),
    ("487(A)-664 PC", "PC 487(a)", True),
    ("459/664 PC", "PC 459", True),
    ("664/187(A) PC-ATTEMPTED MURDER", "PC 187(a)", True),
    ("490,2 PC", "PC 490.2", False),
    ("490.2 PC", "PC 490.2", False),
    ("496.1 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "PC 496.1", False),
    ("192.3(A) PC-VEH MANSL W/GROSS NEGLIGENCE", "PC 192.3(a)", False),
    ("11357(C)HS", "HS 11357(c)", False),
    ("PC 667(e)(2)(C)(iv)", "PC 667(e)(2)(c)(iv)", False),
    ("647(F) PC", "PC 647(f)", False),
    ("P.C. 459", "PC 459", False),
    ("23152(A) VC-DUI ALCOHOL/DRUGS", "VC 23152(a)", False),
    ("V.C. 14601.1(a)", "VC 14601.1(a)", False),
    ("4060 BP", "BP 4060", False),
    ("B&P 4140", "BP 4140", False),
    ("W&I 602", "WI 602", False),
    ("11530 HS", "HS 11530", False),
    ("11530.5 HS", "HS 11530.5", False),
    ("290(c) PC", "PC 290(c)", False),
    ("273A(A) PC-CHILD CRUELTY:POSSIBLE INJURY/DEATH", "PC 273a(a)", False),
    ("288A(C) PC", "PC 288a(c)", False),
    ("653F PC", "PC 653f", False),
    ("PC 537e(a)", "PC 537e(a)", False),
]

# Look-alikes of the Prop 64 sections: they must keep their own section, digit for digit.
LOOK_ALIKES = [
    ("11357.5 HS", "HS 11357.5"),
    ("11357.5(A) HS-SELL SYNTHETIC CANNABINOID", "HS 11357.5(a)"),
    ("11350(A) HS", "HS 11350(a)"),
    ("11350 HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "HS 11350"),
    ("11351 HS", "HS 11351"),
    ("11351.5 HS", "HS 11351.5"),
    ("11364 HS", "HS 11364"),
    ("11364.1 HS", "HS 11364.1"),
    ("11366 HS", "HS 11366"),
    ("11377(A) HS", "HS 11377(a)"),
    ("11378 HS", "HS 11378"),
    ("11361(A) HS-EMPLOY MINOR TO SELL MARIJUANA", "HS 11361(a)"),
    ("11361 HS", "HS 11361"),
    ("11362.3 HS", "HS 11362.3"),
    ("11362.3(a)(1) HS", "HS 11362.3(a)(1)"),
    ("11550 HS", "HS 11550"),
    ("11550(A) HS-USE/UNDER INFLUENCE CONTROLLED SUBSTANCE", "HS 11550(a)"),
    ("11358.5 HS", "HS 11358.5"),
    ("113570 HS", None),  # six digits: no such section, never shortened into 11357
    ("11357 PC", "PC 11357"),  # a different code is a different charge
]


@pytest.mark.parametrize("text,canonical,attempted", SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_real_spellings(text, canonical, attempted):
    charge = Charge.parse(text)
    assert charge.canonical == canonical
    assert str(charge) == canonical
    assert charge.attempted is attempted


@pytest.mark.parametrize("text,canonical", LOOK_ALIKES, ids=[s[0] for s in LOOK_ALIKES])
def test_look_alikes_stay_what_they_are(text, canonical):
    if canonical is None:
        with pytest.raises(ChargeParseError):
            Charge.parse(text)
        return
    charge = Charge.parse(text)
    assert charge.canonical == canonical
    assert charge.base not in {"HS 11357", "HS 11358", "HS 11359", "HS 11360"}


@pytest.mark.parametrize(
    "text", ["", "   ", "POSSESS MARIJUANA", "CNT:01", "12345", "SEE COMMENT FOR CHARGE", "#19514114"]
)
def test_text_without_a_charge_is_refused(text):
    with pytest.raises(ChargeParseError):
        Charge.parse(text)
    assert Charge.try_parse(text) is None


def test_canonical_form_parses_to_itself():
    for text, canonical, _ in SPELLINGS:
        assert Charge.parse(canonical).canonical == canonical


def test_parse_prefix_reports_where_the_description_starts():
    text = "11357(B) HS-POSSESS MARIJUANA"
    charge, end = Charge.parse_prefix(text)
    assert charge.canonical == "HS 11357(b)"
    assert text[end:] == "-POSSESS MARIJUANA"


def test_charges_are_values():
    assert Charge.parse("11357(B) HS") == Charge.parse("HS11357(b)")
    assert len({Charge.parse("H&S 11359"), Charge.parse("11359 HS")}) == 1
    assert Charge.parse("664/11359 HS") != Charge.parse("11359 HS")
