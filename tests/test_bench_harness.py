"""The benchmark table says, for each result with a target, whether the same-run ratio met it."""

from bench.harness import Result, to_markdown


def _result(subject: float, baseline: float, **target: float) -> Result:
    return Result("sync", "drain", subject, "bulk insert", baseline, "s", **target)


def test_target_at_most_is_met_up_to_the_bound_and_not_beyond() -> None:
    assert _result(10.0, 1.0, target_max=10).target() == "≤ 10× met"
    assert _result(10.5, 1.0, target_max=10).target() == "≤ 10× not met"


def test_target_at_least_reads_the_other_way() -> None:
    assert _result(1.2, 1.0, target_min=1).target() == "≥ 1× met"
    assert _result(0.6, 1.0, target_min=1).target() == "≥ 1× not met"


def test_the_table_has_a_target_column_empty_where_there_is_none() -> None:
    table = to_markdown([_result(2.0, 1.0, target_max=3), _result(5.0, 1.0)], "now")
    rows = [line for line in table.splitlines() if line.startswith("| sync")]
    assert rows[0].split(" | ")[6] == "≤ 3× met"
    assert rows[1].split(" | ")[6] == ""
