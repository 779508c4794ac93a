"""The lifecycle of an application system (art14-19): states, deadlines, due steps; pure.

machine.py   the state machine: `due`, `next_check`, and the steps people and reconcile take
view.py      SystemView: what the machine knows of one generation of a system
golive.py    the go-live rule: when a trial may become production
states.py    states, request kinds, actions and the rules (articles) they cite
classify.py  minor or major change (art18), from policies/change-classification.yaml
messages.py  the user-facing texts, Chinese and English

The package imports none of them, so that states and messages load without the calendar.
"""
