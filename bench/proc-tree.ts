// Samples a process tree (a child and everything it starts) from /proc: the peak of the summed
// resident memory of the whole tree, the peak of any single process, and when a process picked
// by a predicate (e.g. by its environment) was last seen alive. Linux only; elsewhere it reports nothing.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

interface Proc {
  pid: number;
  ppid: number;
  rssBytes: number;
}

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return procs;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE });
    } catch {
      // The process ended while we looked.
    }
  }
  return procs;
}

/** Whether the process's environment holds `entry` (NAME=value). */
export function hasEnv(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}

export class TreeSampler {
  peakTreeRss = 0;
  peakProcessRss = 0;
  /** performance.now() when a process `watch` picks was last seen alive. */
  lastSeen?: number;
  private readonly timer: NodeJS.Timeout;
  private readonly watched = new Set<number>();

  constructor(
    private readonly rootPid: number,
    private readonly watch?: (pid: number) => boolean,
    intervalMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  sample(): void {
    const procs = readProcs();
    const children = new Map<number, Proc[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const root = procs.find((p) => p.pid === this.rootPid);
    if (!root) return;
    let total = 0;
    const stack = [root];
    while (stack.length > 0) {
      const p = stack.pop()!;
      total += p.rssBytes;
      this.peakProcessRss = Math.max(this.peakProcessRss, p.rssBytes);
      if (this.watch && (this.watched.has(p.pid) || this.watch(p.pid))) {
        this.watched.add(p.pid);
        this.lastSeen = performance.now();
      }
      stack.push(...(children.get(p.pid) ?? []));
    }
    this.peakTreeRss = Math.max(this.peakTreeRss, total);
  }

  /** The pids of the tree below the root, nearest first. */
  descendants(): number[] {
    const procs = readProcs();
    const out: number[] = [];
    const queue = [this.rootPid];
    while (queue.length > 0) {
      const pid = queue.shift()!;
      for (const p of procs) {
        if (p.ppid === pid) {
          out.push(p.pid);
          queue.push(p.pid);
        }
      }
    }
    return out;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
