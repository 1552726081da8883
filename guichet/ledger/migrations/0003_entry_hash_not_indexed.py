"""The sequence is the chain's key: a unique index on the (random) entry hashes only cost each append
a random B-tree insertion, and the verifier checks every hash anyway."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ledgerentry',
            name='hash',
            field=models.CharField(max_length=64),
        ),
    ]
