"""Only what reached the cardholder counts (issue 37, facts §12): a missed call, or a call or
letter to a family member, neither restarts the limitation period nor shows a stage; a message
to the cardholder's own number does, read or not."""

import pytest
from conftest import log_add


@pytest.fixture
def old_debt(cli):
    """A card overdue since 2021-01-05: time-barred by the records on 2024-01-05."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2021-01-05", "--amount", "20000")
    return cli


def _limitation(cli):
    risks = {r["key"]: r for r in cli.json("stage", "4821")["risks"]}
    return risks["limitation"]


@pytest.mark.parametrize(
    "how",
    [
        ("--channel", "call", "--party", "bank", "--missed"),
        ("--channel", "call", "--party", "bank", "--contacted", "family"),
        ("--channel", "letter", "--party", "agency", "--contacted", "母亲"),
        ("--channel", "call", "--party", "agency", "--direction", "unknown"),
    ],
)
def test_a_contact_that_did_not_reach_the_cardholder_restarts_nothing(old_debt, how):
    before = _limitation(old_debt)
    log_add(old_debt, "4821", "2023-12-20 10:00", *how[2:], channel=how[1])
    after = _limitation(old_debt)
    assert after == before and after["expired"], after
    assert old_debt.json("stage", "4821")["stage_by_evidence"] is None


@pytest.mark.parametrize(
    "how",
    [
        ("--channel", "call", "--party", "bank"),
        ("--channel", "sms", "--party", "bank"),
        ("--channel", "letter", "--party", "agency"),
    ],
)
def test_a_demand_that_reached_the_cardholder_restarts_the_period(old_debt, how):
    log_add(old_debt, "4821", "2023-12-20 10:00", *how[2:], channel=how[1])
    after = _limitation(old_debt)
    assert after["restarted_on"] == "2023-12-20" and after["runs_until"] == "2026-12-20"
