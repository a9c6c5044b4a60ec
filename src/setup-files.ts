// The setup files every run of the spec files needs, whichever vitest project runs them
// (vitest.config.ts, the detection matrix, the peer run, the load tests). Paths from the repository root.

/**
 * Reads what the server publishes (/ResourceTypes, /Schemas) before the checks; deletes what each
 * spec file created, at the end of that file.
 */
export const SPEC_SETUP_FILES: readonly string[] = ['src/discovery-setup.ts', 'src/file-cleanup.ts'];
