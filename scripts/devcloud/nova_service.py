#!/usr/bin/python3
"""Runs nova-compute, nova-scheduler or nova-conductor for devcloud (Debian's /usr/bin/python3).

Usage: nova_service.py compute|scheduler|conductor --wait-for FILE [nova options...]

Why not just /usr/bin/nova-*:
- nova-compute: the Debian nova-compute package pulls in libvirt and qemu; python3-nova
  already has nova.cmd.compute, which is all the fake driver needs.
- All three need Keystone's catalog and Placement when they start (conductor and scheduler exit
  without placement; nova-compute reports its resources to placement at start and then only
  every 60 s, and needs the conductor). Instead of starting them late, devcloud starts them with
  everything else; they do their slow imports now (seconds of CPU each) and wait for FILE, which
  devcloud creates when what they need answers.
"""
import importlib
import os
import sys
import time

# Only the entry modules are imported before waiting: the managers must not be, because their
# periodic-task decorators read the config at import time (e.g. the scheduler's
# discover_hosts_in_cells_interval) and the config is parsed only by main().
ENTRY = {'compute': 'nova.cmd.compute', 'scheduler': 'nova.cmd.scheduler',
         'conductor': 'nova.cmd.conductor'}


def main():
    service, args = sys.argv[1], sys.argv[2:]
    wait_for = None
    if args[:1] == ['--wait-for']:
        wait_for, args = args[1], args[2:]
    entry = ENTRY[service]
    try:
        import setproctitle
        setproctitle.setproctitle(f'nova-{service} ' + ' '.join(args))
    except ImportError:
        pass
    mod = importlib.import_module(entry)   # nova.cmd monkey-patches eventlet first
    deadline = time.time() + 600
    while wait_for and not os.path.exists(wait_for) and time.time() < deadline:
        time.sleep(0.2)
    sys.argv = [f'nova-{service}'] + args
    return mod.main()


if __name__ == '__main__':
    sys.exit(main())
