"""Benchmark: `govcloud apply` on the real local cloud and engine, against a hand-written Pulumi program.

    .venv/bin/python bench/bench_stacks.py [--repeat 3] [--systems 20] [--parallel 4] [--per-department 1]
                                           [--skip-typical] [--skip-many] [--skip-kinds] [--keep]

Needs the local cloud (scripts/devcloud/devcloud start; part 3 with --swift --octavia --manila)
and the engine (scripts/build-engine).
Works in scratch repositories under a temporary folder (Pulumi.yaml, policies/, generated
request_specs/, empty stacks/, their own file state backend and passphrase, like tests/cloud),
with departments of its own (jj-bench-*), so it shares nothing with the samples, the tests or
the developer's own state.

1. One typical system: the sample request_specs/jj-xzspj/zwfw-portal.yaml moved to the
   department jj-bench-std and made tiny (gc.c1m2, 10 GB disks): 2 servers with a port each,
   booting from 2 system-disk volumes (the flavor's 20 GB, made from the image), 2 data volumes
   attached, network + subnet + router + router interface, one security group with 2 rules (17
   resources). REPEAT times, arms alternating:
     govcloud:     up   = `govcloud apply -j 1 <spec>`   (its tenant stack + the system)
                   down = `govcloud destroy <spec>`     (the system, then its tenant stack)
     handwritten:  up   = `pulumi up` of the same tenant stack + `pulumi up` of bench/handwritten
                   down = `pulumi destroy` of bench/handwritten + `pulumi destroy` of the tenant stack
   The department's tenant stack (Keystone project, users, quotas) is created beforehand,
   untimed, for each arm; `govcloud apply` always brings it up to date before its systems (a
   no-op here), so the handwritten arm runs the same no-op `pulumi up` of it, and both destroys
   end by deleting it: the tenant is timed equally in both arms. Same engine binary, same
   kind of state backend (a local file backend per scratch repository), both `up`s without a
   preview (the Automation API's `up` is `pulumi up --yes --skip-preview`); the handwritten
   arm runs `pulumi up` as a person would, and `govcloud apply` runs the same `pulumi up`
   (without --refresh: that is `govcloud apply --refresh`, not measured here). Each arm also runs its `up` a second time (nothing to
   create: the fixed costs). Prints each run, the medians and govcloud / handwritten (goal
   <= 1.10), with the system stack's own part, and the CPU time of the commands and all they
   started (CLI, plugin, Python program; the cloud's own daemons not included).
2. SYSTEMS systems (default 20, one per department, as in the samples): generated from the
   sample as above, each with its own department, system code, request number and subnet,
   checked by `govcloud validate` (spec and policies). Times `govcloud apply -j PARALLEL` and `govcloud apply -j 1` on all of them
   (tenants first, then the systems), each followed by an untimed destroy; prints both, the
   speed-up (goal >= 3x) and some of apply's progress lines as they came.

3. One system asking for every kind (department jj-bench-kinds): the typical system's 2 hosts
   with 20 GB system disks, a MySQL database host with its volume and cloud-init, a 1 GB bucket,
   a 10 GB NFS share the subnet mounts, 10 Mbps of internet bandwidth (a QoS policy, a rule
   each way) on a public IP and on a public layer-4 load balancer (a TCP listener, its pool, the
   2 hosts as members), a WAF ordered (no OpenStack resource). govcloud against bench/handwritten
   given every kind's settings (the same resources, written by hand), as in part 1.

Everything it creates is destroyed at the end, also after a failure or Ctrl-C (stacks first,
then tests/cloud/leftovers.purge_project for the bench's departments). It prints; it asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openstack  # noqa: E402
import yaml  # noqa: E402

import benchenv  # noqa: E402
from benchenv import own_environment  # noqa: E402
from timing import children_cpu  # noqa: E402
from provisioner.app import apply as apply_job  # noqa: E402
from provisioner.cloud.regions import ensure_domains  # noqa: E402
from provisioner.settings import Settings  # noqa: E402
from provisioner.stacks.engine import Engine  # noqa: E402
from tests.agreements import file_agreement  # noqa: E402
from tests.cloud.leftovers import purge_project  # noqa: E402

SAMPLE = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"
HANDWRITTEN = ROOT / "bench" / "handwritten"
REGION = "city"
TYPICAL_DEPT = "jj-bench-std"
TYPICAL_SYSTEM = "portal"
KINDS_DEPT, KINDS_SYSTEM, KINDS_CIDR, MBPS = "jj-bench-kinds", "kinds", "10.119.2.0/24", 10
FLAVOR, DISK_GB = "gc.c1m2", 10          # the catalogue's smallest flavor, the smallest disk allowed


class BenchError(Exception):
    pass


# -- specs ---------------------------------------------------------------------------------

def spec_text(department: str, system: str, number: int, cidr: str) -> str:
    """The sample moved to `department`, renamed, renumbered and made tiny."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("jj-xzspj", department).replace("zwfw-portal", system)
    text = text.replace("九江市行政审批局", f"九江市基准测试局（{department}）")
    text = re.sub(r"(?m)^  request_id: JJ-2026-\d+", f"  request_id: JJ-2026-{number:04d}", text)
    text = re.sub(r"(?m)^    cidr: \S+", f"    cidr: {cidr}", text)
    text = re.sub(r"(?m)^      flavor: \S+", f"      flavor: {FLAVOR}", text)
    text = re.sub(r"(?m)^(\s+- size_gb: )\d+", rf"\g<1>{DISK_GB}", text)
    return text


