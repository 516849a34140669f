"""Forms of the project pages; every query field is read by the query language, its error shown with the position."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipoffice.patents.search.services import QueryError
from ipoffice.regions.models import Region

from .editing import check_query
from .models import DecompositionNode, Effect, Judgement, Project
from .worksheet import SAMPLE_MAX, SAMPLE_SIZE


def query_error(error: QueryError) -> str:
    return _("%(reason)s (at position %(position)s)") % {"reason": error.reason, "position": error.position + 1}


class QueryField(forms.CharField):
    """A query in the patent query language, checked as it is typed in."""

    widget = forms.Textarea(attrs={"rows": 2, "class": "query"})

    def __init__(self, *, allow_empty=False, **kwargs):
        self.allow_empty = allow_empty
        super().__init__(required=not allow_empty, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return check_query(value, allow_empty=self.allow_empty)
        except QueryError as error:
            raise forms.ValidationError(query_error(error), code="query") from None


class RegionField(forms.CharField):
    """A division picked by its code (440106) or its name (天河区, 广州市), as the datalist suggests."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        code = value.split()[0]
        if code.isdigit():
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise forms.ValidationError(_("No region has the code %(code)s.") % {"code": code})
            return region
        found = list(Region.objects.filter(name=value)[:5]) or list(Region.objects.filter(short_name=value)[:5])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("No region is called %(name)s.") % {"name": value})
        raise forms.ValidationError(_("Several regions are called %(name)s: give the code (%(codes)s).")
                                    % {"name": value, "codes": ", ".join(r.code for r in found)})


class ProjectForm(forms.ModelForm):
    region = RegionField(label=gettext_lazy("region"), required=False,
                         widget=forms.TextInput(attrs={"list": "region-list", "placeholder": "440000 广东省"}),
                         help_text=gettext_lazy("division code or name"))
    reference_query = QueryField(allow_empty=True, label=gettext_lazy("reference query for the recall sample"),
                                 help_text=gettext_lazy("broader than the search strategy, e.g. the IPC area alone"))

    class Meta:
        model = Project
        fields = ["name", "slug", "project_type", "client", "goal", "scope", "region", "industry", "count_unit",
                  "applicant_counting", "date_basis", "cutoff_date", "lag_months", "reference_query", "is_public"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2}), "scope": forms.Textarea(attrs={"rows": 2}),
                   "cutoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.region_id:
            self.initial["region"] = f"{self.instance.region.code} {self.instance.region.name}"

    @staticmethod
    def region_choices():
        return Region.objects.filter(code__startswith="44").order_by("code").values_list("code", "name")


class QueryVersionForm(forms.Form):
    text = QueryField(label=gettext_lazy("query"))
    note = forms.CharField(label=gettext_lazy("what changed and why"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NodeForm(forms.ModelForm):
    query = QueryField(allow_empty=True, label=gettext_lazy("query"))

    class Meta:
        model = DecompositionNode
        fields = ["code", "name", "parent", "query", "sequence"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        others = project.nodes.exclude(pk=self.instance.pk) if self.instance.pk else project.nodes.all()
        self.fields["parent"].queryset = others

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = self.instance.project.nodes.filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another branch already has the code %(code)s.") % {"code": code})
        return code

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(_("A branch cannot sit below itself."))
            node = node.parent
        return parent


class EffectForm(forms.ModelForm):
    query = QueryField(label=gettext_lazy("query"))

    class Meta:
        model = Effect
        fields = ["name", "query", "sequence"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.instance.project.effects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The project already has the effect %(name)s.") % {"name": name})
        return name


class TagForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("patent number"), max_length=40)
    included = forms.TypedChoiceField(label=gettext_lazy("tag"), coerce=lambda v: v == "1",
                                      choices=[("1", gettext_lazy("put into this branch")),
                                               ("0", gettext_lazy("take out of this branch"))])


class DrawForm(forms.Form):
    sample = forms.ChoiceField(label=gettext_lazy("sample"), choices=Judgement.Sample.choices)
    size = forms.IntegerField(label=gettext_lazy("patents"), min_value=1, max_value=SAMPLE_MAX, initial=SAMPLE_SIZE)


class JudgeForm(forms.Form):
    relevant = forms.TypedChoiceField(label=gettext_lazy("relevant"), required=False, empty_value=None,
                                      coerce=lambda v: {"1": True, "0": False}.get(v),
                                      choices=[("", "—"), ("1", gettext_lazy("relevant")),
                                               ("0", gettext_lazy("not relevant"))])
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)


class FindingsForm(forms.Form):
    """One text area per report section (结论、建议、风险, and one per analysis)."""

    def __init__(self, *args, sections: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in sections:
            self.fields[key] = forms.CharField(label=label, required=False,
                                               widget=forms.Textarea(attrs={"rows": 3}))
