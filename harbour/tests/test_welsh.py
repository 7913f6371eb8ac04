"""Rule J8: the interface is ready for translation, and a school in Wales offers it in Welsh.

The language follows the school's nation and the person's remembered choice; a string not yet in the catalogue
shows in English, never blank; notices and emails about a concern are written in each reader's language; the
catalogue holds every marked string, none fuzzy, and its compiled .mo matches it."""

import gettext
import re
import shutil
import subprocess
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.core import mail
from django.template import engines
from django.utils import translation

from audit.models import AuditEvent
from harbour import translations
from lib.i18n import ENGLISH, WELSH, Words, date_in_words, language_for, when_in_words
from notifications.email import subject_for
from notifications.models import Notification
from notifications.tasks import email_notifications
from tests.people import sign_in

CATALOGUE = translations.LOCALE / "cy" / "LC_MESSAGES" / "django.po"
REPORT = "/concerns/report/"


def in_wales(world):
    world.oakfield.nation = "wales"
    world.oakfield.save(update_fields=["nation"])
    return world.oakfield


def chooses(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


# ---- who reads what --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_j8_welsh_is_read_only_at_a_school_in_wales_by_someone_who_chose_it(world):
    tom = world.tom
    assert language_for(tom, world.oakfield) == ENGLISH  # an English school, no choice
    chooses(tom, WELSH)
    assert language_for(tom, world.oakfield) == ENGLISH  # an English school reads English whatever was chosen
    in_wales(world)
    assert language_for(tom, world.oakfield) == WELSH
    chooses(tom, ENGLISH)
    assert language_for(tom, world.oakfield) == ENGLISH
    assert language_for(world.diana, world.oakfield) == ENGLISH  # no choice made: English, with Welsh offered


@pytest.mark.django_db
def test_r_j8_a_school_in_wales_offers_welsh_until_the_person_chooses_and_an_english_school_never_does(client, world):
    sign_in(client, world.tom)
    page = client.get(REPORT).content.decode()
    assert "Cymraeg" not in page and 'lang="en-GB"' in page  # England: exactly as before
    in_wales(world)
    page = client.get(REPORT).content.decode()
    assert "Mae Harbour ar gael yn Gymraeg." in page and "Defnyddio Harbour yn Gymraeg" in page
    chooses(world.tom, ENGLISH)
    page = client.get(REPORT).content.decode()
    assert "Mae Harbour ar gael yn Gymraeg." not in page  # chosen: the offer gives way to the switch
    assert '<button class="harbour-link-button govuk-service-navigation__link" name="language" value="cy" lang="cy">' \
           'Cymraeg</button>' in page


@pytest.mark.django_db
def test_r_j8_choosing_cymraeg_is_remembered_on_the_account_and_audited(client, world):
    in_wales(world)
    sign_in(client, world.tom)
    response = client.post("/account/language/", {"language": "cy", "next": REPORT})
    assert response.status_code == 302 and response["Location"] == REPORT
    world.tom.refresh_from_db()
    assert world.tom.preferred_language == WELSH
    assert AuditEvent.objects.filter(actor=world.tom, object_type="user", object_id=str(world.tom.id),
                                     changed_fields=["preferred_language"]).count() == 1
    response = client.get(REPORT)
    page = response.content.decode()
    assert response["Content-Language"] == "cy" and '<html lang="cy"' in page
    assert "<h1 class=\"govuk-heading-l\">Rhoi gwybod am bryder</h1>" in page
    assert "Person dynodedig diogelu" in page or "person dynodedig diogelu" in page
    assert "Neidio i’r prif gynnwys" in page  # the skip link
    # Another browser, the same person: the choice follows the account.
    other = sign_in(client.__class__(), world.tom)
    assert "Rhoi gwybod am bryder" in other.get(REPORT).content.decode()


@pytest.mark.django_db
def test_r_j8_the_language_switch_refuses_anything_but_english_or_cymraeg_and_an_address_off_the_site(client, world):
    sign_in(client, world.tom)
    response = client.post("/account/language/", {"language": "fr", "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"
    world.tom.refresh_from_db()
    assert world.tom.preferred_language == ""
    assert client.get("/account/language/").status_code == 405


@pytest.mark.django_db
def test_r_j8_the_language_switch_is_for_signed_in_people_only(client):
    response = client.post("/account/language/", {"language": "cy"})
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


# ---- never blank -----------------------------------------------------------------------------------------------

def test_r_j8_a_string_missing_from_the_catalogue_shows_in_english_never_blank():
    template = engines["jinja2"].env.from_string(
        "{{ _('Report a concern') }}|{{ _('A sentence nobody has translated yet, about %(thing)s.', thing='x') }}")
    with translation.override(WELSH):
        assert template.render() == "Rhoi gwybod am bryder|A sentence nobody has translated yet, about x."
    with translation.override(ENGLISH):
        assert template.render() == "Report a concern|A sentence nobody has translated yet, about x."


def test_r_j8_an_entry_left_untranslated_in_the_catalogue_shows_in_english(tmp_path):
    """An entry in the .po with an empty msgstr is left out of the .mo by msgfmt, so gettext falls back."""
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is not installed")
    po = tmp_path / "django.po"
    po.write_text(CATALOGUE.read_text(encoding="utf-8").replace(
        'msgstr "Rhoi gwybod am bryder"', 'msgstr ""'), encoding="utf-8")
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    assert catalogue.gettext("Report a concern") == "Report a concern"
    assert catalogue.gettext("Send report") == "Anfon yr adroddiad"


_EMPTY = re.compile(r"<(h1|h2|h3|label|legend|button|a|p|li|summary|title|strong)\b[^>]*>\s*</\1>")


@pytest.mark.django_db
def test_r_j8_pages_read_in_welsh_have_no_empty_words_where_english_has_them(client, world):
    """The report page, the report-sent page and the notices, in English and in Welsh: no heading, label, legend,
    button, link or paragraph is empty in Welsh that is not empty in English."""
    from tests.people import make_pupil

    in_wales(world)
    sign_in(client, world.tom)
    milo = make_pupil(world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5)
    data = {"idempotency_key": "0b7a1c52-0a0e-4c8e-9b7e-2f3b7e0c6a11", "incident_type": "nudes-sharing",
            "child": [str(milo.id)], f"role_{milo.id}": "pictured", "account": "Milo said it was sent on.",
            "dsl_told_in_person": "yes"}
    chooses(world.diana, WELSH)  # her notice is written in Welsh when the concern arrives
    sent = client.post(REPORT, data)["Location"]
    pages = {}
    for language in (ENGLISH, WELSH):
        chooses(world.tom, language)
        chooses(world.diana, language)  # the page around the notice follows her choice
        sign_in(client, world.tom)
        pages[language, "report"] = client.get(REPORT).content.decode()
        pages[language, "invalid"] = client.post(REPORT, {"idempotency_key": "x", "account": "a"}).content.decode()
        pages[language, "sent"] = client.get(sent).content.decode()
        sign_in(client, world.diana)
        pages[language, "notices"] = client.get("/notifications/").content.decode()
    for name in ("report", "invalid", "sent", "notices"):
        english, welsh = pages[ENGLISH, name], pages[WELSH, name]
        assert '<html lang="cy"' in welsh, name
        assert len(_EMPTY.findall(welsh)) <= len(_EMPTY.findall(english)), name
        assert welsh != english, name
    assert "Pryder newydd" in pages[WELSH, "notices"] and "Hysbysiadau" in pages[WELSH, "notices"]


# ---- notices and emails ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_j8_a_new_concern_is_told_to_each_reader_in_their_language_notice_and_email(
        client, world, django_capture_on_commit_callbacks):
    in_wales(world)
    chooses(world.diana, WELSH)  # the deputy, Dev, made no choice: English
    import uuid

    from concerns.actions import Report, submit_concern

    with django_capture_on_commit_callbacks(execute=False):
        concern, _ = submit_concern(user=world.tom, school=world.oakfield, report=Report(
            incident_type="cyberbullying", children=[(world.pupil, "harmed")], account="Unkind messages."),
            idempotency_key=uuid.uuid4())
    diana = Notification.objects.get(user=world.diana)
    dev = Notification.objects.get(user=world.dev)
    assert diana.text.startswith(f"Pryder newydd {concern.reference} yn Oakfield Primary: cydnabyddwch ef erbyn ")
    assert re.search(r"erbyn \d+ (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd"
                     r"|Rhagfyr) \d{4} am \d+:\d\d(yb|yp)$", diana.text)
    assert dev.text.startswith(f"New concern {concern.reference} at Oakfield Primary: acknowledge it by ")
    email_notifications.call([diana.id, dev.id])
    by_person = {m.to[0]: m for m in mail.outbox}
    welsh, english = by_person["diana@oakfield.example"], by_person["dev@oakfield.example"]
    with translation.override(WELSH):
        assert welsh.subject == subject_for(diana)
    assert diana.text in welsh.body and "Agorwch ef yn Harbour:" in welsh.body
    assert english.subject.startswith("Harbour: acknowledge a concern by ") and concern.reference in english.subject
    assert "Dydy’r e-bost hwn byth yn cynnwys manylion pryder nac enw plentyn" in welsh.body
    assert "Open it in Harbour:" in english.body and "Agorwch" not in english.body
    assert "Quentin" not in welsh.body + welsh.subject  # still no child named


def test_r_j8_dates_and_times_are_written_in_welsh_words():
    assert date_in_words(date(2026, 12, 6), WELSH) == "6 Rhagfyr 2026"
    assert date_in_words(date(2026, 12, 6), ENGLISH) == "6 December 2026"
    moment = datetime(2026, 6, 3, 13, 5, tzinfo=dt_timezone.utc)  # 2:05pm in London (summer time)
    assert when_in_words(moment, WELSH) == "3 Mehefin 2026 am 2:05yp"
    assert when_in_words(moment, ENGLISH) == "3 June 2026 at 2:05pm"
    words = Words("New concern %(reference)s at %(school)s: acknowledge it by %(due)s",
                  {"reference": "C000001", "school": "Ysgol", "due": moment})
    assert words.in_language(WELSH) == "Pryder newydd C000001 yn Ysgol: cydnabyddwch ef erbyn 3 Mehefin 2026 am 2:05yp"


# ---- the catalogue ---------------------------------------------------------------------------------------------

def test_r_j8_every_marked_string_is_in_the_welsh_catalogue_and_none_is_fuzzy_or_obsolete():
    """The cheap stand-in for running makemessages: what `manage.py translations update` would add is already there."""
    entries = translations.read_po(CATALOGUE)
    known = {e.key for e in entries if not e.obsolete}
    missing = sorted(m.msgid for m in translations.marked_strings() if m not in known)
    assert missing == [], "run `manage.py translations update`, then translate: " + "; ".join(missing[:5])
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if e.obsolete] == []


def test_r_j8_every_welsh_translation_keeps_the_places_of_its_english():
    for entry in translations.read_po(CATALOGUE):
        wanted = sorted(re.findall(r"%\(\w+\)[sd]|\{\w+\}", entry.msgid))
        for text in entry.strings:
            if text:
                assert sorted(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text)) == wanted, entry.msgid