def write_spec(repo: Path, department: str, system: str, number: int, cidr: str) -> Path:
    path = repo / "request_specs" / department / f"{system}.yaml"
    if not path.parent.exists():                 # a new department files its service agreement (art22)
        file_agreement(repo, department)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text(department, system, number, cidr), encoding="utf-8")
    return path


def bench_department(index: int) -> str:
    return f"jj-bench-{index + 1:02d}"


def many_specs(repo: Path, count: int, per_department: int) -> list[Path]:
    """COUNT systems, PER_DEPARTMENT to a department (jj-bench-01, jj-bench-02, ...)."""
    paths = []
    for index in range(count):
        paths.append(write_spec(repo, bench_department(index // per_department), f"sys{index + 1:02d}", 9100 + index,
                                f"10.{120 + index // 250}.{index % 250 + 1}.0/24"))
    return paths


# -- scratch repositories --------------------------------------------------------------------

@dataclass
class Scratch:
    root: Path
    settings: Settings
    env: dict[str, str]                    # for `govcloud` and hand-run `pulumi` in this repository
    created: set[str] = field(default_factory=set)     # govcloud stacks that may hold resources
    handwritten: set[tuple[str, str]] = field(default_factory=set)  # (program, stack) that may hold resources

    @property
    def engine(self) -> Engine:
        return Engine(self.settings)


def scratch_repo(folder: Path, name: str, engine_bin: Path, clouds: Path) -> Scratch:
    root = folder / name
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    shutil.copytree(ROOT / "policies", root / "policies")
    (root / "request_specs").mkdir()
    (root / "stacks").mkdir()
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "provisioner").symlink_to(ROOT / "provisioner")
    shutil.copytree(HANDWRITTEN, root / "bench" / "handwritten",
                    ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__"))
    (folder / f"{name}-state").mkdir()
    passphrase = folder / f"{name}-passphrase"
    passphrase.write_text("bench-passphrase")
    # GOVCLOUD_CACHE (where the engine's plugin home is) is kept, as benchenv keeps it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVCLOUD_", "PULUMI_", "OS_"))
           or k in benchenv.KEPT}
    env.update(GOVCLOUD_ENGINE_BIN=str(engine_bin), GOVCLOUD_STATE_URL=(folder / f"{name}-state").as_uri(),
               GOVCLOUD_PASSPHRASE_FILE=str(passphrase), OS_CLIENT_CONFIG_FILE=str(clouds),
               GOVCLOUD_LEDGER_URL=f"sqlite:///{folder / f'{name}-ledger.sqlite3'}", GOVCLOUD_ACTOR="bench")
    settings = Settings.from_environ(env, root)
    return Scratch(root, settings, {**env, **settings.pulumi_env()})


