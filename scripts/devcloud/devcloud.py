#!/usr/bin/python3
"""The Python side of scripts/devcloud/devcloud (run with Debian's /usr/bin/python3).

Subcommands (settings come from DEVCLOUD_* environment variables set by the bash script):
  catalog                 service project, roles, service users, services and endpoints
  ensure                  base resources: public network, images, flavors, volume type
  wait [--timeout S] CHECK...|all   poll until the checks pass (prints when each one does)
  status [--quiet]        run every check once; exit 0 if all pass, 1 otherwise
  mem [--summary]         RSS/PSS of every process devcloud started (incl. children)

Only the standard library plus py-amqp and PyMySQL (both pulled in by the OpenStack packages)
are used, so it starts fast and does not depend on an openstacksdk version.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

IP = os.environ.get('DEVCLOUD_IP', '127.0.0.1')
PW = os.environ.get('DEVCLOUD_PW', 'secret')
KS = os.environ.get('DEVCLOUD_KS_URL', f'http://{IP}:5000')
REGION = os.environ.get('DEVCLOUD_REGION', 'RegionOne')
RUN = os.environ.get('DEVCLOUD_RUN', '')
SWIFT = os.environ.get('DEVCLOUD_SWIFT', '0') == '1'
OCTAVIA = os.environ.get('DEVCLOUD_OCTAVIA', '0') == '1'
MANILA = os.environ.get('DEVCLOUD_MANILA', '0') == '1'
COMPUTES = os.environ.get('DEVCLOUD_COMPUTES', 'cb-compute1').split()
STORAGE = os.environ.get('DEVCLOUD_STORAGE_HOST', 'cb-storage')

# Service users (all get admin + service on project "service"), and the catalog.
SERVICE_USERS = (['glance', 'placement', 'nova', 'neutron', 'cinder'] + (['swift'] if SWIFT else [])
                 + (['octavia'] if OCTAVIA else []) + (['manila'] if MANILA else []))
CATALOG = [  # (service name, type, url): one public, internal and admin endpoint each
    ('glance', 'image', f'http://{IP}:9292'),
    ('placement', 'placement', f'http://{IP}:8778'),
    ('nova', 'compute', f'http://{IP}:8774/v2.1'),
    ('neutron', 'network', f'http://{IP}:9696'),
    ('cinderv3', 'volumev3', f'http://{IP}:8776/v3/%(project_id)s'),
    ('cinder', 'block-storage', f'http://{IP}:8776/v3/%(project_id)s'),
]
SWIFT_CATALOG = ('swift', 'object-store', f'http://{IP}:8080/v1/AUTH_%(project_id)s')
OCTAVIA_CATALOG = [('octavia', 'load-balancer', f'http://{IP}:9876')]
MANILA_CATALOG = [('manila', 'share', f'http://{IP}:8786/v1/%(project_id)s'),
                  ('manilav2', 'sharev2', f'http://{IP}:8786/v2')]
# Opt-in services: (flag, catalog entries), so an endpoint never outlives its service.
OPTIONAL_CATALOG = [(SWIFT, [SWIFT_CATALOG]), (OCTAVIA, OCTAVIA_CATALOG), (MANILA, MANILA_CATALOG)]
SHARE_TYPE, SHARE_BACKEND = 'default', 'glusterfs'

# Flavors are those of the procured catalogue (policies/catalogue.yaml), as the
# provider would set them up per contract; database flavors get a 40 GB root disk.
CATALOGUE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'policies',
                         'catalogue.yaml')
DB_ROOT_DISK_GB = 40


def catalogue_flavors():
    """(name, vcpus, ram MB, disk GB) of every flavor the catalogue lists."""
    import yaml  # python3-yaml comes with the OpenStack packages
    with open(CATALOGUE, encoding='utf-8') as f:
        cat = yaml.safe_load(f)
    hosts = [(n, v['vcpus'], v['ram_mb'], v['disk_gb']) for n, v in cat['flavors'].items()]
    dbs = [(n, v['vcpus'], v['ram_mb'], v.get('disk_gb', DB_ROOT_DISK_GB))
           for n, v in (cat.get('database_flavors') or {}).items()]
    return hosts + dbs
# A 1 MiB raw image, registered twice: a cirros stand-in and a domestic-OS (Kylin V10) stand-in.
IMAGES = [('cirros-tiny', {'os_distro': 'cirros'}),
          ('kylin-v10-tiny', {'os_distro': 'kylin', 'os_version': 'V10'})]
IMAGE_BYTES = b'devcloud-tiny-raw-image\n'.ljust(1024 * 1024, b'\0')
VOLUME_TYPE = 'nfs1'
PUBLIC_NET, PUBLIC_CIDR, PUBLIC_GW = 'public', '203.0.113.0/24', '203.0.113.1'


class HTTPError(Exception):
    def __init__(self, status, body, url):
        super().__init__(f'HTTP {status} for {url}: {body[:300]}')
        self.status = status


def http(method, url, token=None, body=None, headers=None, timeout=10, raw=None):
    """One request; returns (status, parsed JSON or None, headers). Raises HTTPError >= 400."""
    h = {'Accept': 'application/json', 'Connection': 'close'}
    if token:
        h['X-Auth-Token'] = token
    data = None
    if raw is not None:
        data = raw
        h['Content-Type'] = 'application/octet-stream'
    elif body is not None:
        data = json.dumps(body).encode()
        h['Content-Type'] = 'application/json'
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            status, rh = r.status, r.headers
    except urllib.error.HTTPError as e:
        raise HTTPError(e.code, e.read().decode(errors='replace'), url) from None
    try:
        doc = json.loads(text) if text else None
    except ValueError:
        doc = None
    return status, doc, rh


def password_works(user):
    """Whether `user` can log in with the script's password (unscoped token)."""
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': user, 'domain': {'id': 'default'}, 'password': PW}}}}}
    try:
        http('POST', f'{KS}/v3/auth/tokens', body=body)
        return True
    except HTTPError as e:
        if e.status == 401:
            return False
        raise


