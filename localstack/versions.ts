/**
 * Every version the local stack installs, in one place.
 *
 * Changing a version here makes the next start install the new one beside
 * the old (each lands in its own versioned folder under `.local/`).
 */
export const VERSIONS = {
  /** Apache Kafka (KRaft), jars from Maven Central. kafkajs 2.2.4 is proven against it. */
  kafka: '4.1.1',
  /** log4j2 binding for Kafka's own logs. */
  log4j: '2.24.3',
  slf4j: '2.0.17',
  /** FerretDB v1 with its SQLite backend, built from the Go module proxy. */
  ferretdb: 'v1.24.2',
  /** moto in server mode: the AWS-compatible endpoint for DynamoDB and SQS. */
  moto: '5.2.5',
  /** MailDev: SMTP catcher with a web inbox and a REST API. */
  maildev: '2.1.0',
} as const;
