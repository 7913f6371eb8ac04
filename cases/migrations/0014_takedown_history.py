"""J5: a takedown record becomes append-only (its history kept), says which service was offered, and words the
child's choice and the outcome as the safeguarding team records them."""

from django.db import migrations, models
from django.db.models import Q

OLD_CHOICE = {"report_remove": ("report_remove", "wants_to_use"), "take_it_down": ("take_it_down", "wants_to_use"),
              "both": ("both", "wants_to_use"), "neither": ("report_remove", "does_not"),
              "undecided": ("report_remove", "undecided")}
OLD_OUTCOME = {"not_known": "not_known", "removed": "removed", "not_removed": "not_removed", "not_used": "not_known"}


def forwards(apps, schema_editor):
    Takedown = apps.get_model("cases", "Takedown")
    for row in Takedown.objects.all():
        row.service, row.choice = OLD_CHOICE.get(row.choice, ("report_remove", "undecided"))
        row.outcome = OLD_OUTCOME.get(row.outcome, "not_known")
        row.save(update_fields=["service", "choice", "outcome"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0013_procedure_version_choice"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="takedown", name="takedown_one_per_child"),
        migrations.RemoveConstraint(model_name="takedown", name="takedown_choice_valid"),
        migrations.RemoveConstraint(model_name="takedown", name="takedown_outcome_valid"),
        migrations.RenameField(model_name="takedown", old_name="offered_at", new_name="recorded_at"),
        migrations.RenameField(model_name="takedown", old_name="offered_by", new_name="recorded_by"),
        migrations.RemoveField(model_name="takedown", name="updated_at"),
        migrations.AddField(
            model_name="takedown", name="service",
            field=models.CharField(choices=[("report_remove", "Report Remove (Childline and the Internet Watch Foundation)"), ("take_it_down", "Take It Down"), ("both", "Both Report Remove and Take It Down")], default="report_remove", max_length=16),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="takedown", name="choice",
            field=models.CharField(choices=[("wants_to_use", "Wants to use it"), ("does_not", "Does not want to use it"), ("wants_help", "Wants help to use it"), ("undecided", "Not decided yet")], default="undecided", max_length=16),
        ),
        migrations.AlterField(
            model_name="takedown", name="outcome",
            field=models.CharField(choices=[("not_known", "Not known yet"), ("reported", "Reported"), ("removed", "Removed"), ("not_removed", "Not removed")], default="not_known", max_length=16),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterModelOptions(name="takedown", options={"ordering": ["recorded_at", "id"]}),
        migrations.AddConstraint(
            model_name="takedown",
            constraint=models.CheckConstraint(condition=Q(("service__in", ["report_remove", "take_it_down", "both"])), name="takedown_service_valid"),
        ),
        migrations.AddConstraint(
            model_name="takedown",
            constraint=models.CheckConstraint(condition=Q(("choice__in", ["wants_to_use", "does_not", "wants_help", "undecided"])), name="takedown_choice_valid"),
        ),
        migrations.AddConstraint(
            model_name="takedown",
            constraint=models.CheckConstraint(condition=Q(("outcome__in", ["not_known", "reported", "removed", "not_removed"])), name="takedown_outcome_valid"),
        ),
        migrations.AddIndex(
            model_name="takedown",
            index=models.Index(fields=["case", "pupil", "recorded_at"], name="takedown_case_child"),
        ),
    ]
