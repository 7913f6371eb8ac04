"""Other clocks that the E7 sweep (`manage.py escalate_overdue_tasks`, from cron) runs besides the case tasks'.

Apps above cases add theirs in their AppConfig.ready() with `also_sweep`; cases never imports them
(docs/architecture.md). Each is a function of the time now that does its work and returns one line saying what
it did: transfers chases child protection files whose receipt is late (H5).
"""

OTHER_CLOCKS = []


def also_sweep(clock):
    if clock not in OTHER_CLOCKS:
        OTHER_CLOCKS.append(clock)
    return clock
