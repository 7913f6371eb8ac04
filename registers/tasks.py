from django_tasks import task


@task()
def alert_overdue_reviews():
    """I1, J6: tell owners and headteachers about policy reviews, and the filtering and monitoring review, that
    have become overdue (once each).

    Queue it daily from a scheduler, or run `manage.py alert_overdue_reviews` from cron: both call
    the same idempotent action, so running either twice sends nothing new.
    """
    from registers.actions import alert_overdue_filtering_reviews, alert_overdue_policy_reviews

    return alert_overdue_policy_reviews() + alert_overdue_filtering_reviews()
