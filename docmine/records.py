"""The record model: documents and pages as read, people, events and counts as extracted.

Every class is a frozen dataclass; collections are tuples so records can be hashed,
compared and shared between processes safely. Values a record can hold but docmine does
not know become `UNRECOGNIZED` (with the text kept beside them), never an exception.

Coordinates: boxes are `(x0, y0, x1, y1)` in PDF points (1/72 inch) with the origin at
the page's top-left corner, for text-layer and OCR pages alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date

from docmine.charges import Charge

Box = tuple[float, float, float, float]


class TextSource(str, enum.Enum):
    """Where a page's text came from."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    NONE = "none"  # the page could not be read; see `Page.error`


class DocType(str, enum.Enum):
    RAP_SHEET = "rap_sheet"
    DOCKET = "docket"
    DOJ_BULK = "doj_bulk"
    OTHER = "other"  # papers that are not conviction records: letters, unrelated minute orders
    UNRECOGNIZED = "unrecognized"


class Severity(str, enum.Enum):
    FELONY = "felony"
    MISDEMEANOR = "misdemeanor"
    INFRACTION = "infraction"
    UNKNOWN = "unknown"

    @classmethod
    def from_code(cls, text: str | None) -> "Severity":
        """`F`, `M`, `I` (DOJ's OFFENSE_TOC and RAP-sheet conviction lines) or the word."""
        key = (text or "").strip().upper()
        return {
            "F": cls.FELONY,
            "FELONY": cls.FELONY,
            "M": cls.MISDEMEANOR,
            "MISDEMEANOR": cls.MISDEMEANOR,
            "I": cls.INFRACTION,
            "INFRACTION": cls.INFRACTION,
        }.get(key, cls.UNKNOWN)


class EventType(str, enum.Enum):
    ARREST = "arrest"  # ARR/DET/CITE
    COURT = "court"
    REGISTRATION = "registration"
    CUSTODY = "custody"
    PROBATION = "probation"
    DECEASED = "deceased"
    APPLICANT = "applicant"
    SUPPLEMENTAL = "supplemental"
    UNRECOGNIZED = "unrecognized"


class DispositionKind(str, enum.Enum):
    CONVICTED = "convicted"
    SUSTAINED = "sustained"  # a juvenile petition found true
    DISMISSED = "dismissed"
    DISMISSED_FURTHERANCE_OF_JUSTICE = "dismissed_furtherance_of_justice"  # PC 1385
    ACQUITTED = "acquitted"
    PROSECUTION_REJECTED = "prosecution_rejected"
    DIVERSION = "diversion"
    DETENTION_ONLY = "detention_only"  # released, detention only (PC 849(b))
    PENDING = "pending"  # no disposition on the record yet
    UNRECOGNIZED = "unrecognized"

    @property
    def is_conviction(self) -> bool:
        return self in (DispositionKind.CONVICTED, DispositionKind.SUSTAINED)


class UpdateKind(str, enum.Enum):
    """Dated later entries that change a count after its disposition."""

    SET_ASIDE_1203_4 = "set_aside_1203_4"  # CONV SET ASIDE & DISM PER 1203.4 PC
    REDUCED_17B = "reduced_17b"  # felony reduced to misdemeanor per PC 17(b)
    SENTENCE_MODIFIED = "sentence_modified"
    PROBATION_REVOKED = "probation_revoked"
    PROBATION_TERMINATED = "probation_terminated"
    RESENTENCED = "resentenced"
    REDESIGNATED = "redesignated"  # e.g. HS 11361.8 / PC 1170.18
    DISMISSED = "dismissed"  # e.g. HS 11361.8 dismissal
    SEALED = "sealed"
    UNRECOGNIZED = "unrecognized"


