"""The yearly evaluation's settings, imported by base: バトンタッチ's keyed hash and how long it is kept."""

import environ

env = environ.Env()

#: The key of the hash that tells one family's registrations apart without keeping its address
#: (coordination.activity.continuity). Empty: derived from SECRET_KEY. Changing it starts the
#: marks afresh: older ones no longer match.
CONTINUITY_KEY = env("CONTINUITY_KEY", default="")
#: Months after a fiscal year's end that its families' marks are kept, for the year's document
#: (令和7年度's are deleted at the end of September 2026); then only the counts stay.
CONTINUITY_KEEP_MONTHS = env.int("CONTINUITY_KEEP_MONTHS", default=6)
