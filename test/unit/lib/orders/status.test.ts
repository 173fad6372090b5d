import { describe, expect, it } from 'vitest';
import {
  type Actor,
  canMove,
  isFinal,
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatus,
} from '../../../../lib/orders/status';

// Every allowed move of docs/design.md, and who may make it.
const ALLOWED: [OrderStatus, OrderStatus, Actor][] = [
  ['PENDING', 'CONFIRMED', 'validation'],
  ['PENDING', 'REJECTED', 'validation'],
  ['PENDING', 'CANCELLED', 'owner'],
  ['PENDING', 'CANCELLED', 'staff'],
  ['CONFIRMED', 'PREPARING', 'staff'],
  ['CONFIRMED', 'CANCELLED', 'owner'],
  ['CONFIRMED', 'CANCELLED', 'staff'],
  ['PREPARING', 'READY', 'staff'],
  ['PREPARING', 'CANCELLED', 'owner'],
  ['PREPARING', 'CANCELLED', 'staff'],
  ['READY', 'DELIVERED', 'staff'],
];
const ACTORS: Actor[] = ['validation', 'staff', 'owner'];

describe('canMove', () => {
  it.each(ALLOWED)('allows %s → %s by %s', (from, to, actor) => {
    expect(canMove(from, to, actor)).toBe(true);
  });

  it('refuses every move not in the design', () => {
    const allowed = new Set(ALLOWED.map((move) => move.join(' ')));
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        for (const actor of ACTORS) {
          const expected = allowed.has(`${from} ${to} ${actor}`);
          expect(canMove(from, to, actor), `${from} → ${to} by ${actor}`).toBe(
            expected,
          );
        }
      }
    }
  });

  it.each([
    ['DELIVERED', 'PREPARING', 'staff'],
    ['PENDING', 'CONFIRMED', 'staff'],
    ['CONFIRMED', 'PREPARING', 'owner'],
    ['READY', 'CANCELLED', 'owner'],
    ['REJECTED', 'CONFIRMED', 'validation'],
  ] as [OrderStatus, OrderStatus, Actor][])(
    'refuses %s → %s by %s',
    (from, to, actor) => {
      expect(canMove(from, to, actor)).toBe(false);
    },
  );
});

describe('nextStatuses', () => {
  it('lists the staff moves from CONFIRMED', () => {
    expect(nextStatuses('CONFIRMED', 'staff')).toEqual([
      'PREPARING',
      'CANCELLED',
    ]);
  });

  it('lists nothing from a final status', () => {
    expect(nextStatuses('DELIVERED', 'staff')).toEqual([]);
  });
});

describe('isFinal', () => {
  it.each([
    ['PENDING', false],
    ['CONFIRMED', false],
    ['PREPARING', false],
    ['READY', false],
    ['DELIVERED', true],
    ['REJECTED', true],
    ['CANCELLED', true],
  ] as [OrderStatus, boolean][])('%s is final: %s', (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});
