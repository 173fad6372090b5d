import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenConfig } from '../../../../lib/auth/config';
import { verifyToken } from '../../../../lib/auth/token';
import type { Logger } from '../../../../lib/logger';
import { LoginThrottle } from '../../../../lib/users/login-throttle';
import { UsersService } from '../../../../lib/users/service';
import {
  MemoryLoginAttemptsStore,
  MemoryUsersStore,
} from '../../../helpers/memory-users';

const tokens: TokenConfig = {
  secret: 'unit-test-secret-that-is-long-enough-0123',
  issuer: 'pharmaexpress-test',
  audience: 'pharmaexpress-test-api',
  ttlSeconds: 600,
};
const PASSWORD = 'correct horse battery';
const ann = {
  email: 'ann@example.org',
  password: PASSWORD,
  name: 'Ann',
  locale: 'fr' as const,
};
const IP = '192.0.2.1';

function fakeLogger() {
  const calls: unknown[][] = [];
  const record = (...args: unknown[]) => {
    calls.push(args);
  };
  const logger = {
    info: vi.fn(record),
    warn: vi.fn(record),
    error: vi.fn(record),
    debug: vi.fn(record),
  };
  return { logger: logger as unknown as Logger, calls };
}

describe('UsersService', () => {
  let store: MemoryUsersStore;
  let users: UsersService;
  let logged: unknown[][];

  beforeEach(() => {
    store = new MemoryUsersStore();
    const { logger, calls } = fakeLogger();
    logged = calls;
    users = new UsersService({
      store,
      throttle: new LoginThrottle(new MemoryLoginAttemptsStore(), {
        windowSeconds: 60,
        maxFailuresPerAccount: 2,
        maxFailuresPerClient: 10,
      }),
      tokens,
      bcryptCost: 10,
      logger,
    });
  });

  describe('register', () => {
    it('creates a customer and signs a token for it', async () => {
      // Act
      const { user, token } = await users.register(ann);

      // Assess
      expect(user).toEqual({
        id: expect.any(String),
        email: ann.email,
        name: 'Ann',
        role: 'customer',
        locale: 'fr',
      });
      expect(verifyToken(token, tokens)).toEqual({
        userId: user.id,
        role: 'customer',
        email: ann.email,
      });
    });

    it('stores a bcrypt hash, never the password', async () => {
      // Act
      const { user } = await users.register(ann);

      // Assess
      const record = await store.findById(user.id);
      expect(record?.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(JSON.stringify(record)).not.toContain(PASSWORD);
    });

    it('refuses an email that has an account', async () => {
      // Prepare
      await users.register(ann);

      // Act
      const again = users.register({ ...ann, name: 'Other Ann' });

      // Assess
      await expect(again).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
        status: 409,
      });
    });
  });

  describe('login', () => {
    it('answers an unknown email and a wrong password with the same error', async () => {
      // Prepare
      await users.register(ann);

      // Act
      const unknown = await users
        .login({ email: 'nobody@example.org', password: PASSWORD }, IP)
        .catch((e) => e);
      const wrong = await users
        .login({ email: ann.email, password: 'wrong password' }, IP)
        .catch((e) => e);

      // Assess
      expect(unknown).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect([wrong.code, wrong.status, wrong.message]).toEqual([
        unknown.code,
        unknown.status,
        unknown.message,
      ]);
    });

    it('refuses the right password while the account is throttled', async () => {
      // Prepare
      await users.register(ann);
      for (const _ of [1, 2]) {
        await users
          .login({ email: ann.email, password: 'wrong password' }, IP)
          .catch(() => {});
      }

      // Act
      const attempt = users.login({ email: ann.email, password: PASSWORD }, IP);

      // Assess
      await expect(attempt).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        status: 429,
      });
    });

    it('resets the account count on success', async () => {
      // Prepare: one failure, a success, one failure: never two in a row
      await users.register(ann);
      await users
        .login({ email: ann.email, password: 'wrong password' }, IP)
        .catch(() => {});
      await users.login({ email: ann.email, password: PASSWORD }, IP);
      await users
        .login({ email: ann.email, password: 'wrong password' }, IP)
        .catch(() => {});

      // Act
      const session = await users.login(
        { email: ann.email, password: PASSWORD },
        IP,
      );

      // Assess
      expect(session.user.email).toBe(ann.email);
    });

    it('logs neither the password, the hash nor the token', async () => {
      // Prepare
      await users.register(ann);
      const hash = (await store.findByEmail(ann.email))?.passwordHash ?? '';

      // Act
      const { token } = await users.login(
        { email: ann.email, password: PASSWORD },
        IP,
      );
      await users
        .login({ email: ann.email, password: 'wrong password' }, IP)
        .catch(() => {});

      // Assess
      const text = JSON.stringify(logged);
      expect(logged.length).toBeGreaterThan(0);
      for (const secret of [PASSWORD, 'wrong password', hash, token]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('profile', () => {
    it('refuses a user id that has no account', async () => {
      await expect(users.profile('gone')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    });
  });

  describe('ensureAdmin', () => {
    const admin = {
      email: 'root@pharmacy.example',
      password: 'admin password',
      name: 'Root',
    };

    it('creates the admin when absent, once', async () => {
      // Act
      const first = await users.ensureAdmin(admin);
      const second = await users.ensureAdmin(admin);

      // Assess
      expect([first, second]).toEqual(['created', 'present']);
      expect((await store.findByEmail(admin.email))?.role).toBe('admin');
    });

    it('leaves a customer who holds the admin email a customer', async () => {
      // Prepare: someone registered the address before the first start
      await users.register({ ...ann, email: admin.email });

      // Act
      const outcome = await users.ensureAdmin(admin);

      // Assess
      expect(outcome).toBe('present');
      expect((await store.findByEmail(admin.email))?.role).toBe('customer');
    });
  });

  describe('createStaff', () => {
    it('creates an account with the given staff role', async () => {
      // Act
      const user = await users.createStaff({ ...ann, role: 'pharmacist' });

      // Assess
      expect(user.role).toBe('pharmacist');
      const { token } = await users.login(
        { email: ann.email, password: PASSWORD },
        IP,
      );
      expect(verifyToken(token, tokens).role).toBe('pharmacist');
    });
  });
});
