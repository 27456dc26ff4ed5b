"""What a browser posts back for an admin change page it did not touch."""


def _form_data(form) -> dict:
    # Ticked boxes only, and nothing for None, as a browser sends them.
    data = {}
    for field in form:
        value = field.value()
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        elif value not in (False, None):
            data[field.html_name] = value
    return data


def unchanged_post_data(page) -> dict:
    """Return the POST data of the change page `page` (a test client response) as shown."""
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(_form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_form_data(form))
    return data
