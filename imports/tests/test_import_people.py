"""Importing pupils, parents and carers, and staff from a MIS export (CSV)."""

import io
import time

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.models import Membership, User
from audit.models import AuditEvent
from imports.actions import ImportRefused, import_people
from lib.tests import samples
from schools.models import Carer, Pupil, PupilCarer
from tests.people import make_pupil

pytestmark = pytest.mark.django_db

PUPILS = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,SEN Status,In Care\r\n"
    "B100000000001,Ashdown,Amelia,Millie,03/09/2014,F,Year 7,K,N\r\n"
    "B100000000002,Brook,Benjamin,,21/01/2014,Male,7,N,Yes\r\n"
    "B100000000003,Cole,Chloe,,2019-06-30,F,R,E,\r\n"
)


def csv_bytes(text):
    return text.encode("utf-8")


def audit_count():
    return AuditEvent.objects.count()


def test_pupils_are_imported_with_the_usual_mis_columns(world):
    result = import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    assert result.errors == [] and result.counts["added"] == 3
    amelia = Pupil.objects.get(upn="B100000000001")
    assert (amelia.legal_first_name, amelia.preferred_first_name, amelia.display_name) == ("Amelia", "Millie",
                                                                                           "Millie Ashdown")
    assert (str(amelia.date_of_birth), amelia.sex, amelia.year_group, amelia.sen_status) == ("2014-09-03", "F", 7,
                                                                                           "K")
    assert Pupil.objects.get(upn="B100000000002").is_looked_after is True
    chloe = Pupil.objects.get(upn="B100000000003")
    assert (chloe.year_group, chloe.sen_status, chloe.school) == (0, "E", world.oakfield)
    # H2: one audit event per pupil created, plus one for the import, all naming who imported.
    assert AuditEvent.objects.filter(object_type="pupil", action="create", actor=world.adam).count() == 3
    assert AuditEvent.objects.filter(object_type="people_import").count() == 1


def test_importing_the_same_file_twice_changes_nothing_and_audits_nothing(world):
    import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam, full=True)
    before = (list(Pupil.objects.order_by("id").values()), audit_count())
    again = import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam, full=True)
    assert again.counts == {"unchanged": 3, "added": 0, "updated": 0, "marked as left": 0}
    assert (list(Pupil.objects.order_by("id").values()), audit_count()) == before


def test_a_changed_row_updates_only_what_changed(world):
    import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    changed = PUPILS.replace("Year 7,K,N", "Year 8,E,N")
    result = import_people(school=world.oakfield, data=csv_bytes(changed), actor=world.adam)
    assert result.counts["updated"] == 1 and result.counts["unchanged"] == 2
    event = AuditEvent.objects.get(object_type="pupil", action="update")
    assert event.changed_fields == ["sen_status", "year_group"] and event.detail["line"] == 2


def test_bad_rows_are_reported_by_line_and_good_rows_still_import(world):
    text = PUPILS + (
        "B100000000004,Dale,Dev,,31/02/2014,M,7,N,N\r\n"  # line 5: no such date
        "B100000000005,Eden,Eva,,01/01/2014,X,7,N,N\r\n"  # line 6
        "NOT-A-UPN,Ford,Finn,,01/01/2014,M,7,N,N\r\n"  # line 7
        "B100000000006,\"Gale, \"\"Jr\"\"\nsecond line\",Gus,,01/01/2014,M,Year 15,N,N\r\n"  # lines 8-9
        "B100000000001,Ashdown,Amelia,,03/09/2014,F,7,K,N\r\n"  # line 10: UPN again
        "B100000000007,Hart,Holly,,01/01/2014,F,7,Q,maybe\r\n"  # line 11
        "B100000000008,,Ivy,,01/01/2014,F,7,N,N\r\n"  # line 12
    )
    result = import_people(school=world.oakfield, data=csv_bytes(text), actor=world.adam)
    assert [p.line for p in result.errors] == [5, 6, 7, 8, 10, 11, 12]
    reasons = {p.line: p.message for p in result.errors}
    assert "31/02/2014" in reasons[5] and "Gender 'X'" in reasons[6] and "NOT-A-UPN" in reasons[7]
    assert result.errors[1][1:3] == ("Gender", "X")  # each names its line, column and value
    assert "Year 15" in reasons[8] and "line 2 already" in reasons[10] and "SEN status 'Q'" in reasons[11]
    assert "legal surname is blank" in reasons[12].lower()
    assert result.counts["added"] == 3
    assert set(Pupil.objects.filter(school=world.oakfield).values_list("upn", flat=True)) == {
        world.pupil.upn, "B100000000001", "B100000000002", "B100000000003"}


