from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        # The link has moved to events.IdeaReceipt first.
        ("events", "0002_ideareceipt"),
        # The notices no longer point at ideas by this field's relation either.
        ("notices", "0002_generic_subject"),
    ]

    operations = [migrations.RemoveField(model_name="idea", name="event")]
