"""OpenStack through openstacksdk: the one adapter that talks to the cloud directly
(the Pulumi provider does everything else). Errors leave as CloudError, worded in messages.py
(zh and en, with what preflight finds the cloud lacks)."""
