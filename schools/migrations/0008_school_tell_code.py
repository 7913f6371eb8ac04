"""P1: every school gets a random code for its pupils' page. Added empty, filled one school at a time (a callable
default is evaluated once for a whole table), then made unique."""

from django.db import migrations, models

import schools.models


def fill(apps, schema_editor):
    School = apps.get_model("schools", "School")
    for school in School.objects.filter(tell_code__isnull=True).only("id"):
        school.tell_code = schools.models.new_tell_code()
        school.save(update_fields=["tell_code"])


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_school_day_start")]

    operations = [
        migrations.AddField(model_name="school", name="tell_code",
                            field=models.CharField(max_length=16, null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name="school", name="tell_code",
                              field=models.CharField(default=schools.models.new_tell_code, max_length=16,
                                                     unique=True)),
    ]
