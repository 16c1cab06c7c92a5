// From the repository to a running application with no deploy: fixtures/example released,
// promoted and published by the CLI, the bundle served over loopback HTTP, read by the
// runtime library; a rollback republished reaches the open registry on its next refresh, and
// not before the host serves it intact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../src/runtime/index.js';
import { runCli } from './helpers/cli.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { TONE_IMPROVEMENT } from './helpers/example-model.js';
import { startBundleServer } from './servers/bundle-server.js';

const fixture = useExampleFixture();
const VARS = { company_name: 'Acme', question: 'Can I return worn boots?' };

describe('a published rollback reaches a running application', () => {
  it('serves 2.2.0 after the promotion, then 2.1.0 after the rollback is published, with no restart', async () => {
    const repo = await fixture.repo();
    const cli = async (...argv: string[]) => {
      const run = await runCli(argv, fixture.server.env(), repo.dir);
      expect({ argv, code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    };
    const bundle = join(repo.scratch, 'bundle');
    await cli('release');
    await cli('promote', 'support-refund', '2.1.0');
    await repo.commit('Release; production 2.1.0');
    await repo.edit({
      'partials/tone.njk': (t) => t + TONE_IMPROVEMENT,
      'prompts/support-refund.prompt.yaml': (t) => t.replace('version: 2.1.0', 'version: 2.2.0'),
    });
    await repo.commit('2.2.0');
    await cli('release');
    await cli('promote', 'support-refund', '2.2.0');
    await repo.commit('Release 2.2.0; promote it');
    await cli('publish', '--out', bundle);

    const server = await startBundleServer(bundle);
    const errors: Error[] = [];
    try {
      const registry = await openRegistry({ source: server.url, ttlMs: 60_000, onError: (e) => errors.push(e) });
      const promoted = registry.get('support-refund');
      expect(promoted.version).toBe('2.2.0');
      expect(promoted.render(VARS)[0]!.content).toContain('trail guarantee');

      await cli('rollback', 'support-refund');
      await repo.commit('Roll back support-refund');
      await cli('publish', '--out', bundle);
      const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
      const target = `artifacts/${manifest.prompts['support-refund'].labels.production.sha256}.json`;

      // The host failing, then serving the new artifact with other bytes: the app keeps 2.2.0.
      server.mode = 'error';
      await registry.refresh();
      server.mode = 'serve';
      server.tamper(target, readFileSync(join(bundle, target), 'utf8').replace('"2.1.0"', '"2.1.9"'));
      await registry.refresh();
      expect(registry.get('support-refund').version).toBe('2.2.0');
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('HTTP 500'), expect.stringContaining('sha256')]);
      errors.length = 0;

      // Served right again: the next refresh takes the rollback.
      server.tamper(target, readFileSync(join(bundle, target), 'utf8'));
      await registry.refresh();
      const rolledBack = registry.get('support-refund');
      expect(rolledBack.version).toBe('2.1.0');
      expect(rolledBack.render(VARS)[0]!.content).not.toContain('trail guarantee');
      expect(rolledBack.fallback).toBe(false);
      expect(errors).toEqual([]);
      // Refreshes ask for the manifest conditionally; the artifact it lacked was fetched again after its bad bytes, nothing else.
      const manifestRequests = server.requests.filter((r) => r.path === 'manifest.json');
      expect(manifestRequests.at(-1)?.ifNoneMatch).toBeDefined();
      expect(server.requests.filter((r) => r.path.startsWith('artifacts/')).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      await server.close();
    }
  });
});
