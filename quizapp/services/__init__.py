"""What the front ends call: importing, the library, study sessions, statistics, settings.

Services combine the core (cards, scheduling, exercises) with the store, through the
repositories ``quizapp.store.db.Database`` hands out; they never build a query.
"""
