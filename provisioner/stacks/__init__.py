"""Stacks: naming, rendered stack configuration, and running the Pulumi engine."""
