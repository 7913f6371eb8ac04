# ruff: noqa: E501 - the CSV files are written as the products export them, one row a line
"""Real exports from SIMS, Arbor and Bromcom import as a school administrator saves them (issue 22, rule H2).

Each file is written with the column names the product uses in its export, saved as schools save them: a UTF-8
byte-order mark and Windows line endings, names with accents and apostrophes, T/F for yes and no, dates as
dd/mm/yyyy, and one saved by Excel as "CSV (Comma delimited)" (Windows-1252) and one as "Unicode Text" (UTF-16).
Every person arrives except the rows wrong on purpose (a blank UPN, a repeated row), which are listed with their
line, column and value.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, User
from imports.actions import ImportRefused, import_people
from schools.models import Carer, Pupil, PupilCarer

pytestmark = pytest.mark.django_db


def saved(text, encoding="utf-8-sig"):
    """The file as the school saves it: Windows line endings, and a byte-order mark for UTF-8 and UTF-16."""
    return text.replace("\n", "\r\n").encode(encoding)


# --- SIMS -----------------------------------------------------------------------------------------------------------

SIMS_PUPILS = """UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Gender,DOB,Year,Reg,SEN Status,In Care,Ever In Care,Young Carer,Child Protection Plan,Admission Date
A123456789012,O'Brien,Siân,,,F,03/09/2014,Year 7,7B,K,F,F,F,F,01/09/2025
A123456789013,Ngozi-Okafor,Chidi,,Chi,M,21/01/2014,Year 7,7B,N,T,F,T,F,01/09/2025
A123456789014,Dupré,Zoë,,,F,30/06/2019,Reception,RA,E,F,T,F,T,01/09/2024
,Newman,Noah,,,M,12/02/2022,Nursery,N1,N,F,F,F,F,06/01/2026
A123456789015,D'Souza,Renée,,,F,15/11/2013,Year 8,8C,N,F,F,F,F,01/09/2024
A123456789013,Ngozi-Okafor,Chidi,,Chi,M,21/01/2014,Year 7,7B,N,T,F,T,F,01/09/2025
"""

SIMS_CONTACTS = """UPN,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Priority,Contact Email,Contact Telephone
A123456789012,Mrs,Máire,O'Brien,Mother,T,1,maire@family.example,07700 900101
A123456789013,Mr,Emeka,Ngozi-Okafor,Father,T,1,,07700 900102
A123456789014,Ms,Hélène,Dupré,Mother,T,1,helene@family.example,
A123456789015,Mr,Rohan,D'Souza,Father,F,2,rohan@family.example,
"""

SIMS_STAFF = """Title,Legal Forename,Preferred Forename,Legal Surname,Work Email,Job Title,Staff Code
Mrs,Aoife,,O'Connell,aoife@oakfield.example,Classroom Teacher,AOC
Mr,Benedikt,Ben,Müller,ben@oakfield.example,Deputy Headteacher,BMU
Ms,Chloé,,Hart,chloe@oakfield.example,Designated Safeguarding Lead,CHA
Mr,Dafydd,,Jones,dafydd@oakfield.example,Midday Supervisor,DJO
Mrs,Efua,,Mensah,efua@oakfield.example,Pastoral Wellbeing Champion,EME
"""


def test_sims_pupils_saved_by_excel_in_windows_1252_arrive_with_t_and_f(world):
    """The issue's refusals: "In care 'F' is not Yes or No", and a Windows-1252 file refused as a statement."""
    result = import_people(school=world.oakfield, data=saved(SIMS_PUPILS, "cp1252"), actor=world.adam)
    assert result.encoding == "Windows-1252" and "Read as Windows-1252." in result.summary()
    assert result.counts["added"] == 4
    assert [(p.line, p.column, p.value) for p in result.errors] == [(5, "UPN", ""), (7, "UPN", "A123456789013")]
    assert "line 3 already" in result.errors[1].message and "UPN is blank" in result.errors[0].message
    sian = Pupil.objects.get(upn="A123456789012")
    assert (sian.legal_first_name, sian.legal_last_name, sian.sen_status, sian.is_looked_after) == (
        "Siân", "O'Brien", "K", False)
    chidi = Pupil.objects.get(upn="A123456789013")
    assert (chidi.display_name, chidi.is_looked_after, chidi.is_young_carer) == ("Chi Ngozi-Okafor", True, True)
    zoe = Pupil.objects.get(upn="A123456789014")
    assert (zoe.legal_first_name, zoe.year_group, zoe.sen_status, zoe.was_looked_after,
            zoe.has_child_protection_plan) == ("Zoë", 0, "E", True, True)
    assert str(Pupil.objects.get(upn="A123456789015").date_of_birth) == "2013-11-15"
    unused = [p for p in result.warnings if p.line is None]
    assert unused[0].column == "Reg, Admission Date" and "does not use these columns" in unused[0].message


