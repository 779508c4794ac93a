"""The Pulumi program: what `pulumi up` runs for a govcloud stack."""