class Cloud:
    """Admin session: token, admin project id and the endpoints by service type."""

    def __init__(self, timeout=10):
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': 'admin', 'domain': {'id': 'default'}, 'password': PW}}},
            'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
        _, doc, h = http('POST', f'{KS}/v3/auth/tokens', body=body, timeout=timeout)
        self.token = h['X-Subject-Token']
        self.project_id = doc['token']['project']['id']
        self.timeout = timeout

    def call(self, method, url, body=None, **kw):
        kw.setdefault('timeout', self.timeout)
        return http(method, url, token=self.token, body=body, **kw)[1]

    def get(self, url, **kw):
        return self.call('GET', url, **kw)

    def post(self, url, body, **kw):
        return self.call('POST', url, body, **kw)

    # endpoints (fixed: they are ours)
    ks = f'{KS}/v3'
    glance = f'http://{IP}:9292/v2'
    placement = f'http://{IP}:8778'
    nova = f'http://{IP}:8774/v2.1'
    neutron = f'http://{IP}:9696/v2.0'

    @property
    def cinder(self):
        return f'http://{IP}:8776/v3/{self.project_id}'


# --------------------------------------------------------------------------------------------
# catalog
# --------------------------------------------------------------------------------------------
def ensure_one(c, url, key, query, create_body, label):
    """GET url?query -> the first match of collection `key`; create it when missing."""
    found = c.get(f'{url}?{query}')[key]
    if found:
        return found[0]
    print(f'created {label}')
    return c.post(url, create_body)[key[:-1]]


