#!/usr/bin/python3
"""Nova's database setup in one process (run by devcloud with Debian's /usr/bin/python3).

Equivalent to, in this order:
    nova-manage api_db sync
    nova-manage cell_v2 map_cell0 --database_connection CELL0_URL
    nova-manage cell_v2 create_cell --name=cell1      (exit 2 = exists already: fine)
    nova-manage db sync
Each separate nova-manage run spends ~5 s importing nova; this saves three of them.

Usage: nova_setup.py NOVA_CONF CELL0_URL
"""
import sys

from oslo_log import log as logging

from nova.cmd import manage
from nova import config
from nova import objects


def main():
    conf_file, cell0_url = sys.argv[1], sys.argv[2]
    manage.CONF.register_cli_opts([manage.category_opt, manage.post_mortem_opt])
    # The category positional is required by the parser; the actions are called directly below.
    config.parse_args(['nova-manage', '--config-file', conf_file, 'db', 'sync'])
    logging.setup(manage.CONF, 'nova')
    objects.register_all()

    steps = [
        ('api_db sync', lambda: manage.ApiDbCommands().sync()),
        ('cell_v2 map_cell0', lambda: manage.CellV2Commands().map_cell0(
            database_connection=cell0_url)),
        ('cell_v2 create_cell cell1', lambda: manage.CellV2Commands().create_cell(
            name='cell1')),
        ('db sync', lambda: manage.DbCommands().sync()),
    ]
    for name, fn in steps:
        rc = fn() or 0
        if name.startswith('cell_v2 create_cell') and rc == 2:
            print('cell1 exists already')
            rc = 0
        print(f'nova-manage {name}: rc={rc}', flush=True)
        if rc:
            return rc
    return 0


if __name__ == '__main__':
    sys.exit(main())
