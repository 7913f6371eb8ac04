class NoStoreMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware:
    """J8: each request is read in English, or in Welsh at a school in Wales by someone who chose Cymraeg.

    The choice is the person's (remembered on their account, `accounts:language`), so it follows them to any
    computer; a school outside Wales always reads English. A person who never chose costs no query here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        from lib.i18n import ENGLISH, WELSH, html_lang, language_for, serving

        language = ENGLISH
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "preferred_language", "") == WELSH:
            from schools.current import current_school

            language = language_for(user, current_school(request))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            with serving(request):  # J8: words below the views name the lead as the school's nation does
                response = self.get_response(request)
        finally:
            translation.activate(ENGLISH)  # a thread serving the next request starts in English
        response.headers.setdefault("Content-Language", html_lang(language))
        return response