# -- running and timing ---------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    stdout: str = ""
    lines: list[tuple[float, str]] = field(default_factory=list)  # stderr lines, second they arrived at
    cpu: float = 0.0        # CPU seconds of the command and everything it started (CLI, plugin, program)
    busy: float = 0.0       # CPU seconds the whole machine spent meanwhile (the cloud, other work)

    def __add__(self, other: Run) -> Run:
        return Run(self.seconds + other.seconds, other.stdout, [], self.cpu + other.cpu, self.busy + other.busy)


def _machine_busy() -> float:
    """CPU seconds all cores of the machine spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


_children: set[subprocess.Popen] = set()


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command to its end, timing it; stderr lines are stamped as they arrive."""
    cpu, busy = children_cpu(), _machine_busy()
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)   # our Ctrl-C handling stops it
    _children.add(child)
    lines: list[tuple[float, str]] = []

    def read_stderr() -> None:
        for line in child.stderr:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        stdout = child.stdout.read()
        child.wait()
        reader.join()
    finally:
        if child.poll() is None:            # interrupted: let Pulumi cancel and release its lock
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        _children.discard(child)
    seconds = time.perf_counter() - start
    cpu, busy = children_cpu() - cpu, _machine_busy() - busy
    if child.returncode != 0:
        raise BenchError(f"{' '.join(args[:4])} ... failed ({child.returncode}):\n{stdout[-3000:]}\n"
                         + "\n".join(text for _, text in lines[-40:]))
    return Run(seconds, stdout, lines, cpu, busy)


def govcloud(scratch: Scratch, *args: str) -> Run:
    return run([str(ROOT / ".venv" / "bin" / "govcloud"), *args], scratch.root, scratch.env)


def pulumi(scratch: Scratch, cwd: Path, *args: str) -> Run:
    return run([str(scratch.settings.engine_bin / "pulumi"), *args, "--non-interactive"], cwd, scratch.env)


def tenant_up(scratch: Scratch, spec: Path) -> dict[str, object]:
    """Untimed: create (or update) the department's tenant stack; return its outputs (project id,
    the systems' bandwidth grants)."""
    planned = apply_job.discover(scratch.root, [spec])
    apply_job.render(scratch.settings, planned)
    scratch.created.add(planned[0].tenant)
    return dict(scratch.engine.up(planned[0].tenant).outputs)


def validate(scratch: Scratch) -> int:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "govcloud"), "validate", "--format", "json",
                           "request_specs"], cwd=scratch.root, env=scratch.env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"the generated specs do not pass govcloud validate:\n{done.stdout[-3000:]}{done.stderr}")
    return len(list((scratch.root / "request_specs").glob("*/*.yaml")))


# -- 1 and 3. one system: govcloud against a handwritten program ------------------------------

@dataclass(frozen=True)
class Case:
    """One system both arms make: the request govcloud applies, and the handwritten program's settings."""

    title: str
    department: str
    system: str
    program: Path                                        # the handwritten program (bench/handwritten)
    write: Callable[[Path], Path]                        # writes the request into a scratch repository
    settings: Callable[[Scratch, Path, dict], dict[str, object]]   # (scratch, spec, tenant outputs) -> bench: keys

    @property
    def stack(self) -> str:
        return f"{REGION}.{self.department}.{self.system}"


def _labels(department: str, request: str) -> dict[str, object]:
    return {"region": REGION, "department": department, "phase": "trial", "request": request}


