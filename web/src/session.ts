import type { Api, Endpoints, User } from './api';

/** What every view gets: the API, the endpoints and the signed-in user. */
export interface Context {
  api: Api;
  endpoints: Endpoints;
  user: User | undefined;
  signedIn(user: User): void;
  signOut(): void;
  /** Runs when the view is left (closes sockets, timers). */
  onLeave(cleanup: () => void): void;
}

const KEY = 'pharmaexpress.session';

/** The token lives in sessionStorage: one tab, gone when it closes. */
export function savedSession(): { token: string; user: User } | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '') || undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(token: string | undefined, user?: User): void {
  if (token && user) {
    sessionStorage.setItem(KEY, JSON.stringify({ token, user }));
  } else {
    sessionStorage.removeItem(KEY);
  }
}

export function isStaff(user: User | undefined): boolean {
  return user?.role === 'pharmacist' || user?.role === 'admin';
}
