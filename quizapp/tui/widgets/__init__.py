"""Reusable widgets of the quizapp TUI, one per file."""
