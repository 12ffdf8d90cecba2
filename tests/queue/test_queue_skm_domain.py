"""SKM/IKM arithmetic (PermenPANRB 14/2017) against hand-computed tables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from queue_service.domain import skm


def _resp(*values: int | None) -> dict[str, int]:
    return {f"U{i}": v for i, v in enumerate(values, start=1) if v is not None}


# Five respondents; hand-computed per unsur:
#        U1  U2  U3  U4  U5  U6  U7  U8  U9
# R1      4   3   3   4   3   4   4   3   3
# R2      3   3   2   4   3   3   4   2   3
# R3      4   4   3   4   4   4   4   3   4
# R4      3   2   2   4   3   3   3   2   3
# R5      4   3   3   4   3   4   4   3   3
# total  18  15  13  20  16  18  19  13  16
# NRR   3.6 3.0 2.6 4.0 3.2 3.6 3.8 2.6 3.2   sum 29.6
# IKM = 29.6 x 1/9 = 3.2889; x 25 = 82.22 -> B "Baik"; lowest U3 (tie with U8, first)
FULL = [_resp(4, 3, 3, 4, 3, 4, 4, 3, 3), _resp(3, 3, 2, 4, 3, 3, 4, 2, 3),
        _resp(4, 4, 3, 4, 4, 4, 4, 3, 4), _resp(3, 2, 2, 4, 3, 3, 3, 2, 3),
        _resp(4, 3, 3, 4, 3, 4, 4, 3, 3)]
FULL_NRR = ["3.6", "3.0", "2.6", "4.0", "3.2", "3.6", "3.8", "2.6", "3.2"]


def test_nrr_per_unsur_ikm_conversion_and_mutu_match_the_hand_table() -> None:
    result = skm.compute_ikm(FULL, population=5)
    assert [u.nrr for u in result.unsur] == [Fraction(n) for n in FULL_NRR]
    assert [u.answered for u in result.unsur] == [5] * 9
    assert [u.converted for u in result.unsur] == [
        Decimal(n) * 25 for n in FULL_NRR]
    assert result.ikm == Decimal("82.22")
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert result.respondents == 5
    assert result.lowest is not None and result.lowest.code == "U3"


def test_an_unsur_left_blank_by_some_counts_over_those_who_answered() -> None:
    # U4 answered by R3 and R4 only (4, 4) -> 4.0; U8 blank for R4 -> (4+3+2)/3 = 3.0;
    # the others (4+3+2+3)/4 = 3.0. Sum 7x3.0 + 4.0 + 3.0 = 28; /9 x 25 = 77.78 -> B.
    # Counting a blank as 0 would give U4 = 2.0 and U8 = 2.25 instead.
    responses = [_resp(4, 4, 4, None, 4, 4, 4, 4, 4), _resp(3, 3, 3, None, 3, 3, 3, 3, 3),
                 _resp(2, 2, 2, 4, 2, 2, 2, 2, 2), _resp(3, 3, 3, 4, 3, 3, 3, None, 3)]
    result = skm.compute_ikm(responses, population=4)
    by_code = {u.code: u for u in result.unsur}
    assert by_code["U4"].answered == 2 and by_code["U4"].nrr == 4
    assert by_code["U8"].answered == 3 and by_code["U8"].nrr == 3
    assert by_code["U1"].nrr == 3
    assert result.ikm == Decimal("77.78")
    assert (result.mutu, result.kinerja) == ("B", "Baik")


def test_an_unsur_nobody_answered_is_left_out_of_the_average() -> None:
    responses = [{"U1": 4, "U2": 2}, {"U1": 4, "U2": 2}]
    result = skm.compute_ikm(responses, population=2)
    assert result.unsur[2].nrr is None and result.unsur[2].converted is None
    assert result.ikm == Decimal("75.00")  # (4 + 2) / 2 x 25
    assert result.mutu == "C"


@pytest.mark.parametrize(("converted", "grade", "label"), [
    ("100.00", "A", "Sangat Baik"), ("88.31", "A", "Sangat Baik"), ("88.30", "B", "Baik"),
    ("76.61", "B", "Baik"), ("76.60", "C", "Kurang Baik"), ("65.00", "C", "Kurang Baik"),
    ("64.99", "D", "Tidak Baik"), ("25.00", "D", "Tidak Baik"),
])
def test_mutu_bands_follow_the_regulation_table(converted: str, grade: str, label: str) -> None:
    assert skm.mutu(Decimal(converted)) == (grade, label)


def test_extremes_of_the_scale_convert_to_25_and_100() -> None:
    assert skm.compute_ikm([_resp(*[4] * 9)], 1).ikm == Decimal("100.00")
    low = skm.compute_ikm([_resp(*[1] * 9)], 1)
    assert (low.ikm, low.mutu) == (Decimal("25.00"), "D")


def test_no_responses_gives_no_index_and_sample_not_reached() -> None:
    result = skm.compute_ikm([], population=100)
    assert result.ikm is None and result.mutu is None and result.lowest is None
    assert result.sample_needed == 80 and not result.sample_reached


@pytest.mark.parametrize(("population", "sample"), [
    (0, 0), (6, 6), (10, 10), (100, 80), (101, 86), (278, 162), (1000, 278), (5000, 357),
    (75000, 382), (2_000_000, 384),
])
def test_krejcie_morgan_minimum_sample(population: int, sample: int) -> None:
    assert skm.minimum_sample(population) == sample


def test_sample_reached_when_respondents_meet_the_table() -> None:
    assert skm.compute_ikm(FULL, population=5).sample_reached
    assert not skm.compute_ikm(FULL, population=100).sample_reached


def test_every_unsur_has_a_question_and_four_answers_worst_first() -> None:
    assert len(skm.UNSUR) == 9
    for name, question, answers in skm.UNSUR.values():
        assert name and question.endswith("?") and len(answers) == 4
    assert skm.answer_label("U4", 4) == "Gratis"
