// `npm run serve:reference -- --port 8080 --token T --fault a,b` (or `scim-conformance serve ...`):
// runs the reference server in the foreground, prints its base URL and token, stops on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULTS } from './faults.ts';
import { startReferenceServer } from './server.ts';

export const USAGE = `Usage: npm run serve:reference -- [--port 8080] [--host 127.0.0.1] [--base-path /scim/v2] [--token T]
         [--basic-username U [--basic-password P]] [--fault a,b]

--basic-username also accepts HTTP Basic credentials (Okta's option); the password is random unless given.

Faults (each breaks the server one way; see reference/faults.ts and docs/detection-matrix.md):
${FAULTS.map((f) => `  ${f.name.padEnd(Math.max(...FAULTS.map((g) => g.name.length)))}  ${f.breaks}`).join('\n')}`;

/**
 * Starts the server from command-line arguments and resolves once it listens; the open server
 * keeps the process alive. Bad arguments throw (parseArgs errors, unknown faults) for the caller to report.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', short: 'p', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'base-path': { type: 'string', default: '/scim/v2' },
      token: { type: 'string', short: 't' },
      'basic-username': { type: 'string' },
      'basic-password': { type: 'string' },
      fault: { type: 'string', short: 'f', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${JSON.stringify(values.port)}`);
  const token = values.token ?? randomBytes(24).toString('base64url');
  const faults = values.fault.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '');

  if (values['basic-password'] !== undefined && values['basic-username'] === undefined) throw new Error('--basic-password needs --basic-username');
  const basic = values['basic-username'] === undefined ? undefined : { username: values['basic-username'], password: values['basic-password'] ?? randomBytes(18).toString('base64url') };

  const server = await startReferenceServer({ token, port, host: values.host, basePath: values['base-path'], faults, ...(basic && { basic }) });
  console.log(`SCIM reference server listening at ${server.baseUrl}`);
  console.log(`Bearer token: ${token}`);
  // A throwaway test server: its credentials are printed so that a run can be pointed at it.
  if (basic) console.log(`Basic credentials: SCIM_BASIC_USERNAME=${basic.username} SCIM_BASIC_PASSWORD=${basic.password}`);
  if (faults.length > 0) console.log(`Faults on: ${faults.join(', ')}`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const runDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exit(2);
  });
}
