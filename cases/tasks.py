from django_tasks import task


@task()
def escalate_if_overdue(task_id):
    """E7: queued for each task's due time when the case opens; does nothing if it was done."""
    from cases.actions import escalate_task

    return escalate_task(task_id=task_id)
