def mfa_not_required(view_func):
    """Mark a view reachable by a password-only session (sign-in, enrolment, sign-out)."""
    view_func.mfa_required = False
    return view_func
