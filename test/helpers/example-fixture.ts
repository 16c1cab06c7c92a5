// The setup every engine and CLI test file shares: the simulated example model on a
// loopback server, and temporary repositories removed after each test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startModelServer, type ModelServer } from '../servers/model-server.js';
import { exampleModel } from './example-model.js';
import { tempRepo, type TempRepo } from './example-repo.js';

export interface ExampleFixture {
  /** The model server (set before the first test). */
  readonly server: ModelServer;
  /** A temporary repository (default: fixtures/example on main), removed after the test. */
  repo(files?: Record<string, string>): Promise<TempRepo>;
}

/** Registers the hooks in the calling test file. */
export function useExampleFixture(): ExampleFixture {
  let server: ModelServer | undefined;
  const repos: TempRepo[] = [];
  beforeAll(async () => {
    server = await startModelServer(exampleModel);
  });
  afterEach(async () => {
    server?.reset();
    await Promise.all(repos.splice(0).map((r) => r.remove()));
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the model server starts in beforeAll');
      return server;
    },
    async repo(files) {
      const repo = await tempRepo(files);
      repos.push(repo);
      return repo;
    },
  };
}
