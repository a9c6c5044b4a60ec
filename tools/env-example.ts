// Renders .env.example from the settings table, so that it documents every variable the
// suite reads and never drifts (npm run docs writes it, npm run docs:check compares it).
import { SETTINGS } from '../src/config.ts';

export function renderEnvExample(): string {
  const lines = [
    '# scim-conformance settings. Copy to .env and fill in; the real environment wins over .env,',
    '# and command-line flags (scim-conformance --help) win over both.',
    '# Leave SCIM_TENANT_URL empty to run against the built-in reference server.',
    '',
  ];
  for (const setting of Object.values(SETTINGS)) {
    lines.push(`# ${setting.doc}`);
    // The tenant pair is filled in; every other line is a commented example of its default.
    const required = setting.env === 'SCIM_TENANT_URL' || setting.env === 'SCIM_TOKEN';
    lines.push(required ? `${setting.env}=` : `# ${setting.env}=${setting.example}`, '');
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(renderEnvExample());
