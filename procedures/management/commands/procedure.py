"""`manage.py procedure validate` and `manage.py procedure evaluate <id> <facts.json>`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures import engine, schema


class Command(BaseCommand):
    help = "Validate procedure definitions, or evaluate one procedure against a JSON file of facts."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["validate", "evaluate"])
        parser.add_argument("procedure_id", nargs="?", help="for evaluate: the procedure id, e.g. sextortion")
        parser.add_argument("facts", nargs="?", help="for evaluate: path to a JSON object of facts")

    def handle(self, *args, action, procedure_id=None, facts=None, **options):
        if action == "validate":
            return self._validate()
        return self._evaluate(procedure_id, facts)

    def _validate(self):
        try:
            definitions = schema.load_all()
        except schema.ProcedureDefinitionError as exc:
            raise CommandError(f"invalid procedure definition: {exc}") from exc
        for pid, definition in definitions.items():
            self.stdout.write(f"ok {pid} v{definition['version']}")

    def _evaluate(self, procedure_id, facts_path):
        if not procedure_id or not facts_path:
            raise CommandError("usage: procedure evaluate <procedure-id> <facts.json>")
        try:
            procedure = schema.get(procedure_id)
        except schema.ProcedureDefinitionError as exc:
            raise CommandError(str(exc)) from exc
        try:
            facts = json.loads(Path(facts_path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read facts file {facts_path}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"facts file {facts_path} is not valid JSON: {exc}") from exc
        if not isinstance(facts, dict):
            raise CommandError(f"facts file {facts_path} must hold a JSON object, not {type(facts).__name__}")
        result = engine.evaluate(procedure, facts)
        self.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))