def cmd_catalog():
    c = Cloud()
    ks = c.ks
    service_project = ensure_one(c, f'{ks}/projects', 'projects', 'name=service&domain_id=default',
                                 {'project': {'name': 'service', 'domain_id': 'default',
                                              'description': 'OpenStack service users'}},
                                 'project service')
    roles = {}
    for name in (['admin', 'member', 'reader', 'service'] + (['ResellerAdmin'] if SWIFT else [])
                 + (['load-balancer_member'] if OCTAVIA else [])):   # Octavia's role for making load balancers
        roles[name] = ensure_one(c, f'{ks}/roles', 'roles', f'name={name}',
                                 {'role': {'name': name}}, f'role {name}')['id']
    for name in SERVICE_USERS:
        user = ensure_one(c, f'{ks}/users', 'users', f'name={name}&domain_id=default',
                          {'user': {'name': name, 'domain_id': 'default', 'password': PW,
                                    'default_project_id': service_project['id']}},
                          f'user {name}')
        # Keep the password in step with the script's setting, but only when it
        # differs: setting a password revokes every token of the user, and the
        # running services would then get 401s until their cached token expires.
        if not password_works(name):
            c.call('PATCH', f'{ks}/users/{user["id"]}', {'user': {'password': PW}})
        for role in ('admin', 'service'):
            c.call('PUT', f'{ks}/projects/{service_project["id"]}/users/{user["id"]}'
                          f'/roles/{roles[role]}')
    services = c.get(f'{ks}/services')['services']
    wanted = CATALOG + [entry for on, entries in OPTIONAL_CATALOG if on for entry in entries]
    for name, stype, url in wanted:
        svc = next((s for s in services if s['type'] == stype and s['name'] == name), None)
        if svc is None:
            svc = c.post(f'{ks}/services', {'service': {'name': name, 'type': stype,
                                                        'enabled': True}})['service']
            print(f'created service {name} ({stype})')
        eps = c.get(f'{ks}/endpoints?service_id={svc["id"]}')['endpoints']
        for iface in ('public', 'internal', 'admin'):
            ep = next((e for e in eps if e['interface'] == iface), None)
            if ep is None:
                c.post(f'{ks}/endpoints', {'endpoint': {
                    'service_id': svc['id'], 'interface': iface, 'url': url,
                    'region_id': REGION, 'enabled': True}})
                print(f'created endpoint {name} {iface} {url}')
            elif ep['url'] != url:
                c.call('PATCH', f'{ks}/endpoints/{ep["id"]}', {'endpoint': {'url': url}})
                print(f'updated endpoint {name} {iface} {url}')
    # No dead endpoint in the catalog for a service that is off.
    off = {stype for on, entries in OPTIONAL_CATALOG if not on for _, stype, _ in entries}
    for s in services:
        if s['type'] in off:
            c.call('DELETE', f'{ks}/services/{s["id"]}')
            print(f'removed service {s["type"]} (switched off)')


