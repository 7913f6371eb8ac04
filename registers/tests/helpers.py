"""A register of each kind at Oakfield, for the view tests."""

from datetime import date

from registers import actions
from tests.people import make_pupil, make_user


def coordinator(world):
    """Olive, Oakfield's online-safety coordinator: manages registers, reads no cases."""
    return make_user("olive@oakfield.example", "Olive Coordinator", school=world.oakfield,
                     role="online_safety_coordinator")


def build_registers(world, today=None):
    today = today or date.today()
    diana = world.diana
    policy = actions.add_policy(user=diana, school=world.oakfield, title="Online safety policy", owner=diana,
                                approved_by="Full governing body", approved_on=date(today.year - 1, 1, 10),
                                link="https://oakfield.example/policies/online-safety")
    version = actions.add_agreement_version(user=diana, school=world.oakfield, audience="staff", key_stage="",
                                            academic_year=actions.periods.academic_year(today), version="2025",
                                            published_on=today, document_reference="Staff handbook, section 4")
    pupil_version = actions.add_agreement_version(
        user=diana, school=world.oakfield, audience="pupils", key_stage="ks2",
        academic_year=actions.periods.academic_year(today), version="2025", published_on=today,
        document_reference="KS2 agreement")
    leaver = make_pupil(world.oakfield, "Lottie", "Brambleworth", "A999000000050", year_group=6,
                        left_on=date(today.year - 8, 7, 20))
    actions.name_leaver_images_keeper(user=diana, school=world.oakfield, person=diana)
    return {"policy": policy, "version": version, "pupil_version": pupil_version, "leaver": leaver}
