import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import type { Logger } from '../../lib/logger';
import type { RenderedEmail } from './render';

export interface OutgoingEmail extends RenderedEmail {
  to: string;
}

export interface Mailer {
  /** Resolves with the server's message id; rejects with MailSendError. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * The mail server did not take the message. `permanent` is true when
 * trying again cannot help (a 5xx answer, refused credentials).
 */
export class MailSendError extends Error {
  override name = 'MailSendError';

  constructor(
    message: string,
    readonly code: string,
    readonly permanent: boolean,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SmtpMailerOptions {
  url: string;
  from: string;
  /** Attempts per message, the first included. */
  attempts: number;
  /** First backoff; doubles after each failed attempt. */
  retryDelayMs: number;
  logger: Logger;
}

/**
 * Sends over SMTP with nodemailer. Connection errors, timeouts and 4xx
 * answers are retried with backoff inside the call; the timeouts are
 * short so that a few attempts fit in one invocation.
 */
export function smtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    // One connection kept open across sends: opening one (greeting, EHLO,
    // TLS on a real relay) cost 150 of the 200 ms an email took locally
    // (`npm run bench`). The idle timeout below closes it between
    // invocations; a connection that died while frozen fails one attempt,
    // and the retry opens a fresh one.
    pool: true,
    maxConnections: 1,
    connectionTimeout: 3_000,
    greetingTimeout: 3_000,
    socketTimeout: 5_000,
  });

  return {
    async send(email) {
      for (let attempt = 1; ; attempt++) {
        try {
          const info = await transport.sendMail({
            from: options.from,
            to: email.to,
            subject: email.subject,
            text: email.text,
            html: email.html,
          });
          return { messageId: info.messageId };
        } catch (error) {
          const failure = toSendError(error, attempt);
          options.logger.warn('smtp send failed', {
            attempt,
            code: failure.code,
            permanent: failure.permanent,
          });
          if (failure.permanent || attempt >= options.attempts) throw failure;
          await sleep(options.retryDelayMs * 2 ** (attempt - 1));
        }
      }
    },
    close() {
      transport.close();
    },
  };
}

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
}

function toSendError(error: unknown, attempts: number): MailSendError {
  const { message, code, responseCode, permanent } = error as NodemailerError;
  const isPermanent =
    permanent === true ||
    (responseCode !== undefined && responseCode >= 500) ||
    code === 'EAUTH' ||
    code === 'EMESSAGE';
  return new MailSendError(
    message ?? 'send failed',
    code ?? (responseCode ? `SMTP_${responseCode}` : 'UNKNOWN'),
    isPermanent,
    attempts,
    { cause: error },
  );
}
