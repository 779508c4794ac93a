"""The words of the lifecycle: states, request kinds, actions and the rules they cite."""

from __future__ import annotations

from enum import StrEnum

from provisioner.regulation import CHANGE, DECIDE, PREPARE_TRIAL


class State(StrEnum):
    SUBMITTED = "submitted"      # awaiting the office's decision: 3 working days (art15)
    ACCEPTED = "accepted"        # trial being prepared by the provider: 2 working days (art16)
    REJECTED = "rejected"
    TRIAL = "trial"              # free trial: 15 calendar days + approved extensions (art16)
    PRODUCTION = "production"    # the trial environment converted, not rebuilt (art17)
    CHANGING = "changing"        # an approved minor change being applied: 3 working days (art18)
    TERMINATING = "terminating"  # confirmed: back up and migrate data, then take offline (art19)
    HANDOVER = "handover"        # backed up and verified; the unit confirms the hand-over record
                                 # before anything is destroyed (art25: the data is the unit's)
    TERMINATED = "terminated"


FINAL_STATES = frozenset({State.REJECTED, State.TERMINATED})


class RequestKind(StrEnum):
    NEW = "new"                    # art14
    MIGRATION = "migration"        # art14, art23
    CHANGE_MINOR = "change-minor"  # art18: applied within 3 working days once approved
    CHANGE_MAJOR = "change-major"  # art18: the whole new-application flow again
    TERMINATION = "termination"    # art19


# Requests that go through the whole flow (review, trial, acceptance, go-live).
FULL_FLOW = frozenset({RequestKind.NEW, RequestKind.MIGRATION, RequestKind.CHANGE_MAJOR})


class Party(StrEnum):
    DEPARTMENT = "department"    # 使用单位
    PROVIDER = "provider"        # 云服务商


class Action(StrEnum):
    """What reconcile may find due. The first five are done by the stack engine."""

    CREATE_TRIAL = "create_trial"
    PROMOTE = "promote"
    APPLY_CHANGE = "apply_change"
    BACK_UP = "back_up"            # termination, part 1: back up and verify, write the hand-over record
    TERMINATE = "terminate"        # termination, part 2: destroy, once the unit confirmed the hand-over
    HOLD = "hold"                  # trial over without both acceptances: flag, do not promote
    BREACH = "breach"              # a deadline passed: record it once


ENGINE_ACTIONS = (Action.CREATE_TRIAL, Action.PROMOTE, Action.APPLY_CHANGE, Action.BACK_UP, Action.TERMINATE)

# The state in which each engine action is due, and the state it leads to.
ACTION_STATES = {
    Action.CREATE_TRIAL: (State.ACCEPTED, State.TRIAL),
    Action.PROMOTE: (State.TRIAL, State.PRODUCTION),
    Action.APPLY_CHANGE: (State.CHANGING, State.PRODUCTION),
    Action.BACK_UP: (State.TERMINATING, State.HANDOVER),
    Action.TERMINATE: (State.HANDOVER, State.TERMINATED),
}


class Rule(StrEnum):
    DECIDE = "art15"               # accept or reject within 3 working days
    PREPARE_TRIAL = "art16-prepare"  # trial resources within 2 working days of acceptance
    TRIAL = "art16-trial"          # 15 calendar days, extendable; both sides must agree
    GO_LIVE = "art17"
    CHANGE = "art18"               # minor change within 3 working days
    TERMINATE = "art19"
    DATA = "art25"                 # the applications' data belongs to the unit: handed over first
    LEGACY = "art23"               # the original system kept two months after go-live
    LOGS = "art26"


WORKING_DAYS = {Rule.DECIDE: DECIDE.count, Rule.PREPARE_TRIAL: PREPARE_TRIAL.count, Rule.CHANGE: CHANGE.count}
# The rules counted in working days; the trial (art16) and its go-live (art17) are in calendar days.
WORKING_DAY_RULES = frozenset(rule.value for rule in WORKING_DAYS)
