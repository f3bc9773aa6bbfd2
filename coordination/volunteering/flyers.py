"""A posting as an A4 flyer: the concrete facts and a QR code to the application form."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.dates import ja_date
from common.flyers import Flyer, flyer_pdf
from common.links import channel_url
from coordination.signups.forms import open_slots, slot_label


def posting_flyer(posting) -> bytes:
    apply_url = channel_url(reverse("signups:apply", args=[posting.pk]), "flyer")
    slots = [slot_label(slot) for slot in open_slots(posting)[:8]]
    lines = [
        (_("What you will do"), posting.what_you_do),
        (_("When"), posting.schedule + ("\n" + "\n".join(slots) if slots else "")),
        (_("Where"), posting.place),
        (_("How long"), posting.duration),
        (_("Who it suits"), "、".join(str(label) for label in posting.suits)),
        (_("Support and training"), posting.support),
    ]
    if posting.what_to_bring:
        lines.append((_("What to bring"), posting.what_to_bring))
    if posting.is_providing_member and posting.step_list:
        lines.append((_("Steps"), "\n".join(f"{n}. {step}" for n, step in enumerate(posting.step_list, 1))))
    lines.append((_("Apply by"), ja_date(posting.deadline)))
    lines.append((_("Contact"), posting.contact))
    organisers = "、".join(o.name for o in posting.organisers.all())
    return flyer_pdf(
        Flyer(
            title=posting.title,
            subtitle=f"{posting.get_posting_type_display()}　{organisers}",
            lines=lines,
            qr_url=apply_url,
            qr_caption=_("Apply here (no account needed)"),
            footer=apply_url,
        )
    )