def test_sims_contacts_link_parents_with_t_and_f_for_parental_responsibility(world):
    import_people(school=world.oakfield, data=saved(SIMS_PUPILS), actor=world.adam)
    result = import_people(school=world.oakfield, data=saved(SIMS_CONTACTS), actor=world.adam)
    assert result.kind == "contacts" and result.errors == [] and result.counts["links added"] == 4
    maire = PupilCarer.objects.get(pupil__upn="A123456789012")
    assert (maire.carer.first_name, maire.carer.last_name, maire.has_parental_responsibility) == (
        "Máire", "O'Brien", True)
    assert PupilCarer.objects.get(pupil__upn="A123456789015").has_parental_responsibility is False


def test_sims_staff_with_legal_forenames_and_job_titles_all_arrive(world):
    """The issue's refusals: "Forename is blank" when Preferred is blank, and job titles refused as unknown roles."""
    result = import_people(school=world.oakfield, data=saved(SIMS_STAFF), actor=world.adam)
    assert result.kind == "staff" and result.errors == [] and result.counts["accounts added"] == 5
    assert User.objects.get(email="aoife@oakfield.example").full_name == "Aoife O'Connell"
    assert User.objects.get(email="ben@oakfield.example").full_name == "Ben Müller"  # the preferred forename
    roles = dict(Membership.objects.filter(school=world.oakfield, user__email__in=[
        "aoife@oakfield.example", "ben@oakfield.example", "chloe@oakfield.example", "dafydd@oakfield.example",
        "efua@oakfield.example"]).values_list("user__email", "role"))
    assert roles == {"aoife@oakfield.example": "staff", "ben@oakfield.example": "staff",
                     "chloe@oakfield.example": "dsl", "dafydd@oakfield.example": "staff",
                     "efua@oakfield.example": "staff"}
    # An unknown job title imports the person as staff with no safeguarding role, and says so.
    [note] = [p for p in result.warnings if p.line]
    assert (note.line, note.column, note.value) == (6, "Job Title", "Pastoral Wellbeing Champion")
    assert "member of staff with no safeguarding role" in note.message
    assert Membership.objects.get(user__email="aoife@oakfield.example").job_title == "Classroom Teacher"


def test_a_trust_adds_its_own_job_titles_and_they_win(world):
    out = io.StringIO()
    call_command("job_title", world.trust.slug, "Pastoral Wellbeing Champion", "deputy_dsl", stdout=out)
    assert "imported as deputy_dsl" in out.getvalue()
    result = import_people(school=world.oakfield, data=saved(SIMS_STAFF), actor=world.adam)
    assert [p for p in result.warnings if p.line] == []
    assert Membership.objects.get(user__email="efua@oakfield.example").role == "deputy_dsl"
    # Another trust's schools are not affected by it.
    other = import_people(school=world.elmtree, data=saved(SIMS_STAFF), actor=world.adam)
    assert [p.value for p in other.warnings if p.line] == ["Pastoral Wellbeing Champion"]


# --- Arbor ----------------------------------------------------------------------------------------------------------

ARBOR_STUDENTS = """UPN,Legal first name,Legal last name,Preferred first name,Preferred last name,Date of birth,Gender,Year group,Registration form,SEN status,In care,Child in need,Email address
B223456789012,Łukasz,Kowalczyk,,,04/04/2012,Male,Year 9,9K,No Special Educational Need,No,No,lkowalczyk@pupils.oakfield.example
B223456789013,Aoibhín,O'Neill,Eve,,19/10/2012,Female,Year 9,9K,SEN Support,No,Yes,aoneill@pupils.oakfield.example
B223456789014,François,Leclerc,,,07/07/2011,Male,Year 10,10L,"Education, Health and Care Plan",Yes,No,fleclerc@pupils.oakfield.example
B223456789015,Ana,García-López,,,28/02/2012,Female,Year 9,9K,K - SEN Support,No,No,
,Baby,Unknown,,,01/05/2022,Female,Nursery,N,No Special Educational Need,No,No,
"""

