/**
 * Room names and who is in them. A socket joins its user's room, staff
 * also the staff room, and any order room it subscribed to; an event goes
 * to the rooms of its customer, its order and the staff, and Socket.IO
 * delivers it once to a socket that sits in several of them.
 */
import { isStaff } from '../../lib/auth';
import type { OrderStatusChanged } from '../../lib/events';
import type { Principal } from '../../lib/principal';

export const STAFF_ROOM = 'staff';

export function userRoom(userId: string): string {
  return `user:${userId}`;
}

export function orderRoom(orderId: string): string {
  return `order:${orderId}`;
}

/** Rooms a socket joins as soon as its handshake succeeds. */
export function roomsOf(principal: Principal): string[] {
  const rooms = [userRoom(principal.userId)];
  if (isStaff(principal.role)) rooms.push(STAFF_ROOM);
  return rooms;
}

/** Rooms an order event is emitted to. */
export function audienceOf(
  event: Pick<OrderStatusChanged, 'userId' | 'orderId'>,
): string[] {
  return [userRoom(event.userId), orderRoom(event.orderId), STAFF_ROOM];
}

/** Order rooms among a socket's rooms, to enforce the subscription cap. */
export function countOrderRooms(rooms: Iterable<string>): number {
  let count = 0;
  for (const room of rooms) if (room.startsWith('order:')) count += 1;
  return count;
}
