"""Wagtail's admin strings that its own Japanese catalogue lacks or words differently from the site,
translated on purpose in locale/ja/LC_MESSAGES/django.po (issue 27).

Nothing imports this module: it is here so that `makemessages` keeps these msgids, exactly as
Wagtail 8.0 spells them, in the project's catalogue (which Django reads before Wagtail's). The
strings Wagtail's JavaScript shows are in locale/ja/LC_MESSAGES/djangojs.po, kept by hand (Django
merges the project's djangojs catalogue into Wagtail's admin JavaScript catalogue).

Every other msgid the project shares with Wagtail, Django or allauth is a collision the test
areas/tests/test_admin_translation.py refuses unless it is listed there with its reason.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

#: Words the site uses for the approval workflow, so the editor's buttons read as the dashboard,
#: the e-mails and the minutes page name them (「承認して公開」, 「修正を依頼」).
WORKFLOW_WORDS = (
    gettext_noop("Request changes"),
    gettext_noop("%(label)s and Publish"),
    gettext_noop("Page '%(page_title)s' has been submitted for moderation."),
    gettext_noop("in moderation"),
    gettext_noop("live + in moderation"),
    gettext_noop("Incomplete task"),
    gettext_noop("Task submitted by"),
    gettext_noop("'%(workflow)s' started. Next step '%(task)s'"),
    gettext_noop("Approved at '%(task)s'. Next step '%(next_task)s'"),
    gettext_noop("Approved at '%(task)s'. '%(workflow)s' complete"),
    gettext_noop("Cancelled '%(workflow)s' at '%(task)s'"),
)

#: The page history's lines (Wagtail's log actions) that its Japanese catalogue lacks.
HISTORY_WORDS = (
    gettext_noop("Draft saved"),
    gettext_noop("Published"),
    gettext_noop("Unpublished"),
    gettext_noop("Reverted to previous revision"),
    gettext_noop("Added the '%(restriction)s' view restriction"),
    gettext_noop("Updated the view restriction to '%(restriction)s'"),
    gettext_noop("Removed the '%(restriction)s' view restriction. The page is public."),
    gettext_noop("Rejected at '%(task)s'. Changes requested"),
    gettext_noop("Resubmitted '%(task)s'. Workflow resumed"),
    gettext_noop("Workflow started"),
    gettext_noop("Workflow cancelled"),
    gettext_noop("Workflow task approved"),
)

#: Wagtail's names and hints that its Japanese catalogue lacks: many are read only by screen readers.
MISSING_IN_WAGTAIL = (
    gettext_noop("Actions (footer)"),
    gettext_noop("Close dialog"),
    gettext_noop("Minimap"),
    gettext_noop("Side panels"),
    gettext_noop("Sidebar"),
    gettext_noop("Toggle breadcrumbs"),
    gettext_noop("Toggle checks"),
    gettext_noop("Toggle comments"),
    gettext_noop("Toggle preview"),
    gettext_noop("Toggle section"),
    gettext_noop("Toggle side panel"),
    gettext_noop("Toggle sidebar"),
    gettext_noop("Toggle status"),
    gettext_noop("All keyboard shortcuts"),
    gettext_noop("Checks"),
    gettext_noop("Loading"),
    gettext_noop("Locking: "),
    gettext_noop("Page visibility: "),
    gettext_noop("Status: "),
    gettext_noop("Section"),
    gettext_noop("Keyboard shortcut"),
    gettext_noop("Side panel width"),
    gettext_noop("Help"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Search all pages…"),
    gettext_noop("Privacy and access"),
    gettext_noop("More options for '%(title)s'"),
    gettext_noop("Private. Visit the live page"),
    gettext_noop("Visible to all. Visit the live page"),
    gettext_noop("Select all"),
    gettext_noop("Select row"),
    gettext_noop("Select"),
    gettext_noop("Show filters"),
    gettext_noop("Unpublish selected pages"),
    gettext_noop("Search…"),
    gettext_noop("Bulk actions"),
    gettext_noop("Exploring"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Title"),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
)