ARBOR_GUARDIANS = """Student UPN,Student first name,Student last name,Guardian title,Guardian first name,Guardian last name,Relationship,Parental responsibility,Priority,Email address,Mobile number
B223456789012,Łukasz,Kowalczyk,Mrs,Agnieszka,Kowalczyk,Mother,Yes,1,agnieszka@family.example,07700 900201
B223456789013,Aoibhín,O'Neill,Mr,Seán,O'Neill,Father,Yes,1,sean@family.example,07700 900202
B223456789014,François,Leclerc,Mme,Véronique,Leclerc,Mother,Yes,1,,07700 900203
B223456789015,Ana,García-López,Sra,Lucía,García-López,Grandmother,No,2,lucia@family.example,
B223456789013,Aoibhín,O'Neill,Mr,Seán,O'Neill,Father,Yes,1,sean@family.example,07700 900202
"""

ARBOR_STAFF = """Legal first name,Legal last name,Preferred first name,Work email,Business role
Saoirse,Ní Bhriain,,saoirse@oakfield.example,Teacher
Jürgen,Weiß,,jurgen@oakfield.example,Teaching Assistant
Ama,Owusu,,ama@oakfield.example,Headteacher
Gwen,Pryce-Jones,,gwen@oakfield.example,SENCO
"""


def test_arbor_students_with_sen_in_words_arrive(world):
    """The issue's refusal: "SEN Support" and "No Special Educational Need" refused, the value cut off."""
    result = import_people(school=world.oakfield, data=saved(ARBOR_STUDENTS), actor=world.adam)
    assert result.counts["added"] == 4
    assert [(p.line, p.column, p.value) for p in result.errors] == [(6, "UPN", "")]
    sen = dict(Pupil.objects.filter(upn__startswith="B2234").values_list("upn", "sen_status"))
    assert sen == {"B223456789012": "N", "B223456789013": "K", "B223456789014": "E", "B223456789015": "K"}
    eve = Pupil.objects.get(upn="B223456789013")
    assert (eve.display_name, eve.is_child_in_need, eve.school_email) == ("Eve O'Neill", True,
                                                                          "aoneill@pupils.oakfield.example")
    assert Pupil.objects.get(upn="B223456789014").is_looked_after is True


def test_a_value_harbour_cannot_read_is_quoted_whole(world):
    text = ARBOR_STUDENTS.replace("SEN Support,No,Yes", "Awaiting assessment by the local authority,No,Yes")
    result = import_people(school=world.oakfield, data=saved(text), actor=world.adam)
    problem = next(p for p in result.errors if p.line == 3)
    assert (problem.column, problem.value) == ("SEN status", "Awaiting assessment by the local authority")
    assert "'Awaiting assessment by the local authority'" in problem.message


def test_arbor_guardians_are_read_as_contacts(world):
    """The issue's refusal: Arbor guardians "could not tell what this file holds"."""
    import_people(school=world.oakfield, data=saved(ARBOR_STUDENTS), actor=world.adam)
    result = import_people(school=world.oakfield, data=saved(ARBOR_GUARDIANS), actor=world.adam)
    assert result.kind == "contacts" and result.counts["links added"] == 4
    assert [(p.line, p.column) for p in result.errors] == [(6, "Guardian first name")]
    assert "listed for this pupil already" in result.errors[0].message
    lucia = PupilCarer.objects.get(pupil__upn="B223456789015")
    assert (lucia.carer.first_name, lucia.relationship, lucia.has_parental_responsibility, lucia.carer.title) == (
        "Lucía", "Grandmother", False, "Sra")
    assert Carer.objects.get(first_name="Véronique").phone == "07700 900203"