def test_leavers_are_marked_left_never_deleted_and_come_back_on_roll(world):
    with time_machine.travel("2026-07-22 12:00 +01:00"):
        import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
        partial = PUPILS.replace("B100000000002,Brook,Benjamin,,21/01/2014,Male,7,N,Yes\r\n", "")
        # Without --full, a missing pupil is left alone.
        assert import_people(school=world.oakfield, data=csv_bytes(partial), actor=world.adam).counts[
            "marked as left"] == 0
        result = import_people(school=world.oakfield, data=csv_bytes(partial), actor=world.adam, full=True)
    assert result.counts["marked as left"] == 2  # Benjamin, and Quentin from the world
    benjamin = Pupil.objects.get(upn="B100000000002")
    assert str(benjamin.left_on) == "2026-07-22"
    world.pupil.refresh_from_db()
    assert str(world.pupil.left_on) == "2026-07-22"
    assert Pupil.objects.filter(school=world.oakfield).count() == 4
    assert AuditEvent.objects.filter(object_type="pupil", object_id=str(benjamin.id), changed_fields=["left_on"],
                                     detail__reason="not_in_full_pupil_file").count() == 1
    # Another school's pupils are never touched.
    world.elm_pupil.refresh_from_db()
    assert world.elm_pupil.left_on is None
    back = import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    assert back.counts["updated"] == 1
    benjamin.refresh_from_db()
    assert benjamin.left_on is None


def test_a_bad_row_in_a_full_file_never_marks_that_pupil_as_left(world):
    import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    typo = PUPILS.replace("21/01/2014", "21/13/2014")
    result = import_people(school=world.oakfield, data=csv_bytes(typo), actor=world.adam, full=True)
    assert [p.line for p in result.errors] == [3]
    assert Pupil.objects.get(upn="B100000000002").left_on is None


@pytest.mark.parametrize("make", [samples.png, samples.jpeg, samples.svg, samples.zip_with_photo, samples.mp4])
def test_r_a3_an_image_is_never_imported_whatever_its_name(world, make):
    with pytest.raises(ImportRefused, match="picture|video|archive|compressed|recognise"):
        import_people(school=world.oakfield, data=make(), actor=world.adam)
    assert audit_count() == 0 and Pupil.objects.count() == 2


@pytest.mark.parametrize("text, message", [
    ("", "could not recognise|empty"),
    ("Name,Colour\r\nAnn,Red\r\n", "could not tell what this file holds"),
    ("UPN,Surname\r\nB100000000001,Ashdown\r\n", "no column for: Legal Forename, DOB, Gender, Year"),
    ("UPN,Legal Surname,Legal Forename,DOB,Gender,Year\r\n", "no rows"),
])
def test_a_file_that_is_not_a_known_export_is_refused_whole(world, text, message):
    with pytest.raises(ImportRefused, match=message):
        import_people(school=world.oakfield, data=text.encode(), actor=world.adam)


CONTACTS = (
    "UPN,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Priority,"
    "Contact Email,Contact Telephone\r\n"
    "B100000000001,Mrs,Alice,Ashdown,Mother,Y,1,alice@family.example,07700 900001\r\n"
    "B100000000001,Mr,Adam,Ashdown,Father,Y,2,,07700 900002\r\n"
    "B100000000002,Ms,Alice,Ashdown,Aunt,N,1,Alice@Family.example,\r\n"
    "B999999999999,Mr,Nobody,Known,Father,Y,1,,\r\n"
)


def test_parents_and_carers_are_linked_to_pupils_by_upn(world):
    import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    result = import_people(school=world.oakfield, data=csv_bytes(CONTACTS), actor=world.adam)
    assert result.kind == "contacts" and [p.line for p in result.errors] == [5]
    assert Carer.objects.count() == 2  # Alice is one person with two children linked
    alice = Carer.objects.get(first_name="Alice")
    assert sorted(alice.pupils.values_list("upn", flat=True)) == ["B100000000001", "B100000000002"]
    aunt = PupilCarer.objects.get(carer=alice, pupil__upn="B100000000002")
    assert (aunt.relationship, aunt.has_parental_responsibility) == ("Aunt", False)
    before = audit_count()
    again = import_people(school=world.oakfield, data=csv_bytes(CONTACTS), actor=world.adam)
    assert again.changed is False and audit_count() == before and Carer.objects.count() == 2


STAFF = (
    "Email,Forename,Surname,Role,Job Title\r\n"
    "new.dsl@oakfield.example,Nadia,Newby,Designated Safeguarding Lead; Teacher,Assistant Head\r\n"
    "tom@oakfield.example,Tom,Teacher,Technician,Teacher and IT lead\r\n"
    "adam@brightwater.example,Adam,Admin,DSL,\r\n"
    "someone@oakfield.example,Sam,One,Wizard,\r\n"
)


