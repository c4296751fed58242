/** Settings of the edX S3 sync: the buckets edX publishes research data to, the credentials that read them, and the GPG key that decrypts them. */
import { readiness, setting, type Readiness, type SectionOf } from './setting.js';
import { cronExpression, httpUrl, path, text } from './values.js';

/** The edX S3 settings. */
export const EDX_S3_SETTINGS = [
  setting({
    key: 'edxS3Prefix', variable: 'EDX_S3_PREFIX', fallback: undefined,
    description: 'the organisation as edX names its objects (e.g. chalmersx): <it>-YYYY-MM-DD.zip and <it>/<site>/events/; unset = no edX S3 sync', schema: text.optional(),
  }),
  setting({ key: 'edxS3BucketData', variable: 'EDX_S3_BUCKET_DATA', fallback: 'course-data', description: 'S3 bucket of the weekly research data packages', schema: text }),
  setting({ key: 'edxS3BucketEvents', variable: 'EDX_S3_BUCKET_EVENTS', fallback: 'edx-course-data', description: 'S3 bucket of the daily event files', schema: text }),
  setting({ key: 'edxS3Region', variable: 'EDX_S3_REGION', fallback: 'us-east-1', description: 'AWS region of the buckets (signs the requests)', schema: text }),
  setting({
    key: 'edxS3Endpoint', variable: 'EDX_S3_ENDPOINT', fallback: undefined,
    description: 'S3 endpoint, path-style <it>/<bucket>/<key>; unset = AWS, https://<bucket>.s3.<region>.amazonaws.com/', schema: httpUrl.optional(),
  }),
  setting({ key: 'edxS3AccessKeyId', variable: 'EDX_S3_ACCESS_KEY_ID', fallback: undefined, description: 'AWS access key id that edX gave the institution', schema: text.optional() }),
  setting({ key: 'edxS3SecretAccessKey', variable: 'EDX_S3_SECRET_ACCESS_KEY', fallback: undefined, secret: true, description: 'its secret access key', schema: text.optional() }),
  setting({
    key: 'edxGpgKeyFile', variable: 'EDX_GPG_KEY_FILE', fallback: undefined,
    description: "file of the institution's GPG private key (ASCII-armoured or binary) that decrypts edX's files", schema: path.optional(),
  }),
  setting({ key: 'edxGpgPassphrase', variable: 'EDX_GPG_PASSPHRASE', fallback: undefined, secret: true, description: 'passphrase of that key', schema: text.optional() }),
  setting({
    key: 'edxS3BackupDir', variable: 'EDX_S3_BACKUP_DIR', fallback: undefined,
    description: 'where the encrypted originals are kept as fetched, course-data/ and edx-course-data/; unset = DATA_DIR/edx-s3', schema: path.optional(),
  }),
  setting({
    key: 'edxS3SyncCron', variable: 'EDX_S3_SYNC_CRON', fallback: undefined,
    description: 'when the server syncs and imports the edX S3 data (e.g. daily "0 5 * * *"); unset = only `edx sync` by hand', schema: cronExpression.optional(),
  }),
] as const;

/** The edX S3 settings, read. */
export type EdxS3Config = SectionOf<typeof EDX_S3_SETTINGS>;

/**
 * Whether `edx sync` can run: the organisation, the access key pair and the GPG key with its passphrase.
 * @example if (!edxS3Readiness(config).ready) throw new Error('edX S3 is not set');
 */
export const edxS3Readiness = (config: Pick<EdxS3Config, 'edxS3Prefix' | 'edxS3AccessKeyId' | 'edxS3SecretAccessKey' | 'edxGpgKeyFile' | 'edxGpgPassphrase'>): Readiness =>
  readiness(EDX_S3_SETTINGS, config, ['edxS3Prefix', 'edxS3AccessKeyId', 'edxS3SecretAccessKey', 'edxGpgKeyFile', 'edxGpgPassphrase']);
