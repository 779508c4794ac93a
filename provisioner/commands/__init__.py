"""Subcommands of `govcloud`, one module each.

A command module has NAME, add_arguments(parser) and run(args, settings) returning the
exit code; its one-line help is in provisioner.cli.COMMANDS, so `govcloud --help` imports
no command. A module imports only what its arguments need at the top, and the rest
(Pulumi, openstacksdk, SQLAlchemy, the spec models, ...) inside run(): `govcloud <command>
--help` must not load them. It may print: commands are the terminal edge.
"""
