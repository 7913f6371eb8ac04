from django_tasks import task

from concerns.models import Concern


@task()
def escalate_if_unacknowledged(concern_id):
    from concerns.actions import escalate

    concern = Concern.objects.filter(id=concern_id).first()
    return bool(concern) and escalate(concern=concern)
