from django_tasks import task


@task()
def write_trail_head():
    """S3: record the audit trail's head outside the database (audit.head). Run hourly: from cron or a systemd
    timer with `manage.py write_audit_head`, or queue this job from a scheduler (`write_audit_head --queue`)."""
    from audit import head

    return head.write("hourly")["seq"]
