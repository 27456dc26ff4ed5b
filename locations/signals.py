from django.dispatch import Signal

# Sent after a closure is saved, with `closure`; the bookings app cancels what it covers.
closure_saved = Signal()
