// startSystemdUnit applies what it says it applies: a service that reports what it sees.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { onFreePort, startSystemdUnit, stopQuickly, tempDir } from '../src/index.js';

/** A server that answers with what its process sees: its uid, no_new_privs, which folders are on read-only mounts. */
const probe = `import http.server, json, os, re
def read_only(path):
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
status = open("/proc/self/status").read()
facts = {
    "uid": os.getuid(),
    "noNewPrivs": int(re.search(r"NoNewPrivs:\\s+(\\d)", status).group(1)),
    "umask": os.umask(0),
    "readOnly": {name: read_only(path) for name, path in [("usr", "/usr"), ("etc", "/etc"), ("release", "."), ("state", os.environ["STATE_DIRECTORY"]), ("tmp", "/tmp")]},
    "seesOtherTmpFiles": os.path.exists(os.environ["OTHER_TMP_FILE"]),
}
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(facts).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
`;

const unit = (settings: string) => `[Unit]\nDescription=probe\n\n[Service]\nUser=app\nWorkingDirectory=/srv/probe/current\nExecStart=/usr/bin/python3 /srv/probe/current/probe.py\nStateDirectory=probe\n${settings}\n`;

function fixture(settings: string): { release: string; unitPath: string; cleanup: () => void } {
  const root = tempDir('pyrepo-unit-');
  chmodSync(root, 0o755);
  const release = join(root, 'release');
  mkdirSync(release);
  writeFileSync(join(release, 'probe.py'), probe);
  const unitPath = join(root, 'probe.service');
  writeFileSync(unitPath, unit(settings));
  return { release, unitPath, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

interface SeenFacts {
  uid: number;
  noNewPrivs: number;
  umask: number;
  readOnly: Record<string, boolean>;
  seesOtherTmpFiles: boolean;
}

/** Start the probe under a unit with these settings, as startSystemdUnit runs it; what it saw, and what startSystemdUnit did not apply. */
async function factsUnder(settings: string): Promise<{ facts: SeenFacts; notApplied: string[] }> {
  const { release, unitPath, cleanup } = fixture(settings);
  try {
    const server = await onFreePort(port => startSystemdUnit(unitPath, { release, env: { PORT: String(port), OTHER_TMP_FILE: unitPath }, url: `http://127.0.0.1:${port}/` }));
    try {
      return { facts: (await (await fetch(server.url)).json()) as SeenFacts, notApplied: server.notApplied };
    } finally {
      await stopQuickly(server);
    }
  } finally {
    cleanup();
  }
}

test('the service runs as uid 1000 with no_new_privs, its UMask, a private /tmp, every mount read-only but its state folder; what is not applied is named', async () => {
  const { facts, notApplied } = await factsUnder('UMask=0077\nNoNewPrivileges=yes\nPrivateTmp=yes\nProtectSystem=strict\nProtectHome=yes\nSystemCallFilter=@system-service');
  assert.equal(facts, { uid: 1000, noNewPrivs: 1, umask: 0o077, readOnly: { usr: true, etc: true, release: true, state: false, tmp: false }, seesOtherTmpFiles: false });
  assert.equal(notApplied, ['ProtectHome', 'SystemCallFilter']);
});

test('without the hardening settings none is applied: /usr stays on a writable mount, no_new_privs stays off, still uid 1000', async () => {
  const { facts } = await factsUnder('');
  assert.equal([facts.uid, facts.noNewPrivs, facts.readOnly.usr], [1000, 0, false]);
});

test('a release the service user could write to is refused before the service starts', async () => {
  const { release, unitPath, cleanup } = fixture('');
  try {
    chmodSync(release, 0o777);
    try {
      await startSystemdUnit(unitPath, { release, url: 'http://127.0.0.1:9/' });
      assert.unreachable('started with a writable release');
    } catch (error) {
      assert.match((error as Error).message, /wrote to the release/);
    }
  } finally {
    cleanup();
  }
});

test.run();