# --------------------------------------------------------------------------------------------
# ensure: base resources
# --------------------------------------------------------------------------------------------
def cmd_ensure():
    c = Cloud(timeout=30)
    # External flat network "public" on physnet public (OVN bridge mapping public:br-ex).
    nets = c.get(f'{c.neutron}/networks?name={PUBLIC_NET}')['networks']
    if nets:
        net = nets[0]
        print(f'network {PUBLIC_NET}: exists')
    else:
        net = c.post(f'{c.neutron}/networks', {'network': {
            'name': PUBLIC_NET, 'router:external': True, 'shared': False,
            'provider:network_type': 'flat', 'provider:physical_network': 'public'}})['network']
        print(f'network {PUBLIC_NET}: created')
    if not c.get(f'{c.neutron}/subnets?network_id={net["id"]}')['subnets']:
        c.post(f'{c.neutron}/subnets', {'subnet': {
            'name': f'{PUBLIC_NET}-subnet', 'network_id': net['id'], 'ip_version': 4,
            'cidr': PUBLIC_CIDR, 'gateway_ip': PUBLIC_GW, 'enable_dhcp': False}})
        print(f'subnet {PUBLIC_CIDR} (no dhcp): created')

    for name, props in IMAGES:
        imgs = c.get(f'{c.glance}/images?name={name}')['images']
        for img in imgs:
            if img['status'] != 'active':   # a half-done upload from an interrupted run
                c.call('DELETE', f'{c.glance}/images/{img["id"]}')
                imgs = []
        if imgs:
            print(f'image {name}: exists')
            continue
        t = time.time()
        img = c.post(f'{c.glance}/images', dict(
            name=name, disk_format='raw', container_format='bare', visibility='public',
            min_disk=0, min_ram=0, **props))
        http('PUT', f'{c.glance}/images/{img["id"]}/file', token=c.token, raw=IMAGE_BYTES,
             timeout=60)
        while c.get(f'{c.glance}/images/{img["id"]}')['status'] != 'active':
            if time.time() - t > 60:
                raise SystemExit(f'image {name} not active after 60 s')
            time.sleep(0.3)
        print(f'image {name}: created (1 MiB raw, public) in {time.time() - t:.1f} s')

    have = {f['name'] for f in c.get(f'{c.nova}/flavors?is_public=None')['flavors']}
    for name, vcpus, ram, disk in catalogue_flavors():
        if name in have:
            print(f'flavor {name}: exists')
            continue
        c.post(f'{c.nova}/flavors', {'flavor': {'name': name, 'vcpus': vcpus, 'ram': ram,
                                                'disk': disk, 'os-flavor-access:is_public': True}})
        print(f'flavor {name}: created ({vcpus} vCPU, {ram} MB, {disk} GB)')

    types = c.get(f'{c.cinder}/types')['volume_types']
    if any(t['name'] == VOLUME_TYPE for t in types):
        print(f'volume type {VOLUME_TYPE}: exists')
    else:
        c.post(f'{c.cinder}/types', {'volume_type': {
            'name': VOLUME_TYPE, 'os-volume-type-access:is_public': True,
            'extra_specs': {'volume_backend_name': VOLUME_TYPE}}})
        print(f'volume type {VOLUME_TYPE}: created (default via cinder.conf)')
    if MANILA:
        ensure_share_type(c)


