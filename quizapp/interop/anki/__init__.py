"""Anki packages (.apkg, .colpkg), both ways, through the official ``anki`` library.

The library is an optional extra (``pip install 'quizapp[anki]'``); the modules that need
it import it on first use, so quizapp starts and works without it.
"""
