from django import forms
from django.utils.translation import gettext_lazy as _

from ipoffice.entities.models import Entity
from ipoffice.entities.services import search_entities
from ipoffice.regions.models import Region


class EntityFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all"))] + list(Entity.Kind.choices))
    city = forms.ModelChoiceField(label=_("City"), required=False, to_field_name="code",
                                  queryset=Region.objects.filter(level=Region.Level.CITY, code__startswith="44"))
    high_tech = forms.BooleanField(label=_("High-tech enterprises only"), required=False)

    def filter(self, queryset):
        data = self.cleaned_data
        if data["q"]:
            queryset = search_entities(data["q"], queryset)
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["city"]:
            queryset = queryset.filter(region__code__startswith=data["city"].code_prefix)
        if data["high_tech"]:
            queryset = queryset.filter(is_high_tech=True)
        return queryset


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into entity (id)"), queryset=Entity.objects.all(),
                                    widget=forms.NumberInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.candidates = search_entities(source.core_key or source.name).exclude(pk=source.pk)[:10]

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target.pk == self.source.pk:
            raise forms.ValidationError(_("An entity cannot be merged into itself."))
        return target
