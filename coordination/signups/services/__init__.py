"""Applying, confirming, withdrawing, moving up, deciding: the one place signups change.

By subject: `places` (counting, locking, moving up), `slots` (a page's rows become slots),
`applications` (apply, confirm, change, withdraw), `roster` (the volunteer roster), `decisions`
(the organisers' decisions and lotteries), `cancellation` (a page called off), `taking_part` (who
took part, marked after the date) and `jobs` (the other scheduled jobs). Callers name everything from here.
"""

from coordination.signups.links import applicant_token
from coordination.signups.services.applications import (
    Confirmation,
    add_slots,
    apply,
    apply_online,
    change_slot,
    check_count,
    confirm,
    update_details,
    withdraw,
)
from coordination.signups.services.cancellation import applicants_tell_cancelled
from coordination.signups.services.channels import channel_count_add
from coordination.signups.services.decisions import Decision, decide, draw, draw_due_lotteries
from coordination.signups.services.jobs import delete_personal_data, expire_unconfirmed, send_reminders
from coordination.signups.services.places import SignupError, places_left, release_if_expired, with_counts
from coordination.signups.services.roster import roster_entry_save, roster_invite, roster_join, roster_leave
from coordination.signups.services.slots import refresh_rolling_slots, sync_slots
from coordination.signups.services.taking_part import took_part_record

__all__ = [
    "Confirmation",
    "Decision",
    "SignupError",
    "add_slots",
    "applicant_token",
    "applicants_tell_cancelled",
    "apply",
    "apply_online",
    "change_slot",
    "channel_count_add",
    "check_count",
    "confirm",
    "decide",
    "delete_personal_data",
    "draw",
    "draw_due_lotteries",
    "expire_unconfirmed",
    "places_left",
    "refresh_rolling_slots",
    "release_if_expired",
    "roster_entry_save",
    "roster_invite",
    "roster_join",
    "roster_leave",
    "send_reminders",
    "sync_slots",
    "took_part_record",
    "update_details",
    "with_counts",
    "withdraw",
]
