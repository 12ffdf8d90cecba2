"""`make bench` runs `python -m benchmarks` with no arguments: that must select every benchmark.

(Only the command line is checked here; the benchmarks themselves never run in the test suite.)
"""

from __future__ import annotations

import pytest

from benchmarks.__main__ import parse_args


def test_no_names_means_every_benchmark() -> None:
    assert parse_args([]).which == ["queue", "display", "workflow", "voice", "reports"]


def test_names_select_and_unknown_names_are_refused(capsys) -> None:
    assert parse_args(["queue", "--pg", ""]).which == ["queue"]
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["paspor"])
    assert exit_info.value.code == 2
    assert "unknown benchmark 'paspor'" in capsys.readouterr().err
