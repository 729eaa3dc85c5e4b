"""Who may change the vocabularies (action fields, districts, quarters). Django's model
permissions: the administrators' group holds them, editors may only read."""


def can_change_vocabulary(user, model, *, new: bool = False) -> bool:
    codename = f"{'add' if new else 'change'}_{model._meta.model_name}"
    return bool(user and user.is_authenticated and user.has_perm(f"fields.{codename}"))
