"""`manage.py procedure validate`, `procedure evaluate <id> [facts.json]` and `procedure diff <id> --school <slug>`.

`evaluate` without a facts file evaluates no answers at all: what the kind of incident implies and
requires before anyone has answered (B14, B15, B16).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures import engine, schema


class Command(BaseCommand):
    help = ("Validate procedure definitions, evaluate one procedure against a JSON file of facts, "
            "or show how a school's version differs from the shipped one.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["validate", "evaluate", "diff"])
        parser.add_argument("procedure_id", nargs="?", help="for evaluate and diff: the procedure id, e.g. sextortion")
        parser.add_argument("facts", nargs="?",
                            help="for evaluate: path to a JSON object of facts (left out: no answers yet)")
        parser.add_argument("--school", help="for diff: the school's slug, e.g. oakfield")
        parser.add_argument("--nation", default="england", choices=["england", "wales", "scotland", "northern_ireland"],
                            help="for evaluate: the nation whose layer applies (J8; default england)")

    def handle(self, *args, action, procedure_id=None, facts=None, school=None, nation="england", **options):
        if action == "validate":
            return self._validate()
        if action == "diff":
            return self._diff(procedure_id, school)
        return self._evaluate(procedure_id, facts, nation)

    def _diff(self, procedure_id, slug):
        """Print the version in force at a school and how it differs from the shipped procedure."""
        from django.http import Http404

        from procedures import versions
        from schools.models import School

        if not procedure_id or not slug:
            raise CommandError("usage: procedure diff <procedure-id> --school <slug>")
        school = School.objects.select_related("trust").filter(slug=slug).first()
        if school is None:
            raise CommandError(f"no school with slug {slug!r}")
        try:
            shipped = versions.shipped(procedure_id)
        except Http404:
            raise CommandError(f"unknown procedure {procedure_id!r}") from None
        effective = versions.effective_for(school, procedure_id)
        self.stdout.write(effective["pinned"]["label"])
        lines = versions.differences(shipped, effective)
        for line in lines:
            self.stdout.write(f"- {line}")
        if not lines:
            self.stdout.write("No differences from the shipped procedure.")

    def _validate(self):
        try:
            definitions = schema.load_all()
        except schema.ProcedureDefinitionError as exc:
            raise CommandError(f"invalid procedure definition: {exc}") from exc
        for pid, definition in definitions.items():
            self.stdout.write(f"ok {pid} v{definition['version']}")
        from procedures import nations

        try:
            layers = nations.load_all()
        except nations.NationLayerError as exc:
            raise CommandError(f"invalid nation layer: {exc}") from exc
        for nation, layer in layers.items():
            self.stdout.write(f"ok nation {nation} v{layer['version']}")

    def _evaluate(self, procedure_id, facts_path, nation="england"):
        from accounts.capabilities import ROLE_LABELS
        from procedures import nations

        if not procedure_id:
            raise CommandError("usage: procedure evaluate <procedure-id> [facts.json]")
        try:
            procedure, _ = nations.apply(schema.get(procedure_id), nation)
        except (schema.ProcedureDefinitionError, nations.NationLayerError) as exc:
            raise CommandError(str(exc)) from exc
        if not facts_path:
            facts = {}
        else:
            facts = self._read_facts(facts_path)
        result = engine.evaluate(procedure, facts, role_labels=ROLE_LABELS)
        self.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))

    def _read_facts(self, facts_path):
        try:
            facts = json.loads(Path(facts_path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read facts file {facts_path}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"facts file {facts_path} is not valid JSON: {exc}") from exc
        if not isinstance(facts, dict):
            raise CommandError(f"facts file {facts_path} must hold a JSON object, not {type(facts).__name__}")
        return facts
