"""Two processor roles for the back office (ACL-5): a call centre and a print house."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="staff_role",
            field=models.CharField(blank=True, choices=[("agent", "agency or service-centre agent"), ("dpo_office", "data protection office"), ("moderator", "moderator"), ("advising_physician", "advising physician"), ("medical_delegate", "delegated medical staff"), ("fraud_unit", "fraud unit"), ("administrator", "administrator"), ("call_centre", "call centre (processor)"), ("print_house", "print house (processor)")], max_length=20, verbose_name="staff role"),
        ),
    ]