def test_r_j8_the_committed_mo_is_the_catalogue_compiled(tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE)], check=True)
    with fresh.open("rb") as a, CATALOGUE.with_suffix(".mo").open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, \
            "run `manage.py translations compile`"


# ---- form errors and the imagery refusal -------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_j8_r_a3_the_report_pages_errors_and_imagery_refusal_are_in_the_readers_language(client, world):
    """A teacher at a school in Wales who chose Cymraeg reads every message beside a box in Welsh, the picture
    refusal included; at an English school the same post reads in English. Nothing typed is lost either way."""
    import base64

    from lib.tests import samples
    from tests.welsh import english_left

    picture = base64.b64encode(samples.jpeg()).decode()
    posted = {"idempotency_key": "0b7a1c52-0a0e-4c8e-9b7e-2f3b7e0c6a12", "account": f"Sent this: {picture} then.",
              "location": "x" * 301}
    sign_in(client, world.tom)
    english = client.post(REPORT, posted).content.decode().replace("&#39;", "'")
    assert "The ‘What did the child say, or what did you see?’ box contains a picture written as text (base64)." \
           in english and "Select what kind of concern this is" in english
    in_wales(world)
    chooses(world.tom, WELSH)
    page = client.post(REPORT, posted).content.decode().replace("&#39;", "'").replace("&#x27;", "'")
    for words in ("Mae’r blwch ‘Beth ddywedodd y plentyn, neu beth welsoch chi?’ yn cynnwys llun wedi’i ysgrifennu "
                  "fel testun (base64).", "Dydy Harbour byth yn cadw lluniau", "Dewiswch pa fath o bryder yw hwn",
                  "wyneb yn wyneb"):
        assert words in page, words
    assert "Sent this: then." in page and picture not in page  # the rest kept, the picture taken out
    left = english_left(page, ("Harbour", "Oakfield Primary", world.tom.full_name))
    assert left == [], "\n".join(left)


