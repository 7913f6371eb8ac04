"""Issue 24: a queryset compiled once (lib/compiled.py) gives what the ORM gives, call after call, with other ids; it
keeps no value of a call, and refuses a queryset whose SQL would not follow the ids. Runs on SQLite and PostgreSQL
(`./scripts/test.sh`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import actions
from cases.models import Task
from cases.tests.helpers import make_case
from lib.compiled import Compiled
from schools.models import Pupil

pytestmark = pytest.mark.django_db


def _tasks(case_id):
    return (Task.objects.filter(case_id=case_id).select_related("completed_by")
            .only("id", "case_id", "key", "title", "due_at", "completed_at", "completed_by_id",
                  "completed_by__full_name").order_by("due_at", "id"))


def _same(compiled, orm):
    """The same rows, in the same order, with the same loaded fields, deferred fields and related objects."""
    assert [o.pk for o in compiled] == [o.pk for o in orm]
    for a, b in zip(compiled, orm, strict=True):
        assert type(a) is type(b) and a.get_deferred_fields() == b.get_deferred_fields()
        assert {k: v for k, v in vars(a).items() if k != "_state"} == {k: v for k, v in vars(b).items()
                                                                      if k != "_state"}
        assert a._state.adding is b._state.adding is False and a._state.db == b._state.db
        for name, related in b._state.fields_cache.items():
            mine = a._state.fields_cache[name]
            assert (mine is None and related is None) or (
                vars(mine).keys() == vars(related).keys() and mine.pk == related.pk
                and mine.get_deferred_fields() == related.get_deferred_fields())


def test_a_compiled_queryset_gives_what_the_orm_gives_for_each_case(world):
    first, second = make_case(world), make_case(world)
    task = first.tasks.filter(completed_at__isnull=True).order_by("id").first()
    actions.complete_task(user=world.diana, task=task, done=True)
    tasks = Compiled(_tasks)
    for case in (first, second, first):
        _same(tasks(case.id), list(_tasks(case.id)))
    done = next(t for t in tasks(first.id) if t.id == task.id)
    assert done.completed_by.full_name == "Diana Dsl" and done.completed_by.get_deferred_fields() >= {"email"}
    assert tasks(10**9) == []


def test_compiled_once_then_run_with_other_ids_in_one_query_each(world):
    """The SQL is compiled on the first call only; each call is one query; the SQL kept holds no id of a call."""
    case = make_case(world)
    tasks = Compiled(_tasks)
    tasks(case.id)
    (held,) = tasks._held.values()
    with CaptureQueriesContext(connection) as run:
        tasks(case.id)
    assert len(run) == 1 and run[0]["sql"].startswith("SELECT")
    assert case.id not in held.params and str(case.id) not in held.sql
    assert list(tasks._held.values()) == [held]


def test_a_list_of_ids_is_a_shape_per_length_and_an_empty_one_asks_nothing(world, django_assert_num_queries):
    from tests.people import make_pupil

    pupils = [world.pupil, make_pupil(world.oakfield, "Polly", "Puddlewick", "A999000000004"),
              make_pupil(world.oakfield, "Ruby", "Rainbird", "A999000000005")]
    by_ids = Compiled(lambda ids: Pupil.objects.filter(id__in=ids).only("id", "legal_last_name").order_by("id"))
    for ids in ([pupils[0].id], [p.id for p in pupils], [pupils[2].id, pupils[1].id]):
        _same(by_ids(ids), list(Pupil.objects.filter(id__in=ids).only("id", "legal_last_name").order_by("id")))
    assert len(by_ids._held) == 3  # lengths 1, 3 and 2
    with django_assert_num_queries(0):
        assert by_ids([]) == []


def test_an_id_asked_twice_takes_both_places(world):
    """A value may appear more than once in the SQL (households ask for the pupils in a subquery and outside it)."""
    from django.db.models import Q

    def build(pupil_id):
        return Pupil.objects.filter(Q(id=pupil_id) | Q(id__in=Pupil.objects.filter(id=pupil_id).values("id")))

    assert [p.id for p in Compiled(build)(world.pupil.id)] == [world.pupil.id]


def test_known_related_objects_are_the_instance_given(world):
    case = make_case(world)
    tasks = Compiled(_tasks)(case.id, known={"case": case})
    assert tasks and all(t.case is case for t in tasks)


def test_a_queryset_that_does_not_follow_its_ids_is_refused(world):
    with pytest.raises(RuntimeError, match="not among its parameters"):
        Compiled(lambda case_id: Task.objects.filter(case_id=1))(5)
    with pytest.raises(RuntimeError, match="cannot place"):
        Compiled(lambda case_id: Task.objects.filter(case_id=case_id, id__gt=-3))(5)


def test_a_word_takes_its_place_as_an_id_does(world):
    """The case page's procedure version rows are read by school, trust and procedure id (a word)."""
    from procedures.models import ProcedureOverride

    def build(school_id, procedure_id):
        return ProcedureOverride.objects.filter(school_id=school_id, procedure_id=procedure_id).order_by("id")

    from django.utils import timezone

    for pid, version in (("nudes-sharing", 1), ("nudes-sharing", 2), ("online-hate", 1)):
        ProcedureOverride.objects.create(school=world.oakfield, procedure_id=pid, version=version, changes={},
                                         reason="Our own words.", created_by=world.diana, created_at=timezone.now())
    rows = Compiled(build)
    assert [r.version for r in rows(world.oakfield.id, "nudes-sharing")] == [1, 2]
    for pid in ("nudes-sharing", "online-hate", "sexting"):
        _same(rows(world.oakfield.id, pid), list(build(world.oakfield.id, pid)))
    assert len(rows._held) == 1
