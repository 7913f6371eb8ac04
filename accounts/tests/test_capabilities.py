"""The capability table is the one place that says what a role may do."""

from accounts.capabilities import CAPABILITIES, Capability, Role, TrustRole, roles_with

C = Capability


def test_every_role_has_an_entry():
    assert set(CAPABILITIES) == set(Role.values) | set(TrustRole.values)


def test_r_g4_governors_see_numbers_never_names():
    for role in (Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS):
        assert not CAPABILITIES[role] & {C.VIEW_PUPIL_RECORDS, C.READ_CASES, C.SEARCH_PUPILS}
        assert C.VIEW_GOVERNOR_REPORT in CAPABILITIES[role]


def test_r_a4_allegations_go_to_the_headteacher_and_chair_not_the_dsl_queue():
    """Concerns about staff reach the headteacher alone; about the headteacher, the chair alone. Neither is in
    the safeguarding team's queue, and the chair never receives concerns about other staff."""
    holders = {role for role, caps in CAPABILITIES.items() if C.RECEIVE_STAFF_ALLEGATIONS in caps}
    assert holders == {Role.HEADTEACHER}
    holders = {role for role, caps in CAPABILITIES.items() if C.RECEIVE_HEADTEACHER_ALLEGATIONS in caps}
    assert holders == {Role.CHAIR_OF_GOVERNORS}
    for role in (Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS):
        assert C.RECEIVE_CONCERNS not in CAPABILITIES[role]


def test_r_a5_those_told_of_filtering_breaches_do_not_manage_concerns_or_cases():
    """Technical staff and the online-safety coordinator are told of breaches; being told is not managing."""
    for role in (Role.TECHNICAL, Role.ONLINE_SAFETY_COORDINATOR):
        assert C.RECEIVE_FILTERING_ALERTS in CAPABILITIES[role]
        assert not CAPABILITIES[role] & {C.RECEIVE_CONCERNS, C.READ_CASES, C.MANAGE_CASES}, role


def test_r_a1_escalations_reach_the_deputies_and_headteacher():
    assert roles_with(C.RECEIVE_ESCALATIONS) == {Role.DEPUTY_DSL, Role.HEADTEACHER}


def test_r_a1_every_adult_in_a_school_can_report_a_concern():
    for role in Role:
        assert C.REPORT_CONCERN in CAPABILITIES[role], role


def test_the_trust_administrator_never_reads_cases():
    assert not CAPABILITIES[TrustRole.ADMINISTRATOR] & {C.READ_CASES, C.VIEW_PUPIL_RECORDS, C.RECEIVE_CONCERNS}
