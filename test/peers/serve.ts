// Runs the scimmy peer alone, for looking at it with curl: `npx tsx test/peers/serve.ts [port]`.
// Prints the Tenant URL and token; stops on Ctrl-C.
import { startScimmyPeer } from './scimmy-server.ts';

const peer = await startScimmyPeer({ port: Number(process.argv[2] ?? 0), token: process.env.SCIM_TOKEN || undefined });
console.log(`SCIM_TENANT_URL=${peer.baseUrl}`);
console.log(`SCIM_TOKEN=${peer.token}`);
console.log(`versions: ${JSON.stringify(peer.versions)}`);
const stop = async () => {
  await peer.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
