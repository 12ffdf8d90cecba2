"""Survei Kepuasan Masyarakat (SKM) and the Indeks Kepuasan Masyarakat (IKM), as PermenPANRB
No. 14 Tahun 2017 prescribes: nine unsur on a four-point scale, NRR per unsur, each unsur
weighted 1/9, the conversion to 25-100, the mutu pelayanan A-D, and the Krejcie-Morgan minimum
sample for the period's population. Plain Python; exact arithmetic (fractions), rounded only
for display.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# code -> (unsur name, question, wording of answers 1..4) - the regulation's questionnaire
# (Lampiran, contoh kuesioner), in the order of its nine unsur.
UNSUR: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "U1": ("Persyaratan",
           "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
           "pelayanannya?",
           ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    "U2": ("Sistem, Mekanisme, dan Prosedur",
           "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
           ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    "U3": ("Waktu Penyelesaian",
           "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
           ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    "U4": ("Biaya/Tarif",
           "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
           ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    "U5": ("Produk Spesifikasi Jenis Pelayanan",
           "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
           "dalam standar pelayanan dengan hasil yang diberikan?",
           ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    "U6": ("Kompetensi Pelaksana",
           "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
           ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    "U7": ("Perilaku Pelaksana",
           "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
           "kesopanan dan keramahan?",
           ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
            "Sangat sopan dan ramah")),
    "U8": ("Penanganan Pengaduan, Saran dan Masukan",
           "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
           ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
            "Dikelola dengan baik")),
    "U9": ("Sarana dan Prasarana",
           "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
           ("Buruk", "Cukup", "Baik", "Sangat baik")),
}
UNSUR_CODES = tuple(UNSUR)
WEIGHT = Fraction(1, len(UNSUR_CODES))  # "bobot nilai rata-rata tertimbang" = 1/9
CONVERSION = 25  # IKM unit pelayanan x 25 -> 25..100

# Respondent profile the questionnaire asks for: value -> label.
GENDERS = {"L": "Laki-laki", "P": "Perempuan"}
EDUCATIONS = {"sd": "SD ke bawah", "smp": "SMP", "sma": "SMA", "d1-d3": "D1/D2/D3",
              "d4-s1": "D4/S1", "s2+": "S2 ke atas"}
OCCUPATIONS = {"pns": "PNS/TNI/Polri", "swasta": "Pegawai swasta",
               "wiraswasta": "Wiraswasta/Usahawan", "pelajar": "Pelajar/Mahasiswa",
               "lainnya": "Lainnya"}
AGE_RANGE = (10, 120)

# Tabel nilai persepsi, interval IKM, interval konversi IKM, mutu pelayanan dan kinerja unit
# pelayanan (PermenPANRB 14/2017, Bab III): lowest converted value of each band -> mutu, kinerja.
MUTU_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

# Krejcie & Morgan (1970), Table 1, the table the regulation cites: population N -> sample S.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113),
    (170, 118), (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144),
    (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169),
    (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205),
    (460, 210), (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248),
    (750, 254), (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285),
    (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317),
    (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341),
    (3500, 346), (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367),
    (9000, 368), (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380),
    (50000, 381), (75000, 382), (1000000, 384),
)
_KM_POPULATIONS = [n for n, _ in KREJCIE_MORGAN]


def minimum_sample(population: int) -> int:
    """The table's sample for ``population``; between two rows the larger (safer) row counts;
    a population below the first row is surveyed whole."""
    if population <= 0:
        return 0
    if population < _KM_POPULATIONS[0]:
        return population
    index = bisect.bisect_left(_KM_POPULATIONS, population)
    if index >= len(KREJCIE_MORGAN):
        return KREJCIE_MORGAN[-1][1]
    return min(population, KREJCIE_MORGAN[index][1])


def round2(value: Fraction | Decimal) -> Decimal:
    """Two decimals, half up (as the regulation's worked example rounds)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def round3(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def mutu(converted: Decimal) -> tuple[str, str]:
    """Mutu pelayanan and kinerja unit pelayanan of a converted IKM (25..100, two decimals)."""
    for lowest, grade, label in MUTU_BANDS:
        if converted >= lowest:
            return grade, label
    return MUTU_BANDS[-1][1], MUTU_BANDS[-1][2]


@dataclasses.dataclass(frozen=True)
class UnsurResult:
    code: str
    name: str
    answered: int
    total: int
    nrr: Fraction | None  # nilai rata-rata: total / answered

    @property
    def converted(self) -> Decimal | None:
        return None if self.nrr is None else round2(self.nrr * CONVERSION)


@dataclasses.dataclass(frozen=True)
class IkmResult:
    respondents: int
    unsur: tuple[UnsurResult, ...]
    ikm: Decimal | None  # converted, 25..100, two decimals
    mutu: str | None
    kinerja: str | None
    population: int
    sample_needed: int

    @property
    def sample_reached(self) -> bool:
        return self.respondents >= self.sample_needed and self.respondents > 0

    @property
    def lowest(self) -> UnsurResult | None:
        """The improvement priority: the unsur with the lowest NRR (first of ties)."""
        rated = [u for u in self.unsur if u.nrr is not None]
        return min(rated, key=lambda u: u.nrr or 0) if rated else None


def compute_ikm(responses: Iterable[Mapping[str, int]], population: int) -> IkmResult:
    """IKM of a set of responses (each a mapping unsur code -> 1..4; an unsur may be missing).

    NRR per unsur is over the respondents who answered it. IKM unit pelayanan is the sum of
    NRR x 1/9; when an unsur has no answer at all the weights are spread over the unsur that
    have (the average of their NRR), so an unanswered unsur neither counts as 0 nor as 4.
    """
    totals = dict.fromkeys(UNSUR_CODES, 0)
    counts = dict.fromkeys(UNSUR_CODES, 0)
    respondents = 0
    for answers in responses:
        respondents += 1
        for code, value in answers.items():
            if code in totals and value is not None:
                totals[code] += int(value)
                counts[code] += 1
    results = tuple(
        UnsurResult(code, UNSUR[code][0], counts[code], totals[code],
                    Fraction(totals[code], counts[code]) if counts[code] else None)
        for code in UNSUR_CODES)
    rated = [r.nrr for r in results if r.nrr is not None]
    ikm = grade = label = None
    if rated:
        weight = WEIGHT if len(rated) == len(UNSUR_CODES) else Fraction(1, len(rated))
        ikm = round2(sum(rated, Fraction(0)) * weight * CONVERSION)
        grade, label = mutu(ikm)
    return IkmResult(respondents, results, ikm, grade, label, population,
                     minimum_sample(population))


def answer_label(code: str, value: int) -> str:
    return UNSUR[code][2][value - 1]
