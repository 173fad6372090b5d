import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMongoDb } from '../../../lib/mongo';
import { MongoUsersStore } from '../../../lib/users/mongo-users-store';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

const PASSWORD = 'correct horse battery';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

describe('auth function: query operators in JSON', () => {
  let email: string;

  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
    // At least one account exists for an operator to match
    email = uniqueEmail('target');
    await call({
      route: 'POST /auth/register',
      body: { email, password: PASSWORD, name: 'Tia' },
    });
  });
  afterAll(() => container.close());

  it.each<[string, () => Record<string, unknown>]>([
    ['$gt in the email', () => ({ email: { $gt: '' }, password: PASSWORD })],
    ['$gt in the password', () => ({ email, password: { $gt: '' } })],
    ['$gt in both', () => ({ email: { $gt: '' }, password: { $gt: '' } })],
    ['$ne in the password', () => ({ email, password: { $ne: 'x' } })],
    [
      '$regex in the email',
      () => ({ email: { $regex: '.*' }, password: PASSWORD }),
    ],
    [
      '$where in the email',
      () => ({ email: { $where: 'true' }, password: PASSWORD }),
    ],
    ['an array as email', () => ({ email: [email], password: PASSWORD })],
  ])('never logs in with %s', async (_case, body) => {
    // Act
    const response = await call({ route: 'POST /auth/login', body: body() });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.token).toBeUndefined();
  });

  it('never registers with an operator as email', async () => {
    // Act
    const response = await call({
      route: 'POST /auth/register',
      body: { email: { $gt: '' }, password: PASSWORD, name: 'Op' },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('matches an operator that reaches the store literally, finding nobody', async () => {
    // Prepare: the schema is bypassed, as a future caller might
    const store = await MongoUsersStore.open(await getMongoDb());
    const operator = { $gt: '' } as unknown as string;

    // Act
    const found = await store.findByEmail(operator);

    // Assess: a plain filter `{email: {$gt: ''}}` would return a user
    expect(await store.findByEmail(email)).toBeDefined();
    expect(found).toBeUndefined();
  });
});
