"""Stage 3, views: the checked registry joined into what each output shows, decided here, not in templates.

A view is frozen, complete data: every sentence, number and link a template prints is in
it, so a template only lays it out and has nothing to call.
"""
