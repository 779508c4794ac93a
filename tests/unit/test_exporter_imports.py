"""The exporter daemon as deployed (deploy/govcloud-exporter.service: `python -OO -m provisioner.metering`)
runs under -OO and keeps out of its process what it never uses: what it imports stays resident for months
(bench/README.md, bench_metrics.py). Run for real, once, on a ledger already at its schema's head."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from provisioner.ledger import Ledger
from provisioner.ledger.metering_schema import migrate_metering

ROOT = Path(__file__).resolve().parents[2]
# greenlet: SQLAlchemy's asyncio extension only; charset_normalizer, chardet: requests' guess of a body's
# encoding (the cloud's APIs answer JSON); alembic, mako: migrations, only when there is one to run;
# openstack (openstacksdk), pulumi, boto3: other commands' clients.
NEVER = {"greenlet", "charset_normalizer", "chardet", "alembic", "mako", "openstack", "pulumi", "boto3"}
# govcloud's own modules the collection does not use (each a module or a package): the policy review, gate,
# docs and locator (policy/__init__.py loads its names on first use); the request spec's model and its reader
# (the exporter sizes a stored spec's resources, spec.resources, and reads the policy files' rule ids: the
# rules import RequestSpec for annotations only; department_requests is policy/requests.py); the security
# inspection's checks, drift, exposure and report (the credential rule is inspection/expiry.py); the models of
# the policy files the daemon never reads (owners, handover, change classification, prices and settlement).
UNUSED = {"provisioner.policy.review", "provisioner.policy.gate", "provisioner.policy.docs",
          "provisioner.policy.locate", "provisioner.policy.requests",
          "provisioner.spec.model", "provisioner.spec.applicant", "provisioner.spec.lifecycle",
          "provisioner.spec.load", "provisioner.spec.batch", "provisioner.spec.rules",
          "provisioner.inspection.checks", "provisioner.inspection.drift", "provisioner.inspection.exposure",
          "provisioner.inspection.report",
          "provisioner.policy.owners", "provisioner.policy.handover", "provisioner.lifecycle.classify",
          "provisioner.billing"}


CLOUDS = """
clouds:
  gc:
    auth: {auth_url: "http://127.0.0.1:9/v3", username: admin, password: pw, project_name: admin,
           user_domain_name: Default, project_domain_name: Default}
    region_name: RegionOne
"""


def test_the_daemon_runs_under_the_deployed_flags_and_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = Ledger.open(url)
    migrate_metering(ledger.engine)
    ledger.close()
    (tmp_path / "clouds.yaml").write_text(CLOUDS)
    unit = (ROOT / "deploy" / "govcloud-exporter.service").read_text(encoding="utf-8")
    command = re.search(r"^ExecStart=\S+/python (.*) -m provisioner\.metering ", unit, re.M)
    assert command is not None, "the unit starts python -m provisioner.metering"
    flags = command.group(1).split()
    env = {**os.environ, "GOVCLOUD_LEDGER_URL": url, "GOVCLOUD_ACTOR": "test", "GOVCLOUD_CACHE": str(tmp_path),
           "OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml"), "GOVCLOUD_CLOUD": "gc"}
    # The daemon as `python -m` starts it (runpy, as __main__), and at its exit the modules it holds. Its cloud
    # is a port nobody listens on: every source is tried (keystoneauth1 and requests imported), each fails.
    probe = ("import atexit, runpy, sys; atexit.register(lambda: print('MODULES', *sorted(m for m, v "
             "in sys.modules.items() if v is not None))); sys.argv[0] = 'provisioner.metering'; "
             "runpy.run_module('provisioner.metering', run_name='__main__', alter_sys=True)")
    done = subprocess.run([sys.executable, *flags, "-c", probe, "--once"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]          # the cloud did not answer: an infrastructure error
    assert "govcloud_metering_source_up" in done.stdout and "character detection" not in done.stderr
    modules = set(done.stdout.rsplit("MODULES", 1)[1].split())
    imported = {name.split(".")[0] for name in modules}
    assert {"sqlalchemy", "prometheus_client", "requests", "keystoneauth1"} <= imported   # the probe sees imports
    assert not NEVER & imported, sorted(NEVER & imported)
    # the probe sees govcloud's: the policy files' reader and the credential rule are used
    assert {"provisioner.policy.store", "provisioner.policy.load", "provisioner.inspection.expiry"} <= modules
    unused = sorted(name for name in modules
                    if name in UNUSED or any(name.startswith(f"{package}.") for package in UNUSED))
    assert not unused, unused
