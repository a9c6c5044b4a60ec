// In-memory storage of resources, one map per resource type, in insertion order.
import type { JsonObject } from './json.ts';

export interface StoredResource extends JsonObject {
  id: string;
  meta: { resourceType: string; created: string; lastModified: string };
}

export class ResourceStore {
  private readonly byType = new Map<string, Map<string, StoredResource>>();

  private table(type: string): Map<string, StoredResource> {
    let table = this.byType.get(type);
    if (!table) this.byType.set(type, (table = new Map()));
    return table;
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.table(type).get(id);
  }

  all(type: string): StoredResource[] {
    return [...this.table(type).values()];
  }

  put(type: string, resource: StoredResource): void {
    this.table(type).set(resource.id, resource);
  }

  delete(type: string, id: string): boolean {
    return this.table(type).delete(id);
  }

  clear(): void {
    this.byType.clear();
  }
}
