"""OpenStack through openstacksdk: the one adapter that talks to the cloud directly
(the Pulumi provider does everything else). Errors leave as CloudError."""
