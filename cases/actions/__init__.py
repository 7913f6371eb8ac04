"""Every change to a case is one of these functions.

Each checks what it must, saves, adds a chronology entry, writes the audit row in the
same transaction, and notifies on commit. Views and the API call the same functions.
A refusal raises CaseError with a sentence the DSL can act on.

One module per part of the case; everything is importable from `cases.actions`.
"""

from cases.actions.answers import (  # noqa: F401 - the package re-exports its actions
    change_implied_answer,
    clean_facts,
    confirm_classification,
    record_review,
    reevaluate,
    update_answers,
)
from cases.actions.clocks import (  # noqa: F401 - the package re-exports its actions
    complete_required_steps,
    complete_task,
    escalate_task,
    set_review_date,
    why_not_skippable,
)
from cases.actions.closure import (  # noqa: F401 - the package re-exports its actions
    close_case,
    closure_blockers,
    outcome_blockers,
    outcomes_for,
    reopen_case,
    set_outcome,
)
from cases.actions.steps import complete_steps, event_happened  # noqa: F401 - the package re-exports its actions
from cases.actions.common import (  # noqa: F401 - the package re-exports its actions
    CaseError,
    add_entry,
    audit_case,
    case_url,
    require_manager,
    require_open,
    save_decision,
    schedule_escalations,
    team,
)
from cases.actions.decisions import (  # noqa: F401 - the package re-exports its actions
    decide_not_to_refer,
    pending_sign_offs_for,
    record_advice,
    record_consultation,
    record_decision,
    record_failed_signature,
    record_referral_not_made,
    sign,
    signers_for,
)
from cases.actions.opening import (  # noqa: F401 - the package re-exports its actions
    PROCEDURE_FOR,
    attach_to_case,
    involve_senco,
    open_case,
)
from cases.actions.people import (  # noqa: F401 - the package re-exports its actions
    DEPICTS_STAFF,
    add_member,
    asks_about_staff,
    clear_depicted_staff,
    record_depicted_staff,
    add_note,
)
from cases.actions.takedown import children_for_takedown, record_takedown, suggested_service  # noqa: F401 - the package re-exports its actions
from cases.actions.referrals import (  # noqa: F401 - the package re-exports its actions
    record_referral,
    record_response,
)
from cases.actions.versions import keep_version, move_to_current  # noqa: F401 - re-exported (J7)
