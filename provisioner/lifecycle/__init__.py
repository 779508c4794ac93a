"""The lifecycle of an application system (art14-19): states, deadlines, due steps; pure.

machine.py   the state machine: `due`, `next_check`, and the steps people and reconcile take
states.py    states, request kinds, actions and the rules (articles) they cite
classify.py  minor or major change (art18), from policies/change-classification.yaml
messages.py  the user-facing texts, Chinese and English
"""

from provisioner.lifecycle.machine import Due, EventSpec, Step, SystemView, TransitionError, deadline, due, next_check
from provisioner.lifecycle.states import Action, Party, RequestKind, Rule, State

__all__ = ["Action", "Due", "EventSpec", "Party", "RequestKind", "Rule", "State", "Step", "SystemView",
           "TransitionError", "deadline", "due", "next_check"]
