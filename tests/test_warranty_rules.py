"""Warranty entitlement (三包), a test for every clause and boundary, without Odoo."""

from datetime import date, timedelta

import pytest
from conftest import load_pure
from hypothesis import given
from hypothesis import strategies as st

rules = load_pure("complaint_service", "warranty_rules")

INVOICE = date(2025, 3, 10)


def check(days=10, km=1000, fault="other", **history):
    return rules.check(INVOICE, INVOICE + timedelta(days=days), km, fault, history)


@pytest.mark.parametrize(
    ("days", "km", "applies"),
    [
        (60, 100, True),
        (61, 100, False),
        (10, 2999, True),
        (10, 3000, False),
        (0, 0, True),
        (61, 3000, False),
    ],
)
@pytest.mark.parametrize("fault", ["steering", "brakes", "body_crack", "fuel_leak"])
def test_early_failure_60_days_or_3000_km(fault, days, km, applies):
    result = check(days, km, fault)
    assert result.clause("early_failure").applies is applies
    assert result.replacement_or_refund_due is applies


def test_early_failure_only_for_the_listed_faults():
    assert not check(5, 100, "engine").clause("early_failure").applies
    assert not check(5, 100, "other").replacement_or_refund_due


def year_boundary(years):
    anniversary = INVOICE.replace(year=INVOICE.year + years)
    return (anniversary - INVOICE).days


@pytest.mark.parametrize(
    ("days_offset", "km", "inside"),
    [
        (-1, 100, True),
        (0, 100, False),
        (-1, 49_999, True),
        (-1, 50_000, False),
        (-400, 50_000, False),
        (0, 10, False),
    ],
)
def test_three_guarantee_2_years_or_50000_km_first_reached(days_offset, km, inside):
    result = check(year_boundary(2) + days_offset, km)
    assert result.within_three_guarantee is inside
    assert result.clause("three_guarantee").applies is inside


@pytest.mark.parametrize(
    ("days_offset", "km", "inside"),
    [(-1, 100, True), (0, 100, False), (-1, 59_999, True), (-1, 60_000, False)],
)
def test_repair_warranty_3_years_or_60000_km_first_reached(days_offset, km, inside):
    assert check(year_boundary(3) + days_offset, km).within_repair_warranty is inside


def test_between_guarantee_and_repair_warranty():
    result = check(year_boundary(2) + 10, 55_000)
    assert result.within_repair_warranty and not result.within_three_guarantee


@pytest.mark.parametrize(("repairs", "due"), [(1, False), (2, True), (3, True)])
@pytest.mark.parametrize("fault", ["steering", "brakes", "fuel_leak", "safety"])
def test_serious_safety_fault_after_two_repairs(fault, repairs, due):
    result = check(200, 20_000, fault, same_fault_repairs=repairs)
    assert result.clause("safety_after_repairs").applies is due


def test_safety_clause_needs_the_three_guarantee_period():
    result = check(year_boundary(2), 20_000, "brakes", same_fault_repairs=3)
    assert not result.clause("safety_after_repairs").applies


@pytest.mark.parametrize(("replacements", "due"), [(1, False), (2, True)])
@pytest.mark.parametrize("fault", ["engine", "gearbox", "main_part"])
def test_engine_gearbox_or_main_part_replaced_twice(fault, replacements, due):
    result = check(300, 30_000, fault, major_part_replacements=replacements)
    assert result.clause("major_part_replaced").applies is due


def test_major_part_clause_not_for_other_faults():
    assert (
        not check(300, 30_000, "other", major_part_replacements=4)
        .clause("major_part_replaced")
        .applies
    )


@pytest.mark.parametrize(("days_in_workshop", "due"), [(35, False), (36, True)])
def test_cumulative_repair_time_over_35_days(days_in_workshop, due):
    result = check(300, 30_000, "other", repair_days=days_in_workshop)
    assert result.clause("cumulative_repair_days").applies is due


@pytest.mark.parametrize(("repairs", "due"), [(5, False), (6, True)])
def test_same_problem_repaired_more_than_5_times(repairs, due):
    result = check(300, 30_000, "other", same_fault_repairs=repairs)
    assert result.clause("same_problem_repairs").applies is due


def test_outside_three_guarantee_no_replacement_clause():
    result = check(
        year_boundary(2) + 1,
        10_000,
        "engine",
        same_fault_repairs=9,
        repair_days=90,
        major_part_replacements=3,
    )
    assert not result.replacement_or_refund_due
    assert result.within_repair_warranty


def test_limits_are_configuration():
    result = rules.check(
        INVOICE, INVOICE + timedelta(days=80), 100, "brakes", {}, {"early_days": 90}
    )
    assert result.clause("early_failure").applies


def test_leap_day_invoice():
    invoice = date(2024, 2, 29)
    assert rules.add_years(invoice, 2) == date(2026, 2, 28)
    assert rules.check(invoice, date(2026, 2, 27), 10, "other").within_three_guarantee
    assert not rules.check(invoice, date(2026, 2, 28), 10, "other").within_three_guarantee


@pytest.mark.parametrize(
    ("on", "km"), [(INVOICE - timedelta(days=1), 10), (INVOICE, -1), (INVOICE, None)]
)
def test_bad_input(on, km):
    with pytest.raises(ValueError):
        rules.check(INVOICE, on, km, "other")


@given(st.integers(0, 2000), st.integers(0, 200_000), st.integers(0, 200_000))
def test_more_kilometres_never_extend_a_period(days, km, more):
    on = INVOICE + timedelta(days=days)
    low = rules.check(INVOICE, on, km, "other")
    high = rules.check(INVOICE, on, km + more, "other")
    assert high.within_three_guarantee <= low.within_three_guarantee
    assert high.within_repair_warranty <= low.within_repair_warranty
    # The three-guarantee period never outlasts the repair warranty.
    assert low.within_three_guarantee <= low.within_repair_warranty
