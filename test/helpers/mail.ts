import { requireEnv } from '../../lib/config';

/** A message as MailDev's REST API lists it (the fields tests read). */
export interface CaughtMail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  to: { address: string; name?: string }[];
  from: { address: string; name?: string }[];
}

/** Every message the local SMTP catcher holds. */
export async function inbox(): Promise<CaughtMail[]> {
  const response = await fetch(`${requireEnv('MAIL_API_URL')}/email`);
  if (!response.ok) throw new Error(`inbox answered ${response.status}`);
  return (await response.json()) as CaughtMail[];
}

/** Polls the inbox until `match` finds `count` messages, or times out. */
export async function waitForMail(
  match: (mail: CaughtMail) => boolean,
  { count = 1, timeoutMs = 15_000 } = {},
): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox()).filter(match);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
