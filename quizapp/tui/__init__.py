"""The Textual front end: a thin layer of screens and widgets over ``quizapp.services``.

Nothing here decides what is due or how a card is parsed; it shows what the services
return and sends the learner's answers back to them.
"""
