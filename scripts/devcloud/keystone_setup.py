#!/usr/bin/python3
"""keystone-manage db_sync + bootstrap in one process (run by devcloud with /usr/bin/python3).

Usage: keystone_setup.py --config-file KEYSTONE_CONF bootstrap --bootstrap-password PW ...
(the arguments of `keystone-manage bootstrap`). The schema is synced first, as
`keystone-manage db_sync` would; each keystone-manage run costs seconds of imports.
"""
import sys

from keystone.cmd import cli
from keystone.common.sql import upgrades

_bootstrap_main = cli.BootStrap.main.__func__


def _sync_then_bootstrap(cls):
    upgrades.offline_sync_database_to_version()
    print('keystone db_sync: done', flush=True)
    _bootstrap_main(cls)
    print('keystone bootstrap: done', flush=True)


cli.BootStrap.main = classmethod(_sync_then_bootstrap)

if __name__ == '__main__':
    sys.exit(cli.main(argv=['keystone-manage'] + sys.argv[1:]))
