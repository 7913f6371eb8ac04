"""The capability table is the one place that says what a role may do."""

from accounts.capabilities import CAPABILITIES, Capability, Role, TrustRole

C = Capability


def test_every_role_has_an_entry():
    assert set(CAPABILITIES) == set(Role.values) | set(TrustRole.values)


def test_r_g4_governors_see_numbers_never_names():
    for role in (Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS):
        assert not CAPABILITIES[role] & {C.VIEW_PUPIL_RECORDS, C.READ_CASES, C.SEARCH_PUPILS}
        assert C.VIEW_GOVERNOR_REPORT in CAPABILITIES[role]


def test_r_a4_allegations_go_to_the_headteacher_and_chair_not_the_dsl_queue():
    holders = {role for role, caps in CAPABILITIES.items() if C.RECEIVE_STAFF_ALLEGATIONS in caps}
    assert holders == {Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS}


def test_r_a1_every_adult_in_a_school_can_report_a_concern():
    for role in Role:
        assert C.REPORT_CONCERN in CAPABILITIES[role], role


def test_the_trust_administrator_never_reads_cases():
    assert not CAPABILITIES[TrustRole.ADMINISTRATOR] & {C.READ_CASES, C.VIEW_PUPIL_RECORDS, C.RECEIVE_CONCERNS}