TYPICAL = Case(
    f"one typical system (2 x {FLAVOR} servers with ports, booting from 2 x 20 GB system disks, 2 x {DISK_GB} GB "
    f"volumes attached, network, subnet, router + interface, security group + 2 rules)",
    TYPICAL_DEPT, TYPICAL_SYSTEM, HANDWRITTEN,
    lambda repo: write_spec(repo, TYPICAL_DEPT, TYPICAL_SYSTEM, 9001, "10.119.1.0/24"),
    lambda scratch, spec, tenant: {
        "cloud": scratch.settings.cloud, "projectId": tenant["projectId"], "system": TYPICAL_SYSTEM,
        "cidr": "10.119.1.0/24", "flavor": FLAVOR, "image": "kylin-v10-tiny", "count": 2, "systemGb": 20,
        "diskGb": DISK_GB, "port": 443, "source": "0.0.0.0/0", **_labels(TYPICAL_DEPT, "JJ-2026-9001")})


def kinds_spec(repo: Path) -> Path:
    """The typical request grown to ask for every kind, still passing the office's policy."""
    path = write_spec(repo, KINDS_DEPT, KINDS_SYSTEM, 9002, KINDS_CIDR)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    res = data["resources"]
    res["hosts"][0]["system_disk_gb"] = 20
    res["databases"] = [{"name": "kdb", "engine": "mysql", "version": "8.4", "flavor": "gc.db.c2m8", "storage_gb": 20}]
    res["storage"] = {"buckets": [{"name": "jj-bench-kinds-files", "quota_gb": 1}],
                      "shares": [{"name": "docs", "size_gb": 10}]}
    res["security"]["services"] = ["waf"]
    res["bandwidth"] = {"internet_mbps": MBPS, "public_ips": 1, "load_balancers": [
        {"name": "web", "members": res["hosts"][0]["name"], "public": True, "listeners": [{"protocol": "tcp", "port": 443}]}]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def kinds_settings(scratch: Scratch, spec: Path, tenant: dict) -> dict[str, object]:
    """The same values govcloud derives from the request, the database's cloud-init text included;
    the bandwidth is the tenant stack's grant, as for govcloud's system stack."""
    from provisioner.allocation import allocate
    from provisioner.policy import Policies
    from provisioner.program.database import database_user_data
    from provisioner.spec import load_spec

    [database] = allocate(load_spec(spec, scratch.root), Policies(scratch.root).catalogue).database_servers
    return {"cloud": scratch.settings.cloud, "projectId": tenant["projectId"], "system": KINDS_SYSTEM, "cidr": KINDS_CIDR,
            "flavor": FLAVOR, "image": "kylin-v10-tiny", "count": 2, "source": "0.0.0.0/0", "systemGb": 20,
            "diskGb": DISK_GB, "dbFlavor": "gc.db.c2m8",
            "dbGb": 20, "dbUserData": database_user_data(database), "bucket": "jj-bench-kinds-files",
            "bucketGb": 1, "shareGb": 10, "shareType": "default", "qosPolicyId": tenant["qosPolicies"][KINDS_SYSTEM],
            "port": 443,
            **_labels(KINDS_DEPT, "JJ-2026-9002")}


KINDS = Case(
    "one system asking for every kind (2 hosts on system disks with data disks, a MySQL database host, a bucket, "
    f"an NFS share, {MBPS} Mbps on a public IP and a public TCP load balancer over the hosts, a WAF ordered)",
    KINDS_DEPT, KINDS_SYSTEM, HANDWRITTEN, kinds_spec, kinds_settings)


def handwritten_config(scratch: Scratch, case: Case, spec: Path, tenant: dict) -> None:
    """Untimed: the handwritten stack's settings (keeping the salt `pulumi stack init` wrote)."""
    directory = scratch.root / "bench" / case.program.name
    path = directory / f"Pulumi.{case.stack}.yaml"
    salt = re.search(r"(?m)^encryptionsalt: .*$", path.read_text()) if path.exists() else None
    values = case.settings(scratch, spec, tenant)
    lines = ["config:", *(f"  bench:{key}: {json.dumps(str(value), ensure_ascii=False)}" for key, value in values.items())]
    path.write_text("\n".join(lines + ([salt.group(0)] if salt else [])) + "\n", encoding="utf-8")


def compare(number_of_part: int, case: Case, folder: Path, engine_bin: Path, clouds: Path, repeat: int,
            scratches: list[Scratch]) -> None:
    scratch = scratch_repo(folder, case.department, engine_bin, clouds)
    scratches.append(scratch)
    spec = case.write(scratch.root)
    validate(scratch)
    relative = str(spec.relative_to(scratch.root))
    tenant = f"{REGION}.{case.department}"
    hand_dir = scratch.root / "bench" / case.program.name
    pulumi(scratch, hand_dir, "stack", "init", case.stack)    # once, as a person would
    print(f"{number_of_part}. {case.title} ({relative}), {repeat} runs", flush=True)

    rows: dict[str, list[dict[str, float]]] = {"govcloud": [], "handwritten": []}
    for number in range(1, repeat + 1):
        arms = ["govcloud", "handwritten"] if number % 2 else ["handwritten", "govcloud"]
        for arm in arms:
            outputs = tenant_up(scratch, spec)
            if arm == "govcloud":
                scratch.created.add(case.stack)
                up = govcloud(scratch, "apply", "-j", "1", relative)
                # "[1/2] up city.jj-bench-std: same 7" ("[1] up ..." when a first apply records the
                # request and makes its trial through the ledger): the tenant (and everything before it)
                # is done.
                tenant_done = next(t for t, text in up.lines if re.match(r"\[1(/\d+)?\] up ", text))
                system_part = up.seconds - tenant_done
                again = govcloud(scratch, "apply", "-j", "1", relative)
                down = govcloud(scratch, "destroy", relative)
            else:
                handwritten_config(scratch, case, spec, outputs)
                scratch.handwritten.add((case.program.name, case.stack))

                def hand_up() -> tuple[Run, Run]:
                    return (pulumi(scratch, scratch.root, "up", "--yes", "--skip-preview", "--stack", tenant),
                            pulumi(scratch, hand_dir, "up", "--yes", "--skip-preview", "--stack", case.stack))
                noop, hand = hand_up()
                up, system_part = noop + hand, hand.seconds
                again = sum(hand_up(), Run(0.0))
                down = (pulumi(scratch, hand_dir, "destroy", "--yes", "--skip-preview", "--stack", case.stack)
                        + pulumi(scratch, scratch.root, "destroy", "--yes", "--skip-preview", "--stack", tenant))
            rows[arm].append({"up": up.seconds, "system": system_part, "destroy": down.seconds,
                              "total": up.seconds + down.seconds, "again": again.seconds,
                              "cpu": up.cpu + down.cpu, "busy": (up.busy + down.busy) / (up.seconds + down.seconds),
                              "again_cpu": again.cpu})
            print(f"  run {number} {arm:11}  up {up.seconds:6.1f} s (system stack {system_part:5.1f} s)  "
                  f"destroy {down.seconds:6.1f} s  total {up.seconds + down.seconds:6.1f} s "
                  f"[CPU {up.cpu + down.cpu:5.1f} s; machine {rows[arm][-1]['busy'] * 100 / os.cpu_count():3.0f}% busy];  "
                  f"up again, no change {again.seconds:5.1f} s [CPU {again.cpu:4.1f} s]", flush=True)
        scratch.created.discard(case.stack)          # destroyed by both arms
        scratch.created.discard(tenant)
        scratch.handwritten.discard((case.program.name, case.stack))

    def median(arm: str, key: str) -> float:
        return statistics.median(row[key] for row in rows[arm])

    print(f"  medians of {repeat}:             govcloud   handwritten   govcloud / handwritten")
    for label, key, note in [("up", "up", ""), ("destroy", "destroy", ""),
                             ("up + destroy", "total", "  goal <= 1.10"),
                             ("up, system stack only", "system", "  (govcloud: from its tenant's progress line)"),
                             ("up again, no change", "again", "  (nothing to create: fixed costs, refresh)"),
                             ("CPU s, up + destroy", "cpu", "  (the commands and all they started)"),
                             ("CPU s, up again", "again_cpu", "")]:
        ours, theirs = median("govcloud", key), median("handwritten", key)
        print(f"    {label:24} {ours:7.1f} s   {theirs:7.1f} s     {ours / theirs:5.2f}{note}")
    print(flush=True)


# -- 2. many systems: apply -j N against -j 1 --------------------------------------------------

def teardown(scratch: Scratch, parallel: int = 4) -> None:
    """Untimed: destroy the systems (several at once), then the tenants."""
    engine = scratch.engine
    systems = sorted(s for s in scratch.created if s.count(".") == 2)
    tenants = sorted(s for s in scratch.created if s.count(".") == 1)
    for group in (systems, tenants):
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            for stack, error in zip(group, pool.map(lambda s: _try(engine.destroy, s), group)):
                if error is None:
                    scratch.created.discard(stack)
                else:
                    print(f"  cleanup: destroying {stack} failed: {error}", file=sys.stderr)


def _try(function, *args) -> Exception | None:
    try:
        function(*args)
    except Exception as exc:  # noqa: BLE001 - cleanup goes on; leftovers are purged after
        return exc
    return None


def many(folder: Path, engine_bin: Path, clouds: Path, count: int, per_department: int, parallel: int,
         scratches: list[Scratch]) -> None:
    scratch = scratch_repo(folder, "many", engine_bin, clouds)
    scratches.append(scratch)
    specs = many_specs(scratch.root, count, per_department)
    valid = validate(scratch)
    planned = apply_job.discover(scratch.root, specs)
    stacks = {item.tenant for item in planned} | {item.system for item in planned}
    tenants = len({item.tenant for item in planned})
    print(f"2. {count} systems in {tenants} departments ({valid} specs pass govcloud validate; "
          f"{len(stacks)} stacks, {count * 17} resources in the systems)", flush=True)
    relative = [str(path.relative_to(scratch.root)) for path in specs]
    times = {}
    shown: list[tuple[float, str]] = []
    for jobs in (parallel, 1):
        scratch.created |= stacks
        done = govcloud(scratch, "apply", "-j", str(jobs), *relative)
        times[jobs] = done.seconds
        serial_busy = done.busy / done.seconds / os.cpu_count()
        progress = [(t, text) for t, text in done.lines if re.match(r"\[\d+(/\d+)?\] up ", text)]
        created = sum(int(n) for n in re.findall(r"create (\d+)", done.stdout))
        print(f"  govcloud apply -j {jobs}: {done.seconds:6.1f} s  ({len(progress)} progress lines, "
              f"{created} resources created; CPU {done.cpu:5.1f} s, machine "
              f"{done.busy / done.seconds * 100 / os.cpu_count():3.0f}% busy)", flush=True)
        if jobs == parallel:
            shown = progress
        start = time.perf_counter()
        teardown(scratch)
        print(f"    (untimed destroy: {time.perf_counter() - start:.1f} s)", flush=True)
    print(f"  speed-up -j {parallel} / -j 1: {times[1] / times[parallel]:4.2f}x  goal >= 3x")
    # The cloud runs on the same cores: whatever -j does, the work of the -j 1 run (its busy
    # CPU seconds, the cloud's included) cannot be done faster than all cores can do it.
    print(f"  ceiling on this machine: the -j 1 run kept {serial_busy * 100:3.0f}% of the {os.cpu_count()} cores busy, "
          f"so no -j can be more than {1 / serial_busy:4.2f}x faster")
    print(f"  progress of `govcloud apply -j {parallel}` on stderr (second it arrived):")
    excerpt = shown if len(shown) <= 7 else shown[:4] + [(None, "...")] + shown[-3:]
    for t, text in excerpt:
        print(f"    {'' if t is None else f'{t:6.1f} s'}  {text}")


# -- main --------------------------------------------------------------------------------------

def cleanup(scratches: list[Scratch], conn: openstack.connection.Connection, projects: list[str]) -> None:
    for scratch in scratches:
        for program, stack in sorted(scratch.handwritten):
            if _try(pulumi, scratch, scratch.root / "bench" / program, "destroy", "--yes",
                    "--skip-preview", "--stack", stack) is None:
                scratch.handwritten.discard((program, stack))
        if scratch.created:
            teardown(scratch)
    for project in projects:   # whatever a failed destroy left: only the bench's own departments
        error = _try(purge_project, conn, project)
        if error:
            print(f"  cleanup: purging project {project} failed: {error}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each arm for the typical system")
    parser.add_argument("--systems", type=int, default=20, help="systems applied at once in part 2")
    parser.add_argument("--parallel", type=int, default=4, help="-j of the parallel apply in part 2")
    parser.add_argument("--per-department", type=int, default=1,
                        help="systems per department in part 2 (more than 1 with -j > 1: see bench/README.md)")
    parser.add_argument("--skip-typical", action="store_true", help="skip part 1")
    parser.add_argument("--skip-many", action="store_true", help="skip part 2")
    parser.add_argument("--skip-kinds", action="store_true", help="skip part 3")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (stacks are destroyed)")
    args = parser.parse_args()
    own_environment()            # the bench's own state, passphrase and cloud, whatever the shell holds

    subprocess.run([str(ROOT / "scripts/devcloud/devcloud"), "start"], check=True, stdout=subprocess.DEVNULL)
    engine_bin = Path(subprocess.run([str(ROOT / "scripts/build-engine")], check=True, capture_output=True,
                                     text=True).stdout.strip().splitlines()[-1])
    cache = Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
    clouds = cache / "devcloud" / "clouds.yaml"
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds)
    conn = openstack.connect(cloud="govcloud-dev")
    ensure_domains(conn)                              # what ops do once per cloud: `govcloud regions`
    # Only the departments of the parts that run: a part skipped leaves its projects alone.
    departments = ([] if args.skip_typical else [TYPICAL_DEPT]) + \
        ([] if args.skip_many else [bench_department(i) for i in range(-(-args.systems // args.per_department))]) + \
        ([] if args.skip_kinds else [KINDS_DEPT])
    projects = [f"{REGION}-{d}" for d in departments]
    for project in projects:                          # what a crashed earlier run of the same part left
        purge_project(conn, project)
    print(f"engine {engine_bin}; cloud govcloud-dev; {os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on this machine makes times noisy)",
          flush=True)

    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)
    folder = Path(tempfile.mkdtemp(prefix="govcloud-bench-stacks-"))
    scratches: list[Scratch] = []
    status = 0
    try:
        if not args.skip_typical:
            compare(1, TYPICAL, folder, engine_bin, clouds, args.repeat, scratches)
        if not args.skip_many:
            many(folder, engine_bin, clouds, args.systems, args.per_department, args.parallel, scratches)
        if not args.skip_kinds:
            compare(3, KINDS, folder, engine_bin, clouds, args.repeat, scratches)
    except KeyboardInterrupt:
        print("interrupted: cleaning up (destroying what the bench created)...", file=sys.stderr, flush=True)
        status = 130
    except BenchError as exc:
        print(f"bench failed: {exc}\ncleaning up...", file=sys.stderr, flush=True)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C must not stop the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        start = time.perf_counter()
        cleanup(scratches, conn, projects)
        if args.keep:
            print(f"scratch folder kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"cleanup: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