class TermKind(str, enum.Enum):
    PROBATION = "probation"
    JAIL = "jail"
    PRISON = "prison"
    FINE = "fine"
    RESTITUTION = "restitution"
    COMMUNITY_SERVICE = "community_service"
    SUSPENDED = "suspended"  # a suspended term: imposition or execution of sentence suspended
    CREDIT = "credit"  # time served
    OTHER = "other"


class TimeUnit(str, enum.Enum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"
    LIFE = "life"


@dataclass(frozen=True, slots=True)
class Word:
    """One word on a page: its text, its box, the OCR confidence (0-1, 1.0 for a text layer)
    and its character offsets in `Page.text`."""

    text: str
    box: Box
    confidence: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    width: float  # points
    height: float
    text: str
    words: tuple[Word, ...] = ()
    source: TextSource = TextSource.TEXT_LAYER
    source_reason: str = ""  # why this source was chosen (e.g. "text layer garbage: 41% dictionary hits")
    error: str | None = None  # set when the page could not be read; the document is kept
    # OCR pages: what a second look at its code-like words needs, until extraction has said
    # whether the document's counts are worth it (`docmine.ingest.ocr.Later`); then None.
    later: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    sha256: str  # of the file's bytes: the document's identity across runs
    pages: tuple[Page, ...]
    media_type: str = ""  # read from the content: application/pdf, image/png, image/tiff, ...

    @property
    def text(self) -> str:
        return "\f".join(page.text for page in self.pages)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an extracted value came from: page, character offsets in that page's text,
    the box around those characters when known, the text itself and a confidence."""

    page: int
    start: int
    end: int
    text: str
    box: Box | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Person:
    name: str | None = None  # "LAST,FIRST MIDDLE" as records print it
    aliases: tuple[str, ...] = ()
    dob: date | None = None  # the primary date of birth
    dobs: tuple[date, ...] = ()  # every date of birth on record, primary first
    cii: str | None = None  # California Identification Index number
    sex: str | None = None
    race: str | None = None  # as recorded (RAP sheet RAC/, DOJ RACE_DESCR)


@dataclass(frozen=True, slots=True)
class Update:
    """A dated later entry on a count (`DISPO:CONV SET ASIDE & DISM PER 1203.4 PC`)."""

    date: date | None
    kind: UpdateKind
    text: str


@dataclass(frozen=True, slots=True)
class SentenceTerm:
    kind: TermKind
    length: float | None = None  # in `unit`
    unit: TimeUnit | None = None
    amount: float | None = None  # dollars, for fines and restitution
    detail: str = ""  # e.g. "formal", "summary", "concurrent", "suspended"


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as written
    terms: tuple[SentenceTerm, ...] = ()
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """One count of one event: the unit that eligibility decides and offices file.

    Serialised by `docmine.contract` as one JSON object per count (the output contract).
    """

    count_id: str
    document: str
    doc_type: DocType
    page: int
    person: Person
    cycle: str  # ties together the arrest and court events of one arrest cycle
    event_type: EventType
    count: int  # the count number as the record numbers it (1-based)
    charge: Charge | None  # None where the charge is unreadable; `charge_text` keeps what was written
    charge_text: str
    event_date: date | None = None
    offense_date: date | None = None
    arrest_date: date | None = None
    court: str | None = None
    county: str | None = None
    case_number: str | None = None
    attempted: bool = False
    severity: Severity = Severity.UNKNOWN
    disposition: DispositionKind = DispositionKind.PENDING
    disposition_text: str = ""
    disposition_date: date | None = None
    updates: tuple[Update, ...] = ()
    sentence: Sentence | None = None
    confidence: float = 1.0
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The attempt flag is stated twice (on the charge and beside it); keep them equal.
        if self.charge is not None and self.charge.attempted != self.attempted:
            flag = self.charge.attempted or self.attempted
            object.__setattr__(self, "attempted", flag)
            object.__setattr__(self, "charge", replace(self.charge, attempted=flag))

    @property
    def convicted(self) -> bool:
        return self.disposition.is_conviction
