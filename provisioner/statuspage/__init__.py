"""The status page: `govcloud status --html DIR` (model pure, render pure, written by the command;
its words in messages.py, Chinese and English)."""
