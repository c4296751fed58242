/**
 * The "Settings" block of a command's help: each variable the command reads, with the
 * description the config declares for it (one source for the README and the help), and
 * "required" where the config's readiness helpers say a platform cannot run without it.
 */
import { courseraPullReadiness, edxReadiness, edxS3Readiness, futurelearnPullReadiness, khanReadiness, SETTINGS } from '../config/index.js';

/**
 * The variables a platform cannot run without: what its readiness helper finds missing
 * in empty settings, so that the list stays the config's.
 */
const REQUIRED = new Set(
  [edxReadiness({ edxLmsUrl: undefined }), courseraPullReadiness({ courseraToken: undefined, courseraCourseIds: undefined }),
    futurelearnPullReadiness({ futurelearnEmail: undefined, futurelearnPassword: undefined, futurelearnOrganisation: undefined }),
    khanReadiness({ khanConsumerKey: undefined, khanConsumerSecret: undefined, khanTokenKey: undefined }),
    edxS3Readiness({ edxS3Prefix: undefined, edxS3AccessKeyId: undefined, edxS3SecretAccessKey: undefined, edxGpgKeyFile: undefined, edxGpgPassphrase: undefined })]
    .flatMap((r) => (r.ready ? [] : r.missing)),
);

/**
 * The help block of `variables`; throws on a variable the config does not declare (a test runs every command's help).
 * @example settingsHelp(['DATABASE_URL', 'DATA_DIR'])
 */
export function settingsHelp(variables: readonly string[]): string {
  if (variables.length === 0) return '\nSettings: none\n';
  const width = Math.max(...variables.map((v) => v.length));
  const lines = variables.map((variable) => {
    const setting = SETTINGS.find((s) => s.variable === variable);
    if (setting === undefined) throw new Error(`${variable}: not a setting`);
    const fallback = setting.fallback ? ` (default ${setting.secret ? '***' : setting.fallback})` : '';
    return `  ${variable.padEnd(width)}  ${REQUIRED.has(variable) ? 'required: ' : ''}${setting.description}${fallback}`;
  });
  return `\nSettings (environment variables):\n${lines.join('\n')}\n`;
}
