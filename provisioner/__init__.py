"""govcloud: the provisioner of the Jiujiang government cloud."""
