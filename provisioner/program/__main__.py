"""Entry point of the Pulumi program (Pulumi.yaml `main: provisioner/program`).

The stack's configuration (stacks/Pulumi.<stack>.yaml, rendered by govcloud)
says which kind of stack this is and which request spec it realises. The spec
is loaded and validated here, inside the program, so a hand-run `pulumi up`
goes through the same checks as govcloud's own runs.
"""

from provisioner.program.entry import run

run()
