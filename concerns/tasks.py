from django_tasks import task

from concerns.models import Concern


@task()
def escalate_if_unacknowledged(concern_id):
    from concerns.actions import escalate

    concern = Concern.objects.filter(id=concern_id).first()
    return bool(concern) and escalate(concern=concern)


@task()
def escalate_if_no_key_adult(notice_id):
    """J4: at the start of the school day, if no key adult was named for a police notice's children."""
    from concerns.encompass import escalate_no_key_adult

    return escalate_no_key_adult(notice_id=notice_id)
