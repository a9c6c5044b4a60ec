// What the detection matrix runs: the suite against a clean reference server (in every mode:
// full, read-only, load), and once per fault against a server with that fault on, over the spec
// files of the steps its declared checks belong to. Also the static list of check ids in specs/,
// to prove none vanished from a run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS, type FaultDefinition } from '../../reference/faults.ts';
import { PROFILES, type Profile } from '../../src/config.ts';
import { STEPS, specFileOf, type Step } from '../../src/steps.ts';

export const CLEAN = 'clean';

/**
 * How the suite runs. full: the default. read-only (SCIM_READ_ONLY=true, for production tenants):
 * only GET requests, write checks not applicable, one existing user to look up. load (SCIM_LOAD=1):
 * the initial sync of specs/07 runs too.
 */
export type Mode = 'full' | 'read-only' | 'load' | 'mapped';

/**
 * Steps whose checks apply in one other mode only: in a full run they are skipped as not
 * applicable. A fault that declares one of their checks is run once more, in that mode, for those
 * checks. (The clean runs confirm the table: every check must pass in some clean run.)
 */
export const STEP_MODES: Readonly<Record<string, Mode>> = { 'read-only-lookup': 'read-only', 'initial-sync': 'load' };

/**
 * Checks that apply only with an attribute mapping (SCIM_MAPPING) that has what they check: they
 * run in mode `mapped`, with Entra's default mapping plus a custom extension attribute (servers.ts).
 */
export const CHECK_MODES: Readonly<Record<string, Mode>> = { 'CREATE-14': 'mapped' };

export interface MatrixRun {
  /** 'clean', '<fault>', or with a mode other than full 'clean@load', '<fault>@read-only' ...: the vitest project is `matrix:<name>`. */
  name: string;
  /** The fault this run proves; undefined for the clean runs. */
  fault: string | undefined;
  /** Fault switches on the server (none for the clean runs). */
  faults: string[];
  mode: Mode;
  /** The client profile the suite replays (SCIM_PROFILE). */
  profile: Profile;
  /** Spec files to run, relative to the repository root. */
  specFiles: string[];
  /** Check ids that must fail (warn, for a should-check) in this run; none for the clean runs. */
  declared: string[];
}

function stepOfId(checkId: string): Step | undefined {
  return STEPS.find((s) => s.checkPrefix === checkId.split('-')[0]);
}

/** `DEACT-04` -> its step's spec file, or undefined for an id with no known step prefix. */
export function specFileOfCheck(checkId: string): string | undefined {
  const step = stepOfId(checkId);
  return step && specFileOf(step);
}

/** The spec files of the steps of `checkIds`, in tutorial order. */
export function specFilesFor(checkIds: readonly string[]): string[] {
  const wanted = new Set(checkIds.map(specFileOfCheck).filter((f): f is string => f !== undefined));
  return STEPS.map(specFileOf).filter((file) => wanted.has(file));
}

/** The mode a check needs to run at all. */
export const modeOfCheck = (checkId: string): Mode => CHECK_MODES[checkId] ?? STEP_MODES[stepOfId(checkId)?.name ?? ''] ?? 'full';

/** 'clean', 'clean@read-only', 'a-fault@okta': the mode and profile named when they are not the default. */
const runName = (base: string, mode: Mode, profile: Profile) => `${base}${mode === 'full' ? '' : `@${mode}`}${profile === 'entra' ? '' : `@${profile}`}`;

/**
 * The profile a check is proven under: entra where it applies, else the first profile it names
 * (from the checks' metadata, collected by the caller; a check that names none applies to all).
 */
export type ProfileOfCheck = (checkId: string) => Profile;

/**
 * The spec files a clean run in `mode` covers: in full mode every step that runs in it, read-only
 * the steps that only read, under load the load steps (the other steps run as in full mode).
 */
export function allSpecFiles(root: string, mode: Mode = 'full'): string[] {
  if (mode === 'mapped') return specFilesFor(Object.keys(CHECK_MODES).filter((id) => CHECK_MODES[id] === 'mapped'));
  const steps = STEPS.filter((s) => (mode === 'read-only' ? s.readOnly : (STEP_MODES[s.name] ?? 'full') === mode));
  return steps.map(specFileOf).filter((file) => existsSync(join(root, file)));
}

export function planRuns(root: string, faults: readonly FaultDefinition[] = FAULTS, only?: ReadonlySet<string>, profileOf: ProfileOfCheck = () => 'entra'): MatrixRun[] {
  const modes: Mode[] = ['full', 'read-only', 'load', 'mapped'];
  // Every profile runs the whole suite clean (its own checks pass, the others are not applicable);
  // the other modes run with the default profile.
  const variants: Array<{ mode: Mode; profile: Profile }> = [
    ...PROFILES.map((profile) => ({ mode: 'full' as const, profile })),
    ...modes.filter((m) => m !== 'full').map((mode) => ({ mode, profile: 'entra' as const })),
  ];
  const runs: MatrixRun[] = variants
    .map(({ mode, profile }) => ({ name: runName(CLEAN, mode, profile), fault: undefined, faults: [], mode, profile, specFiles: allSpecFiles(root, mode), declared: [] }))
    .filter((run) => run.specFiles.length > 0);
  for (const fault of faults.filter((f) => !only || only.has(f.name))) {
    for (const { mode, profile } of variants) {
      // The fault's own profile, when it names one, holds for all its full-mode checks.
      const declared = fault.catches.filter((id) => modeOfCheck(id) === mode && (mode !== 'full' || (fault.profile ?? profileOf(id)) === profile));
      // A fault declaring nothing still runs (over nothing), so that the verdict can say so.
      if (declared.length === 0 && !(mode === 'full' && profile === 'entra' && fault.catches.length === 0)) continue;
      runs.push({ name: runName(fault.name, mode, profile), fault: fault.name, faults: [fault.name], mode, profile, specFiles: specFilesFor(declared), declared });
    }
  }
  return runs;
}

/**
 * Every check id written in specs/ (`id: 'CONN-01'`), with its file: read from the source, so that
 * a check that silently drops out of a run (a file that fails to load, a describe that throws)
 * is noticed rather than shrinking the matrix.
 */
export function checkIdsInSpecs(root: string): Map<string, string> {
  const ids = new Map<string, string>();
  const dir = join(root, 'specs');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.spec.ts')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/\bid:\s*['"]([A-Z]+-\d+)['"]/g)) ids.set(match[1]!, `specs/${file}`);
  }
  return ids;
}
