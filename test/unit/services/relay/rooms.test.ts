import { describe, expect, it } from 'vitest';
import type { Role } from '../../../../lib/principal';
import {
  audienceOf,
  countOrderRooms,
  orderRoom,
  roomsOf,
  STAFF_ROOM,
  userRoom,
} from '../../../../services/relay/rooms';

describe('roomsOf', () => {
  it.each<[Role, string[]]>([
    ['customer', ['user:u-1']],
    ['pharmacist', ['user:u-1', STAFF_ROOM]],
    ['admin', ['user:u-1', STAFF_ROOM]],
  ])('places a %s in %j', (role, rooms) => {
    // Act
    const joined = roomsOf({ userId: 'u-1', role });

    // Assess
    expect(joined).toEqual(rooms);
  });
});

describe('audienceOf', () => {
  it('names the customer, the order and the staff', () => {
    // Act
    const rooms = audienceOf({ userId: 'u-1', orderId: 'o-9' });

    // Assess
    expect(rooms).toEqual([userRoom('u-1'), orderRoom('o-9'), STAFF_ROOM]);
  });

  it('never names the room of another customer', () => {
    // Act
    const rooms = audienceOf({ userId: 'u-1', orderId: 'o-9' });

    // Assess
    expect(rooms).not.toContain(userRoom('u-2'));
  });
});

describe('countOrderRooms', () => {
  it('counts order rooms only', () => {
    // Act
    const count = countOrderRooms(
      new Set([
        'socket-id',
        userRoom('u-1'),
        STAFF_ROOM,
        orderRoom('a'),
        orderRoom('b'),
      ]),
    );

    // Assess
    expect(count).toBe(2);
  });
});
