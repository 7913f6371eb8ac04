from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from accounts import pickers
        from lib import i18n
        from notifications import email
        from schools import nations

        pickers.role_label_at.provide(nations.role_label)  # J8: role labels in the school's nation's words
        pickers.nation_words.provide(nations.for_nation)  # J8: the invitation email's words
        i18n.lead_words.provide(_lead_words)  # J8: the imagery refusals' words, for the request's school
        email.school_words.provide(nations.words)  # J8: the case-opened email's subject


def _lead_words(request):
    """The words for the safeguarding lead at the school `request` is working in; neutral without one (J8)."""
    from schools import nations
    from schools.current import current_school

    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return nations.words_or_neutral(current_school(request) if signed_in else None)
