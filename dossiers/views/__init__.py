"""Stage 3, views: the checked registry joined into what each output shows, decided here, not in templates."""
