from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Renders every form with the KERN design system's markup."""

    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"
