"""Keep the Welsh catalogue up to date (rule J8; docs/translation.md).

    manage.py translations update    find every marked string, merge it into locale/cy/LC_MESSAGES/django.po
                                     (new ones untranslated, none fuzzy), and compile django.mo
    manage.py translations compile   compile django.mo from django.po only

Needs GNU gettext's msgmerge and msgfmt (Debian: gettext). The compiled .mo is committed, so a server needs neither.
"""

import shutil
import subprocess  # nosec B404 - runs the gettext tools named below, with fixed arguments
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harbour import translations

CATALOGUE = translations.LOCALE / "cy" / "LC_MESSAGES" / "django.po"


def _tool(name):
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} is missing: install GNU gettext (Debian: apt-get install gettext)")
    return found


def compile_catalogue(po: Path = CATALOGUE, mo: Path | None = None) -> Path:
    mo = mo or po.with_suffix(".mo")
    subprocess.run([_tool("msgfmt"), "--check-format", "-o", str(mo), str(po)], check=True)  # nosec B603 - a gettext tool found on PATH, fixed arguments
    return mo


class Command(BaseCommand):
    help = "Merge the strings marked for translation into the Welsh catalogue, and compile it."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["update", "compile"])

    def handle(self, *args, what, **options):
        if what == "update":
            count = translations.write_template()
            if CATALOGUE.exists():
                subprocess.run([_tool("msgmerge"), "--quiet", "--update", "--backup=none", "--no-fuzzy-matching",
                                "--sort-by-file", str(CATALOGUE), str(translations.POT)], check=True)  # nosec B603 - a gettext tool found on PATH, fixed arguments
            else:
                CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run([_tool("msginit"), "--no-translator", "--locale=cy", f"--input={translations.POT}",
                                f"--output-file={CATALOGUE}"], check=True)  # nosec B603 - a gettext tool found on PATH, fixed arguments
            self.stdout.write(f"{count} strings marked; {CATALOGUE.relative_to(translations.ROOT)} updated.")
        compile_catalogue()
        self.stdout.write("Compiled django.mo.")
