"""Issue 24: what every signed-in page reads for its layout (the person's schools, the unread count and the static
files' addresses) is read with plain SQL or remembered, and gives exactly what the ORM and Django give.
Rules: H3 (a person sees only the schools they hold a role in), A1 (the DSL is told what is waiting)."""

import pytest
from django.db.models import Q
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import set_script_prefix
from django.utils import timezone

from accounts.models import Membership
from harbour import jinja2 as harbour_jinja2
from harbour.context_processors import _unread
from notifications.models import Notification
from schools.current import current_school, switchable_schools
from schools.models import School

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


def _as_the_orm_reads_them(user):
    return list(School.objects.filter(id__in=user.access.school_ids()).only("id", "name", "slug", "nation"))


def _same(ours, theirs):
    assert [(s.id, s.name, s.slug, s.nation) for s in ours] == [(s.id, s.name, s.slug, s.nation) for s in theirs]
    assert [s.get_deferred_fields() for s in ours] == [s.get_deferred_fields() for s in theirs]
    assert all(s._state.db == t._state.db and not s._state.adding for s, t in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("person", ["diana", "lena", "otto", "adam"])
def test_h3_a_persons_schools_are_the_orms_in_its_order_in_one_query(world, person, django_assert_num_queries):
    user = getattr(world, person)
    user.access  # noqa: B018 - the roles are read before the count starts, as the signed-in middleware reads them
    with django_assert_num_queries(1):
        ours = switchable_schools(_request(user))
    assert ours, person
    _same(ours, _as_the_orm_reads_them(user))


def test_h3_schools_come_in_name_order_and_only_those_with_a_role(world, django_assert_num_queries):
    """Three schools named so that their ids and names run in opposite orders."""
    user = world.diana
    for name in ("Zephyr School", "Aardvark School"):
        school = School.objects.create(trust=world.trust, name=name, slug=name.split()[0].lower(), urn=name[:6],
                                       phase="primary")
        Membership.objects.create(user=user, school=school, role="staff")
    School.objects.create(trust=world.trust, name="Bystander School", slug="bystander", urn="990099", phase="primary")
    user = type(user).objects.get(pk=user.pk)
    ours = switchable_schools(_request(user))
    assert [s.name for s in ours] == ["Aardvark School", "Oakfield Primary", "Zephyr School"]
    _same(ours, _as_the_orm_reads_them(user))
    assert ours[0].phase == "primary"  # a field not read is read when asked for, as with .only()


def test_h3_a_person_with_no_school_reads_nothing(world, django_assert_num_queries):
    user = world.diana
    Membership.objects.filter(user=user).delete()
    user = type(user).objects.get(pk=user.pk)
    user.access  # noqa: B018 - the roles are read before the count starts
    request = _request(user)
    with django_assert_num_queries(0):
        assert switchable_schools(request) == [] and current_school(request) is None


def test_a1_the_unread_count_is_the_querysets(world, django_assert_num_queries):
    def notice(user, read):
        Notification.objects.create(user=user, school=world.oakfield, created_at=timezone.now(), text="t", url="/",
                                    read_at=timezone.now() if read else None)

    for user, read in [(world.diana, False), (world.diana, False), (world.diana, True), (world.dev, False)]:
        notice(user, read)
    for user in (world.diana, world.dev, world.hana):
        with django_assert_num_queries(1):
            ours = _unread(user)
        assert ours == Notification.objects.filter(user=user).unread().count()
    assert (_unread(world.diana), _unread(world.dev), _unread(world.hana)) == (2, 1, 0)
    assert Notification.objects.filter(Q(user=world.diana) & Q(read_at__isnull=True)).count() == 2


def test_a_static_files_address_is_djangos_under_each_script_prefix_and_setting():
    names = ["harbour/harbour.css", "vendor/govuk-frontend/govuk-frontend.min.css", "a name/with spaces?.js"]
    for _ in range(2):  # the first asks Django, the second is remembered
        assert [harbour_jinja2.static_url(n) for n in names] == [static(n) for n in names]
    with override_settings(STATIC_URL="/elsewhere/"):
        assert harbour_jinja2.static_url(names[0]) == static(names[0]) == "/elsewhere/harbour/harbour.css"
    with override_settings(STATIC_URL="static/"):  # relative: under the script prefix of the request
        try:
            set_script_prefix("/harbour/")
            assert harbour_jinja2.static_url(names[0]) == static(names[0]) == "/harbour/static/harbour/harbour.css"
        finally:
            set_script_prefix("/")
        assert harbour_jinja2.static_url(names[0]) == static(names[0])  # (the storage keeps its first base URL)
    assert harbour_jinja2.static_url(names[0]) == static(names[0])