# ---- the DSL's home page -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_j8_the_dsls_home_page_is_in_welsh_at_a_school_in_wales_and_in_english_elsewhere(client, world):
    """Waiting for you (a concern to acknowledge by its deadline, steps overdue and due today), what the reader can
    do, their roles and the dates: in Welsh for the designated safeguarding person who chose Cymraeg, with nothing
    left in English but the procedure's own step titles (data, marked lang="en-GB")."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.tests.helpers import make_case, make_concern
    from tests.welsh import english_left

    case = make_case(world)
    make_concern(world)
    tasks = case.tasks.exclude(due_at=None).order_by("due_at")
    tasks.filter(id=tasks[0].id).update(due_at=timezone.now() - timedelta(hours=1))
    tasks.exclude(id=tasks[0].id).update(due_at=timezone.now() + timedelta(minutes=5))
    sign_in(client, world.diana)
    english = client.get("/").content.decode()
    assert "Waiting for you" in english and "Concerns to acknowledge (1)" in english and "What you can do" in english
    in_wales(world)
    chooses(world.diana, WELSH)
    page = client.get("/").content.decode()
    for words in ("Yn aros amdanoch chi", "Pryderon i’w cydnabod (1)", "Cydnabod y pryder hwn", "cam yn hwyr",
                  "Camau sy’n ddyledus heddiw", "Beth gallwch chi ei wneud", "Eich rolau yma",
                  "Person dynodedig diogelu", "Helo, Diana"):
        assert words in page, words
    assert re.search(r"erbyn \d+ \w+ \d{4} am \d+:\d\d(yb|yp)", page)  # the deadline in Welsh words
    assert '<span lang="en-GB">' in page  # a step's title is the procedure's English, marked as such
    left = english_left(page, ("Harbour", "Oakfield Primary", world.diana.full_name, "API", "MIS", "CSV"))
    assert left == [], "\n".join(left)


# ---- the case page -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_j8_the_case_pages_headings_labels_and_buttons_are_in_welsh_at_a_school_in_wales(client, world):
    """The case page's own words (headings, table headings, states, buttons, dates) follow the reader's language;
    the procedure's questions, steps and the chronology's entries are data, in English for now (see the report)."""
    from cases.tests.helpers import make_case

    case = make_case(world)
    sign_in(client, world.diana)
    english = client.get(f"/cases/{case.id}/").content.decode()
    assert f"Case {case.reference}" in english and ">Clocks</h2>" in english and ">Chronology</h2>" in english
    in_wales(world)
    chooses(world.diana, WELSH)
    page = client.get(f"/cases/{case.id}/").content.decode()
    for words in (f"<title>Achos {case.reference}", f"Achos {case.reference}", ">Clociau</h2>", ">Tasgau</h2>",
                  ">Cronoleg</h2>", ">Penderfyniadau</h2>", ">Beth sydd ei angen nesaf</h2>", "Ychwanegu nodyn",
                  "Gweithdrefn", "Dechreuodd cloc pob cam pan gofnodwyd y digwyddiad gyntaf"):
        assert words in page, words
    assert re.search(r"gyntaf, \d+ \w+ \d{4} am \d+:\d\d(yb|yp)\.", page)  # the date in Welsh words
    assert ">Clocks</h2>" not in page and ">Chronology</h2>" not in page


# ---- the concerns inbox and a concern's page -------------------------------------------------------------------

def _inbox_world(world):
    """A concern still to acknowledge, two acknowledged and still open (one of them in a case already open, which a
    concern of another kind could join)."""
    from cases.tests.helpers import make_case, make_concern
    from concerns import actions as concern_actions

    waiting = make_concern(world, "other")
    acknowledged = make_concern(world, "cyberbullying")
    concern_actions.acknowledge(user=world.diana, concern=acknowledged)
    make_case(world)
    return waiting


def _names(world):
    return ("Harbour", "Oakfield Primary", world.diana.full_name, world.tom.full_name, world.pupil.display_name,
            "Operation Encompass")


@pytest.mark.django_db
def test_r_j8_the_concerns_inbox_is_in_welsh_for_a_welsh_reader_and_in_english_at_an_english_school(client, world):
    """The inbox's headings, table, waiting times and deadlines: English at an English school; in Welsh, with no
    English left but names, for the designated safeguarding person at a school in Wales who chose Cymraeg."""
    from tests.welsh import english_left

    _inbox_world(world)
    sign_in(client, world.diana)
    english = client.get("/concerns/inbox/").content.decode()
    for words in ("<title>Concerns inbox", ">Waiting to be acknowledged</h2>", ">Acknowledged, still open</h2>",
                  "Kind of concern", "2 concerns, newest first.", "Acknowledge by "):
        assert words in english, words
    in_wales(world)
    chooses(world.diana, WELSH)
    page = client.get("/concerns/inbox/").content.decode()
    for words in ("<title>Mewnflwch pryderon", ">Mewnflwch pryderon</h1>", ">Yn aros i gael eu cydnabod</h2>",
                  ">Wedi’u cydnabod, yn dal ar agor</h2>", "Math o bryder", "2 pryder, y mwyaf newydd yn gyntaf.",
                  "Seiberfwlio", "1 plentyn", f"gan {world.tom.full_name}", "Wedi’i gydnabod"):
        assert words in page, words
    assert re.search(r"Cydnabod erbyn \d+:\d\d(yb|yp)", page)  # the deadline's time, written the Welsh way
    left = english_left(page, _names(world))
    assert left == [], "\n".join(left)


@pytest.mark.django_db
def test_r_j8_a_concerns_page_is_in_welsh_for_a_welsh_reader_and_in_english_at_an_english_school(client, world):
    """A concern still to acknowledge, of a kind that needs a procedure chosen, with a case it could join: its
    back link, deadline, summary, choices and buttons read in Welsh; what was typed (the account) stays as typed."""
    from tests.welsh import english_left

    concern = _inbox_world(world)
    sign_in(client, world.diana)
    english = client.get(f"/concerns/{concern.id}/").content.decode()
    for words in ("Concerns inbox</a>", f"Concern {concern.reference}</h1>", "Acknowledge this concern",
                  "Which procedure fits this concern?", "Told the safeguarding team in person", "(Year 5)"):
        assert words in english, words
    in_wales(world)
    chooses(world.diana, WELSH)
    page = client.get(f"/concerns/{concern.id}/").content.decode()
    for words in ("Mewnflwch pryderon</a>", f"<title>Pryder {concern.reference}", f"Pryder {concern.reference}</h1>",
                  "Cydnabod y pryder hwn", "Pa weithdrefn sy’n addas i’r pryder hwn?", "Dewiswch weithdrefn",
                  "Agor achos", "Ychwanegu at yr achos hwn", "Rhoddwyd gwybod gan", "Naddo", "Y plant dan sylw",
                  "(Blwyddyn 5)", "Beth ddywedodd y plentyn, neu beth a welwyd"):
        assert words in page, words
    assert re.search(r"Cydnabyddwch y pryder erbyn \d+ \w+ \d{4} am \d+:\d\d(yb|yp)", page)
    assert re.search(r"agorwyd \d+ \w+ \d{4}", page)  # the case it could join, in Welsh words
    left = english_left(page.replace(concern.account, " "), _names(world))  # the account is what was typed
    assert left == [], "\n".join(left)


@pytest.mark.django_db
def test_r_j8_r_a5_the_summary_those_told_of_a_breach_see_is_in_welsh_for_a_welsh_reader(client, world):
    """Technical staff told of a filtering breach (A5) read its summary, what to do and why they cannot see more in
    Welsh; what the reporter typed about the breach stays as typed; at an English school it reads in English."""
    from cases.tests.helpers import make_concern
    from tests.welsh import english_left

    concern = make_concern(world, "filtering-breach")
    sign_in(client, world.terry)
    english = client.get(f"/concerns/{concern.id}/").content.decode()
    assert f"Filtering or monitoring breach {concern.reference}</h1>" in english and ">What to do</h2>" in english
    in_wales(world)
    chooses(world.terry, WELSH)
    page = client.get(f"/concerns/{concern.id}/").content.decode()
    for words in (f"Torri’r hidlo neu’r monitro {concern.reference}</h1>", ">Beth i’w wneud</h2>",
                  "Yn aros am y tîm diogelu", "Pam na alla i weld popeth?", "Mewnflwch pryderon</a>"):
        assert words in page, words
    assert world.pupil.display_name not in page and concern.account not in page  # A5: still only the summary
    left = english_left(page, (*_names(world), world.terry.full_name))
    assert left == [], "\n".join(left)
