import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../lib/http';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

const oversized = JSON.stringify({
  email: uniqueEmail(),
  password: 'correct horse battery',
  name: 'n'.repeat(DEFAULT_BODY_LIMIT_BYTES),
});

describe('auth function: request bodies', () => {
  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
  });
  afterAll(() => container.close());

  describe.each(['POST /auth/register', 'POST /auth/login'])('%s', (route) => {
    it.each<[string, string | undefined, number, string]>([
      ['no body', undefined, 400, 'BAD_REQUEST'],
      ['an empty body', '', 400, 'BAD_REQUEST'],
      ['a blank body', ' \n ', 400, 'BAD_REQUEST'],
      ['malformed JSON', '{"email": "a@b.c",', 400, 'BAD_REQUEST'],
      ['a JSON string', '"hello"', 400, 'VALIDATION_FAILED'],
      ['a JSON array', '[]', 400, 'VALIDATION_FAILED'],
      ['JSON null', 'null', 400, 'VALIDATION_FAILED'],
      ['an empty object', '{}', 400, 'VALIDATION_FAILED'],
      ['an oversized body', oversized, 413, 'PAYLOAD_TOO_LARGE'],
    ])('answers %s with %i %s', async (_case, body, status, code) => {
      // Act
      const response = await call({ route, body });

      // Assess
      expect(response.status).toBe(status);
      expect(response.body.error).toEqual(
        expect.objectContaining({ code, message: expect.any(String) }),
      );
    });
  });
});
