"""The advice that fits each child in a case (rules D3, D4, D9, E6), and their printed letters."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from advice import resources, versions
from advice.situations import is_coerced, situations_for, why_no_script
from cases.evaluation import case_pupils
from concerns.models import ChildRole
from lib.i18n import ENGLISH, date_in_words, html_lang
from lib.pdf import render_pdf


@dataclass
class ChildAdvice:
    pupil: object
    roles: list[str] = field(default_factory=list)
    offers: list[dict] = field(default_factory=list)  # [{"situation", "child": script, "parent": script}]
    # D1: the latest record says the parents are not to be told (agreed with social care or the police).
    parents_not_told: object = None
    # Why no script fits, when none does (D9: in a sextortion or grooming case the police lead for a
    # child who harmed others).
    no_script_note: str = ""

    @property
    def role_labels(self):
        return [ChildRole(r).label for r in self.roles]

    @property
    def script_ids(self):
        return {offer[audience]["id"] for offer in self.offers for audience in ("child", "parent")}


def advice_for_case(case) -> list[ChildAdvice]:
    """For each child in the case, in name order, the scripts that fit what happened to them.

    The kind of case, the child's roles and whether a child was coerced or an adult involved
    choose the scripts (D9). A child named in several concerns may hold several roles; each
    situation is offered once. Three queries: the children, the parent contacts, the school's
    rewordings.
    """
    children: dict[int, ChildAdvice] = {}
    for link in case_pupils(case):
        child = children.setdefault(link.pupil_id, ChildAdvice(pupil=link.pupil))
        if link.role not in child.roles:
            child.roles.append(link.role)
    scripts = versions.effective_all(case.school) if children else {}
    if children:
        for contact in case.parent_contacts.filter(pupil_id__in=children).order_by("recorded_at", "id"):
            children[contact.pupil_id].parents_not_told = None if contact.informed else contact
    coerced = is_coerced(case.facts, case.evaluation)
    for child in children.values():
        found = situations_for(child.roles, case.procedure_id, coerced=coerced)
        if not found:
            child.no_script_note = why_no_script(child.roles, case.procedure_id)
        for situation in found:
            child.offers.append({
                "situation": situation,
                "child": scripts[versions.script_for(situation, "child")],
                "parent": scripts[versions.script_for(situation, "parent")],
            })
    return list(children.values())


def child_in_case(case, pupil_id) -> ChildAdvice:
    """One child's advice in the case; Http404 if the child is not in it."""
    found = next((c for c in advice_for_case(case) if c.pupil.id == pupil_id), None)
    if found is None:
        raise Http404("No such child in this case")
    return found


def carers_greeted(pupil) -> str:
    """Who a parent letter about `pupil` opens to: each contact the school holds with parental responsibility for
    the child, by title and surname ("Mr and Mrs Khan" when both have a title and share a surname), or by name when
    no title is held; "" when none is held, and the letter opens "Dear parent or carer". Call it in the letter's
    language (J8: the "and")."""
    from schools.models import PupilCarer

    carers = [link.carer for link in PupilCarer.objects.filter(pupil=pupil, has_parental_responsibility=True)
              .select_related("carer").order_by("contact_priority", "id")]
    if not carers:
        return ""
    if len(carers) > 1 and all(c.title for c in carers) and len({c.last_name for c in carers}) == 1:
        names = [c.title for c in carers[:-1]] + [f"{carers[-1].title} {carers[-1].last_name}"]
    else:
        names = [f"{c.title or c.first_name} {c.last_name}" for c in carers]
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def letter_html(*, script: dict, school, pupil, signed_by, today, language: str = ENGLISH) -> str:
    """The printable page for one script. A parent letter may use the child's first name only, and opens to the
    carers the school holds (`carers_greeted`), as a letter posted home does; the child's leaflet names no one.
    The child's surname is never printed on its own: a letter can be left on a printer.

    J8: in Welsh (`language` "cy") where the script has a Welsh text: its words, the letter's own words, the date
    and the services' entries; a service without Welsh yet stays in English (marked so), never blank.
    """
    parent = script["audience"] == "parent"
    script = versions.in_language(script, language)
    with translation.override(script["language"]):
        return render_to_string("advice/print/letter.html", {
            "script": script,
            "school": school,
            "school_name": school.name,
            "first_name": pupil.first_name if parent else "",
            "carers": carers_greeted(pupil) if parent else "",
            "signed_by": signed_by.full_name if parent else "",
            "job_title": job_title(signed_by, school) if parent else "",
            "today": date_in_words(today, script["language"]),
            "links": resources.by_id(script["links"], script["language"]),
            "lang": html_lang(script["language"]),
        })


# Whose title a letter gives when the signatory holds several roles: the safeguarding one first.
_TITLE_ORDER = ["dsl", "deputy_dsl", "headteacher"]


def job_title(user, school) -> str:
    """The signatory's job title at `school`: the one their membership gives, else their role's name (a trust's
    safeguarding lead signing for the school is named as such)."""
    from accounts.capabilities import ROLE_LABELS
    from accounts.models import Membership, TrustMembership

    held = list(Membership.objects.filter(user=user, school=school).values_list("role", "job_title"))
    held.sort(key=lambda r: _TITLE_ORDER.index(r[0]) if r[0] in _TITLE_ORDER else len(_TITLE_ORDER))
    if held:
        role = ROLE_LABELS.get(held[0][0])
        return held[0][1] or (gettext(role) if role else "")  # J8: the role's name in the letter's language
    trust_role = TrustMembership.objects.filter(user=user, trust_id=school.trust_id).values_list("role", flat=True)
    return next((gettext(ROLE_LABELS[r]) for r in trust_role if r in ROLE_LABELS), "")


def letter_pdf(*, script, school, pupil, signed_by, language: str = ENGLISH) -> bytes:
    return render_pdf(letter_html(script=script, school=school, pupil=pupil, signed_by=signed_by,
                                  today=timezone.localdate(), language=language),
                      title=versions.in_language(script, language)["heading"])
