"""Each sign-off carries its case's school, and the index of sign-offs still waiting is keyed by it (issue 24, round
two): the home page reads the waiting sign-offs of its own school only, not every school's and then filters."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    """The school of each existing sign-off is its decision's case's (a case never changes school)."""
    SignOff = apps.get_model("cases", "SignOff")
    Decision = apps.get_model("cases", "Decision")
    SignOff.objects.update(school_id=Subquery(Decision.objects.filter(id=OuterRef("decision_id"))
                                              .values("case__school_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0015_sign_off_waiting"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="signoff",
            name="school",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="schools.school"),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="signoff",
            name="school",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="schools.school"),
        ),
        migrations.RemoveIndex(model_name="signoff", name="sign_off_waiting"),
        migrations.AddIndex(
            model_name="signoff",
            index=models.Index(condition=models.Q(("signed_at__isnull", True)), fields=["school", "decision"],
                               name="sign_off_waiting_school"),
        ),
    ]