def ensure_share_type(c):
    """The share type policies/catalogue.yaml offers: the GlusterFS backend, no share servers."""
    url = f'http://{IP}:8786/v2'
    headers = {'X-OpenStack-Manila-API-Version': '2.65'}
    types = c.get(f'{url}/types', headers=headers)['share_types']
    if any(t['name'] == SHARE_TYPE for t in types):
        print(f'share type {SHARE_TYPE}: exists')
        return
    c.post(f'{url}/types', {'share_type': {
        'name': SHARE_TYPE, 'share_type_access:is_public': True,
        'extra_specs': {'driver_handles_share_servers': False, 'share_backend_name': SHARE_BACKEND}}},
        headers=headers)
    print(f'share type {SHARE_TYPE}: created (backend {SHARE_BACKEND})')


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------
class Checks:
    """Each check returns a short detail string when it passes and raises when it does not."""

    def __init__(self):
        self._cloud = None

    @property
    def cloud(self):
        if self._cloud is None:
            self._cloud = Cloud(timeout=5)
        return self._cloud

    def keystone(self):
        self._cloud = None
        return f'token issued (admin project {self.cloud.project_id[:8]})'

    def glance(self):
        self.cloud.get(f'{self.cloud.glance}/images?limit=1')
        return 'images list'

    def placement(self):
        self.cloud.get(f'{self.cloud.placement}/resource_providers')
        return 'resource providers list'

    def nova(self):
        self.cloud.get(f'{self.cloud.nova}/flavors?limit=1')
        return 'flavors list'

    def neutron(self):
        self.cloud.get(f'{self.cloud.neutron}/networks?limit=1')
        return 'networks list'

    def cinder(self):
        self.cloud.get(f'{self.cloud.cinder}/types')
        return 'volume types list'

    def octavia(self):
        doc = self.cloud.get(f'http://{IP}:9876/v2/lbaas/providers')
        names = [p['name'] for p in doc['providers']]
        if 'ovn' not in names:
            raise RuntimeError(f'no ovn provider ({names})')
        return 'providers list has ovn'

    def manila(self):
        c = self.cloud
        headers = {'X-OpenStack-Manila-API-Version': '2.65'}
        svcs = c.get(f'http://{IP}:8786/v2/services', headers=headers)['services']
        up = {s['binary'] for s in svcs if s['state'] == 'up' and s['status'] == 'enabled'}
        missing = {'manila-scheduler', 'manila-share'} - up
        if missing:
            raise RuntimeError(f'manila services not up: {sorted(missing)}')
        pools = c.get(f'http://{IP}:8786/v2/scheduler-stats/pools', headers=headers)['pools']
        if not any(p['backend'] == SHARE_BACKEND for p in pools):
            raise RuntimeError(f'scheduler knows no {SHARE_BACKEND} pool yet')
        return f'scheduler and share up; pool {SHARE_BACKEND} known'

    def swift(self):
        http('GET', f'http://{IP}:8080/v1/AUTH_{self.cloud.project_id}', token=self.cloud.token,
             timeout=5)
        return 'account GET'

    @staticmethod
    def _queue(name):
        import amqp
        conn = amqp.Connection(host=f'{IP}:5672', userid='openstack', password=PW,
                               connect_timeout=3)
        conn.connect()
        try:
            conn.channel().queue_declare(queue=name, passive=True)
        finally:
            conn.close()
        return f'RPC queue "{name}" exists'

    def conductor(self):
        return self._queue('conductor')

    def scheduler(self):
        return self._queue('scheduler')

    def compute(self):
        svcs = self.cloud.get(f'{self.cloud.nova}/os-services?binary=nova-compute')['services']
        up = {s['host'] for s in svcs if s['state'] == 'up' and s['status'] == 'enabled'}
        missing = [h for h in COMPUTES if h not in up]
        if missing:
            raise RuntimeError(f'nova-compute not up on {missing}')
        import pymysql
        db = pymysql.connect(host=IP, user='os', password=PW, database='nova_api',
                             connect_timeout=3)
        try:
            with db.cursor() as cur:
                cur.execute('SELECT host FROM host_mappings')
                mapped = {r[0] for r in cur.fetchall()}
        finally:
            db.close()
        missing = [h for h in COMPUTES if h not in mapped]
        if missing:
            raise RuntimeError(f'compute hosts not yet mapped to cell1: {missing}')
        return f'{len(COMPUTES)} hosts up and mapped ({", ".join(COMPUTES)})'

    def ovn_agents(self):
        agents = self.cloud.get(f'{self.cloud.neutron}/agents')['agents']
        alive = {a['host'] for a in agents if a['alive'] and 'OVN Controller' in a['agent_type']}
        missing = [h for h in COMPUTES if h not in alive]
        if missing:
            raise RuntimeError(f'no live OVN controller agent for {missing}')
        return f'OVN controllers alive on {", ".join(COMPUTES)}'

    def cinder_pools(self):
        c = self.cloud
        svcs = c.get(f'{c.cinder}/os-services')['services']
        up = {s['binary'] for s in svcs if s['state'] == 'up' and s['status'] == 'enabled'}
        missing = {'cinder-scheduler', 'cinder-volume', 'cinder-backup'} - up
        if missing:
            raise RuntimeError(f'cinder services not up: {sorted(missing)}')
        pools = [p['name'] for p in c.get(f'{c.cinder}/scheduler-stats/get_pools')['pools']]
        if f'{STORAGE}@nfs1#nfs1' not in pools:
            raise RuntimeError(f'scheduler knows no nfs1 pool yet ({pools})')
        return 'scheduler, volume, backup up; pool nfs1 known'

    API = ['keystone', 'glance', 'placement', 'nova', 'neutron', 'cinder']

    def names(self, which):
        if which == ['all']:
            return (self.API + (['swift'] if SWIFT else []) + (['octavia'] if OCTAVIA else [])
                    + (['manila'] if MANILA else [])
                    + ['conductor', 'scheduler', 'compute', 'ovn_agents', 'cinder_pools'])
        return which

    def run(self, name):
        try:
            return True, getattr(self, name)()
        except Exception as e:  # noqa: BLE001 - a check reports any failure as "not yet"
            if name == 'keystone':
                self._cloud = None
            return False, f'{type(e).__name__}: {e}'