def test_arbor_staff_with_a_business_role_arrive(world):
    """The issue's refusal: Arbor staff (`Business role`) "could not tell what this file holds"."""
    result = import_people(school=world.oakfield, data=saved(ARBOR_STAFF), actor=world.adam)
    assert result.kind == "staff" and result.errors == [] and result.counts["accounts added"] == 4
    roles = dict(Membership.objects.filter(user__email__in=["saoirse@oakfield.example", "jurgen@oakfield.example",
                                                            "ama@oakfield.example", "gwen@oakfield.example"])
                 .values_list("user__email", "role"))
    assert roles == {"saoirse@oakfield.example": "staff", "jurgen@oakfield.example": "staff",
                     "ama@oakfield.example": "headteacher", "gwen@oakfield.example": "senco"}
    assert User.objects.get(email="jurgen@oakfield.example").full_name == "Jürgen Weiß"


# --- Bromcom --------------------------------------------------------------------------------------------------------

BROMCOM_STUDENTS = """UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,NC Year,Tutor Group,SEN Need,Looked After,Child In Need,Child Protection Plan,Young Carer,Network Login,Student Email
C323456789012,MacDonald,Eilidh,,09/03/2010,F,11,11M,N - No Special Educational Need,F,F,F,F,emacdonald,emacdonald@pupils.example
C323456789013,Ó Súilleabháin,Pádraig,Paddy,17/08/2010,M,11,11M,E - Education Health and Care Plan,F,T,F,F,psuilleabhain,
C323456789014,N'Diaye,Aminata,,02/12/2015,F,5,5R,K - SEN Support,T,F,T,F,andiaye,andiaye@pupils.example
C323456789015,Øvergaard,Ingrid,,30/01/2016,F,4,4S,E - Education Health and Care Plan,F,F,F,T,iovergaard,
C323456789015,Øvergaard,Ingrid,,30/01/2016,F,4,4S,E - Education Health and Care Plan,F,F,F,T,iovergaard,
"""

BROMCOM_CONTACTS = """Student UPN,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Contact Priority,Lives With Student,Contact Email,Contact Mobile
C323456789012,Mrs,Mòrag,MacDonald,Mother,T,1,T,morag@family.example,07700 900301
C323456789013,Mr,Seosamh,Ó Súilleabháin,Father,T,1,T,,07700 900302
C323456789014,Ms,Fatou,N'Diaye,Foster Carer,F,1,T,fatou@family.example,
C323456789015,Mr,Lars,Øvergaard,Father,T,1,F,lars@family.example,
"""

BROMCOM_STAFF = """Staff Code,Title,Forename,Surname,Preferred Forename,Email,Job Title
KOK,Mr,Kwame,Okonkwo,,kwame@oakfield.example,Network Manager
LLE,Ms,Léa,L'Estrange,,lea@oakfield.example,Deputy DSL
MMC,Mrs,Margaret,McAllister,Maggie,maggie@oakfield.example,Online Safety Lead
MMC2,Mrs,Margaret,McAllister,Maggie,maggie@oakfield.example,Online Safety Lead
"""


def test_bromcom_students_keep_sen_written_code_dash_word(world):
    """The issue's finding: Bromcom "SEN Need" ("E - Education, Health and Care Plan") silently ignored."""
    result = import_people(school=world.oakfield, data=saved(BROMCOM_STUDENTS), actor=world.adam)
    assert result.counts["added"] == 4
    assert [(p.line, p.column, p.value) for p in result.errors] == [(6, "UPN", "C323456789015")]
    sen = dict(Pupil.objects.filter(upn__startswith="C3234").values_list("upn", "sen_status"))
    assert sen == {"C323456789012": "N", "C323456789013": "E", "C323456789014": "K", "C323456789015": "E"}
    aminata = Pupil.objects.get(upn="C323456789014")
    assert (aminata.legal_last_name, aminata.is_looked_after, aminata.has_child_protection_plan,
            aminata.network_login, aminata.school_email) == ("N'Diaye", True, True, "andiaye",
                                                             "andiaye@pupils.example")
    assert Pupil.objects.get(upn="C323456789015").is_young_carer is True


def test_bromcom_contacts_in_utf_16_link_parents_and_foster_carers(world):
    import_people(school=world.oakfield, data=saved(BROMCOM_STUDENTS), actor=world.adam)
    result = import_people(school=world.oakfield, data=saved(BROMCOM_CONTACTS, "utf-16"), actor=world.adam)
    assert result.encoding == "UTF-16" and result.kind == "contacts"
    assert result.errors == [] and result.counts["links added"] == 4
    fatou = PupilCarer.objects.get(pupil__upn="C323456789014")
    assert (fatou.carer.last_name, fatou.relationship, fatou.has_parental_responsibility) == (
        "N'Diaye", "Foster Carer", False)
    assert PupilCarer.objects.get(pupil__upn="C323456789015").lives_with_pupil is False


