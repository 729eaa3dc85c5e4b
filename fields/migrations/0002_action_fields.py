from django.db import migrations

ACTION_FIELDS = [
    ("Bildung", "bildung", "Digitale Bildung in Schule, Ausbildung und lebenslangem Lernen.",
     "#0b6e4f"),
    ("Wirtschaft", "wirtschaft", "Digitale Wirtschaft, Handel, Gründungen und Arbeit.", "#8a4b08"),
    ("Mobilität", "mobilitaet", "Vernetzte, nachhaltige Mobilität für alle.", "#1f5c99"),
    ("Verwaltung", "verwaltung", "Digitale, offene und bürgernahe Verwaltung.", "#6b2c91"),
]


def create(apps, schema_editor):
    ActionField = apps.get_model("fields", "ActionField")
    for order, (name, slug, description, colour) in enumerate(ACTION_FIELDS):
        ActionField.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "colour": colour,
                      "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("fields", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
