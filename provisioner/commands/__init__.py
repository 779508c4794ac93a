"""Subcommands of `govcloud`, one module each.

A command module has NAME, HELP, add_arguments(parser) and run(args, settings)
returning the exit code. It may print: commands are the terminal edge.
"""
