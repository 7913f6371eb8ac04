import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
application = get_wsgi_application()

from harbour.checks import refuse_unsafe_demo_mode  # noqa: E402 - needs the settings loaded above

refuse_unsafe_demo_mode()

from lib.pdf import warm_up  # noqa: E402 - needs the settings loaded above

warm_up()  # WeasyPrint's import and fonts, in the background: the first PDF is then as quick as the rest (20.9)
