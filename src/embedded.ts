// With no Tenant URL configured, the suite runs against the built-in reference server on a
// free loopback port with a generated token.
import { randomBytes } from 'node:crypto';
import { startReferenceServer, type ReferenceServer } from '../reference/server.ts';

export interface EmbeddedTarget {
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

export async function startEmbedded(faults: string[] = []): Promise<EmbeddedTarget & { server: ReferenceServer }> {
  const token = `ref-${randomBytes(18).toString('base64url')}`;
  const server = await startReferenceServer({ token, port: 0, faults });
  return { baseUrl: server.baseUrl, token, server, close: () => server.close() };
}
