// Runs one peer alone, for looking at it with curl: `npx tsx test/peers/serve.ts [peer] [port]`
// (peer: scimmy, the default, or better-auth; see PEERS in ./run.ts).
// Prints the Tenant URL and token; stops on Ctrl-C.
import { peerNamed } from './run.ts';

const args = process.argv.slice(2);
// `serve.ts 8080` still means scimmy on port 8080.
const [name, port] = args[0] !== undefined && /^\d+$/.test(args[0]) ? ['scimmy', args[0]] : [args[0] ?? 'scimmy', args[1]];
const peer = await peerNamed(name).start({ port: Number(port ?? 0), token: process.env.SCIM_TOKEN || undefined });
console.log(`SCIM_TENANT_URL=${peer.baseUrl}`);
console.log(`SCIM_TOKEN=${peer.token}`);
console.log(`versions: ${JSON.stringify(peer.versions)}`);
const stop = async () => {
  await peer.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
