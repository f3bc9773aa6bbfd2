"""The admin form of the evaluation document: a goal's figures left empty are drafted from the ledger."""

from wagtail.admin.forms import WagtailAdminModelForm

from coordination.evaluation.services import figures_draft


class EvaluationDocumentForm(WagtailAdminModelForm):
    def save(self, commit=True):
        goals = self.formsets.get("goals")
        year = self.cleaned_data.get("fiscal_year")
        if goals is not None and year:
            for form in goals.forms:
                if form in goals.deleted_forms or (not form.has_changed() and form.instance.pk is None):
                    continue
                if not (form.cleaned_data.get("figures") or "").strip():
                    form.instance.figures = figures_draft(
                        programme_types=form.cleaned_data.get("programme_types") or [],
                        targets=form.cleaned_data.get("targets") or [],
                        information_work=bool(form.cleaned_data.get("information_work")),
                        fiscal_year=year,
                    )
                    # Saved even when nothing was typed in this goal's form.
                    form.changed_data.append("figures")
        return super().save(commit)