def cmd_wait(args):
    timeout = 300.0
    if args[:1] == ['--timeout']:
        timeout, args = float(args[1]), args[2:]
    checks = Checks()
    pending = checks.names(args or ['all'])
    t0 = time.time()
    last = {}
    while True:
        for name in list(pending):
            if name != 'keystone' and 'keystone' in pending:
                break   # everything else needs a token
            ok, detail = checks.run(name)
            last[name] = detail
            if ok:
                pending.remove(name)
                print(f'    {name:13s} ok after {time.time() - t0:5.1f} s: {detail}', flush=True)
            elif name == 'keystone':
                break
        if not pending:
            return 0
        if time.time() - t0 > timeout:
            for name in pending:
                print(f'    {name:13s} NOT READY: {last.get(name, "not checked")}', file=sys.stderr)
            return 1
        time.sleep(0.5)


def cmd_status(args):
    quiet = '--quiet' in args
    checks = Checks()
    bad = 0
    for name in checks.names(['all']):
        ok, detail = checks.run(name)
        bad += not ok
        if not quiet:
            print(f'  {name:24s} {"ok" if ok else "FAILING"}: {detail}')
        if not ok and name == 'keystone':
            if not quiet:
                print('  (other API checks need keystone)')
            return 1
    return 1 if bad else 0


# --------------------------------------------------------------------------------------------
# memory
# --------------------------------------------------------------------------------------------
def _procs():
    """{pid: (ppid, pgrp)} for every process."""
    out = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                out[int(d)] = (int(fields[1]), int(fields[2]))
            except (OSError, IndexError):
                pass
    return out


def _rollup(pid):
    vals = {}
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                k, _, rest = line.partition(':')
                if k in ('Rss', 'Pss'):
                    vals[k] = int(rest.split()[0])
    except OSError:
        pass
    return vals.get('Rss', 0), vals.get('Pss', 0)


def cmd_mem(args):
    procs = _procs()
    children = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    rows, seen = [], set()
    for fn in sorted(os.listdir(RUN)):
        if not fn.endswith('.pid'):
            continue
        name = fn[:-4]
        try:
            with open(os.path.join(RUN, fn)) as f:
                root = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if root not in procs:
            continue
        # The daemon, its descendants, and anything left in its process group.
        members, stack = set(), [root]
        while stack:
            p = stack.pop()
            if p in members:
                continue
            members.add(p)
            stack.extend(children.get(p, []))
        members |= {p for p, (_, pg) in procs.items() if pg == root}
        members -= seen
        seen |= members
        rss = pss = 0
        for p in members:
            r, s = _rollup(p)
            rss, pss = rss + r, pss + s
        rows.append((name, len(members), rss, pss))
    total_n = sum(r[1] for r in rows)
    total_rss = sum(r[2] for r in rows)
    total_pss = sum(r[3] for r in rows)
    rows.sort(key=lambda r: -r[3])
    if '--summary' in args:
        print(f'devcloud: memory: {len(rows)} daemons, {total_n} processes: '
              f'RSS {total_rss / 1024:.0f} MiB, PSS {total_pss / 1024:.0f} MiB')
        print('  largest by PSS: ' + ', '.join(f'{n} {p / 1024:.0f}' for n, _, _, p in rows[:8])
              + ' (MiB)')
        return 0
    print(f'{"daemon":24s} {"procs":>5s} {"RSS MiB":>8s} {"PSS MiB":>8s}')
    for name, n, rss, pss in rows:
        print(f'{name:24s} {n:5d} {rss / 1024:8.1f} {pss / 1024:8.1f}')
    print(f'{"TOTAL":24s} {total_n:5d} {total_rss / 1024:8.1f} {total_pss / 1024:8.1f}')
    return 0


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == 'catalog':
        cmd_catalog()
        return 0
    if cmd == 'ensure':
        cmd_ensure()
        return 0
    if cmd == 'wait':
        return cmd_wait(args)
    if cmd == 'status':
        return cmd_status(args)
    if cmd == 'mem':
        return cmd_mem(args)
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
