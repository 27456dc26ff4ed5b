from django.dispatch import Signal

# Sent when someone of staff opens one person's record (account, profile, a booking) in admin
# or a report. Arguments: person, staff, record (the kind of record, never its content).
# privacy, a higher app, keeps the log; profiles must not import it.
person_record_opened = Signal()

# Sent when someone of staff narrows a list to people (by a search or a filter on a person) and
# the page shows their records. Arguments: people (a list of users), staff, record (the kind).
people_listed = Signal()
