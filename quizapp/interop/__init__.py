"""Translations between quizapp and other spaced-repetition apps.

Each app has its own subpackage. The translations are pure: they turn the other app's
data into quizapp's dataclasses (and back) and never build a query; the store writes.
"""
