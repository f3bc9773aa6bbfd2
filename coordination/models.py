from coordination.events.models import (  # noqa: F401
    AgeBand,
    EventDate,
    EventIndexPage,
    EventPage,
)
from coordination.meetings.models import (  # noqa: F401  (Django finds models here)
    ActionItem,
    MeetingAttachment,
    MeetingIndexPage,
    MeetingPage,
)
from coordination.notifications.models import (  # noqa: F401
    Delivery,
    Notification,
    NotificationPreference,
)
from coordination.signups.models import (  # noqa: F401
    Applicant,
    Signup,
    Slot,
)
from coordination.volunteering.models import (  # noqa: F401
    PostingShift,
    VolunteerIndexPage,
    VolunteerPostingPage,
)
