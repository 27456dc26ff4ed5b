"""Widgets rendered in plain Python for the find page's filters.

Django renders each widget, and each option of it, through a template; the filters are drawn
on every change of the find page and that cost a fifth of the page's time. Every value is
escaped with the find page's one helper, bookings.plan_html.esc (see that module's rule).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from bookings.plan_html import esc


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{esc(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{esc(label)}</option>"
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{esc(name)}"{attributes}>{options}</select>')  # noqa: S308 - esc()


class FastCheckboxes(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        base_id = self.build_attrs(self.attrs, attrs).get("id", name)
        boxes = []
        for index, (key, label) in enumerate(self.choices):
            box_id = esc(f"{base_id}_{index}")
            checked = " checked" if str(key) in chosen else ""
            boxes.append(
                f'<div><label for="{box_id}"><input type="checkbox" name="{esc(name)}" '
                f'value="{esc(key)}" id="{box_id}"{checked}> {esc(label)}'
                f"</label></div>"
            )
        return mark_safe(f'<div id="{esc(base_id)}">{"".join(boxes)}</div>')  # noqa: S308 - esc()