def test_bromcom_staff_arrive_with_their_roles_and_a_repeated_row_is_listed(world):
    result = import_people(school=world.oakfield, data=saved(BROMCOM_STAFF), actor=world.adam)
    assert result.counts["accounts added"] == 3
    assert [(p.line, p.column, p.value) for p in result.errors] == [(5, "Email", "maggie@oakfield.example")]
    roles = dict(Membership.objects.filter(user__email__in=["kwame@oakfield.example", "lea@oakfield.example",
                                                            "maggie@oakfield.example"])
                 .values_list("user__email", "role"))
    assert roles == {"kwame@oakfield.example": "technical", "lea@oakfield.example": "deputy_dsl",
                     "maggie@oakfield.example": "online_safety_coordinator"}
    assert User.objects.get(email="maggie@oakfield.example").full_name == "Maggie McAllister"
    assert User.objects.get(email="lea@oakfield.example").full_name == "Léa L'Estrange"


# --- What the command tells cron, and what no message says -----------------------------------------------------------

def test_the_command_exits_0_when_rows_are_left_out_and_1_only_when_strict_or_refused_whole(world, tmp_path):
    """The issue's finding: one new nursery child without a UPN made every nightly run fail."""
    path = tmp_path / "pupils.csv"
    path.write_bytes(saved(SIMS_PUPILS, "cp1252"))
    out = io.StringIO()
    call_command("import_people", "oakfield", str(path), stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    assert "4 added" in printed and "Read as Windows-1252." in printed
    assert "line 5, column 'UPN', value '': UPN is blank" in printed
    assert "columns Reg, Admission Date: Harbour does not use these columns" in printed
    with pytest.raises(CommandError, match="2 rows were not imported"):
        call_command("import_people", "oakfield", str(path), "--strict", stdout=io.StringIO(), stderr=io.StringIO())
    refused = tmp_path / "other.csv"
    refused.write_bytes(saved("Name,Colour\nAnn,Red\n"))
    with pytest.raises(CommandError, match="was not imported"):
        call_command("import_people", "oakfield", str(refused), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("text", [SIMS_PUPILS, ARBOR_STUDENTS, BROMCOM_STUDENTS, SIMS_STAFF, BROMCOM_STAFF])
def test_no_message_tells_the_school_to_correct_its_mis_or_speaks_of_statements(world, text):
    result = import_people(school=world.oakfield, data=saved(text, "cp1252" if "Ł" not in text else "utf-8-sig"),
                           actor=world.adam)
    words = " ".join(p.message for p in result.errors + result.warnings).lower()
    assert "your mis" not in words and "statement" not in words and "correct" not in words


def test_a_windows_1252_file_is_never_told_it_is_not_a_written_statement(world):
    data = saved("UPN,Legal Surname,Legal Forename,DOB,Gender,Year\nA123456789012,Dupré,Zoë,03/09/2014,F,7\n",
                 "cp1252")
    result = import_people(school=world.oakfield, data=data, actor=world.adam)
    assert result.counts["added"] == 1 and Pupil.objects.get(upn="A123456789012").legal_last_name == "Dupré"


def test_binary_that_is_not_text_in_any_encoding_is_refused_whole(world):
    with pytest.raises(ImportRefused, match="not a CSV file"):
        import_people(school=world.oakfield, data=b"UPN,Surname\r\n\x00\x01\x02\x03binary\x04\x05" * 3,
                      actor=world.adam)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_r_a3_a_picture_written_as_text_in_utf_16_or_windows_1252_is_still_refused(world, encoding):
    import base64

    from lib.tests import samples

    picture = base64.b64encode(samples.png()).decode()
    text = f"UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Notes\nA123456789012,Dupré,Zoë,03/09/2014,F,7,{picture}\n"
    with pytest.raises(ImportRefused, match="picture"):
        import_people(school=world.oakfield, data=saved(text, encoding), actor=world.adam)
    assert not Pupil.objects.filter(upn="A123456789012").exists()
