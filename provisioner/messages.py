"""The words of govcloud's top-level modules (provisioner/*.py), in Chinese and English.

Each package keeps its own table in its messages.py; this one is for the modules that sit
beside the packages (regulation, calendar, settings, clock, credentials and the like).
See provisioner/words.py.
"""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
})