def test_staff_get_accounts_and_roles_keyed_on_email(world):
    result = import_people(school=world.oakfield, data=csv_bytes(STAFF), actor=world.adam)
    assert result.kind == "staff"
    assert [(p.line, p.message.split(" ")[0]) for p in result.errors] == [(4, "You")]
    # An unknown role word never refuses the person: they are a member of staff with no safeguarding role.
    assert [(p.line, p.column, p.value) for p in result.warnings] == [(5, "Role", "Wizard")]
    assert set(Membership.objects.filter(user__email="someone@oakfield.example").values_list("role", flat=True)) == {
        "staff"}
    nadia = User.objects.get(email="new.dsl@oakfield.example")
    # No password is set or sent: she sets her own, and must enrol a second factor as a DSL (S1).
    assert not nadia.has_usable_password() and nadia.access.requires_second_factor
    assert set(Membership.objects.filter(user=nadia, school=world.oakfield).values_list("role", flat=True)) == {
        "dsl", "staff"}
    assert set(Membership.objects.filter(user=world.tom).values_list("role", flat=True)) == {"staff", "technical"}
    # The administrator can never give themself a role by import (least privilege).
    assert not Membership.objects.filter(user=world.adam).exists()
    before = audit_count()
    again = import_people(school=world.oakfield, data=csv_bytes(STAFF), actor=world.adam)
    assert again.changed is False and audit_count() == before


def test_two_thousand_pupils_import_with_bulk_queries(world, django_assert_max_num_queries):
    """Speed is a figure printed at the end of the run, not a timed assertion; what is asserted is that the
    work is done in bulk (queries do not grow with the number of rows) and that a second import writes nothing."""
    from tests.figures import report

    header = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,SEN Status,In Care\n"
    rows = [f"C{i:011d}0,Surname{i},Forename{i},,{1 + i % 28:02d}/{1 + i % 12:02d}/{2008 + i % 10},"
            f"{'MF'[i % 2]},{1 + i % 13},{'NKE'[i % 3]},{'NY'[i % 7 == 0]}" for i in range(2000)]
    data = (header + "\n".join(rows) + "\n").encode()
    # Each sealed audit event costs a fixed few queries (it reads the chain's tail and appends; how many depends on
    # the database), measured here; the import itself is bulk: the rest is a constant, whatever the file's size.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.log import Action, record

    with CaptureQueriesContext(connection) as one_event:
        record(actor=world.adam, action=Action.VIEW, object_type="probe", school=world.riverside)
    per_event = len(one_event.captured_queries)
    started = time.perf_counter()
    with django_assert_max_num_queries(per_event * 2000 + 60):
        result = import_people(school=world.riverside, data=data, actor=world.adam, full=True)
    took = time.perf_counter() - started
    assert result.errors == [] and result.counts["added"] == 2000
    assert Pupil.objects.filter(school=world.riverside).count() == 2000
    started = time.perf_counter()
    with django_assert_max_num_queries(10):  # the second time: read the file, one query, nothing to write
        again = import_people(school=world.riverside, data=data, actor=world.adam, full=True)
    assert again.counts["unchanged"] == 2000
    report("MIS import", f"2,000 pupils added in {took:.1f} s (2,000 audit events), re-imported unchanged in "
           f"{time.perf_counter() - started:.1f} s")


def test_the_command_imports_and_prints_progress_and_bad_lines(world, tmp_path):
    path = tmp_path / "pupils.csv"
    path.write_bytes(csv_bytes(PUPILS + "B100000000009,Zed,Zoe,,01/01/2014,F,Year 99,N,N\r\n"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", "oakfield", str(path), "--full", stdout=out, stderr=err)  # exit status 0
    assert "Checked 4 of 4 rows" in err.getvalue() and "Saved." in err.getvalue()
    assert "3 added" in out.getvalue() and "line 5, column 'Year', value 'Year 99': Year 'Year 99'" in out.getvalue()
    assert Pupil.objects.filter(school=world.oakfield, left_on__isnull=True).count() == 3  # Quentin has left
    assert AuditEvent.objects.filter(object_type="people_import", actor=None, detail__via="command").count() == 1
    with pytest.raises(CommandError, match="No school with slug"):
        call_command("import_people", "nowhere", str(path), stdout=out, stderr=err)
    image = tmp_path / "pupils2.csv"
    image.write_bytes(samples.png())
    with pytest.raises(CommandError, match="picture"):
        call_command("import_people", "oakfield", str(image), stdout=out, stderr=err)


def test_a_pupil_elsewhere_with_the_same_upn_is_a_different_pupil(world):
    make_pupil(world.riverside, "Amelia", "Ashdown", "B100000000001")
    import_people(school=world.oakfield, data=csv_bytes(PUPILS), actor=world.adam)
    assert Pupil.objects.filter(upn="B100000000001").count() == 2
