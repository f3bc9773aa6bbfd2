"""The event editor's form as the browser sends it, for tests that post to Wagtail's edit view."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text


def editor_form(page, *, description="<p>雨天中止。</p>", **fields):
    """The edit form of `page` as the browser sends it: the page's own values, the changes in
    `fields` (an action such as `**{"action-publish": "action-publish"}` among them), and the
    page's organisers, age bands, areas and programme type as the editor shows them chosen."""
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "description": rich_text(description),
            "place": page.place,
            "start_date": page.start_date.isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "repeat": "",
            "repeat_weekday": "",
            "repeat_week_of_month": "",
            "repeat_until": "",
            "dates": inline_formset([]),
            "questions": inline_formset([]),
            "registration_unit": "groups",
            "cost": "無料",
            "what_to_bring": "",
            "image": "",
            "image_alt": "",
            "seo_title": "",
            "search_description": "",
            **fields,
        }
    )
    data["organisers"] = [o.pk for o in page.organisers.all()]
    data["age_bands"] = [b.pk for b in page.age_bands.all()]
    data["areas"] = [a.pk for a in page.areas.all()]
    data["programme_type"] = page.programme_type_id
    return data
