"""Scheduling: FSRS settings, the study queue's rules, previews, optimisation and statistics.

Pure code with no database and no terminal: the store feeds it rows, the services wire it up.
"""
