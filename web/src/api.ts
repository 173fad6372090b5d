import type { OrderStatus } from '../../lib/orders/status';

/** Where the app finds the API and the relay (config.json, see README). */
export interface Endpoints {
  graphqlUrl: string;
  relayUrl: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'customer' | 'pharmacist' | 'admin';
  locale: 'fr' | 'en';
}

export interface Medicine {
  sku: string;
  name: string;
  form: string;
  strength: string;
  price: number;
  currency: string;
  prescriptionRequired: boolean;
  available: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: {
    sku: string;
    name: string | null;
    quantity: number;
    unitPrice: number | null;
  }[];
  total: number | null;
  currency: string;
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A GraphQL error, by its `extensions.code` (or NETWORK). */
export class ApiError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'ApiError';
  }
}

const ORDER_FIELDS = `id userId status total currency rejectionReason
  createdAt updatedAt version items { sku name quantity unitPrice }`;
const USER_FIELDS = 'id email name role locale';
const MEDICINE_FIELDS =
  'sku name form strength price currency prescriptionRequired available';

export async function loadEndpoints(): Promise<Endpoints> {
  const fallback = {
    graphqlUrl: `http://${location.hostname}:3000/graphql`,
    relayUrl: `http://${location.hostname}:4000`,
  };
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    return response.ok ? { ...fallback, ...(await response.json()) } : fallback;
  } catch {
    return fallback;
  }
}

/** Typed calls to the GraphQL endpoint, with the caller's token. */
export class Api {
  token: string | undefined;

  constructor(private readonly url: string) {}

  async request<T>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.token && { authorization: `Bearer ${this.token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ApiError('NETWORK');
    }
    // A gateway timeout or a proxy's error page is not GraphQL.
    const body: {
      data?: T;
      errors?: { extensions?: { code?: string } }[];
    } = await response.json().catch(() => {
      throw new ApiError(
        response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN',
      );
    });
    const error = body.errors?.[0];
    if (error || !body.data) {
      throw new ApiError(error?.extensions?.code ?? 'UNKNOWN');
    }
    return body.data;
  }

  async login(email: string, password: string): Promise<User> {
    const { login } = await this.request<{
      login: { token: string; user: User };
    }>(
      `mutation($input: LoginInput!) { login(input: $input) { token user { ${USER_FIELDS} } } }`,
      { input: { email, password } },
    );
    this.token = login.token;
    return login.user;
  }

  async register(input: {
    email: string;
    password: string;
    name: string;
    locale: 'fr' | 'en';
  }): Promise<User> {
    const { register } = await this.request<{
      register: { token: string; user: User };
    }>(
      `mutation($input: RegisterInput!) { register(input: $input) { token user { ${USER_FIELDS} } } }`,
      { input },
    );
    this.token = register.token;
    return register.user;
  }

  async me(): Promise<User> {
    return (await this.request<{ me: User }>(`{ me { ${USER_FIELDS} } }`)).me;
  }

  async medicines(search: string): Promise<Medicine[]> {
    const { medicines } = await this.request<{
      medicines: { edges: { node: Medicine }[] };
    }>(
      `query($search: String) { medicines(search: $search, first: 20) { edges { node { ${MEDICINE_FIELDS} } } } }`,
      { search: search || null },
    );
    return medicines.edges.map((edge) => edge.node);
  }

  async orders(first = 50): Promise<Order[]> {
    const { orders } = await this.request<{
      orders: { edges: { node: Order }[] };
    }>(
      `query($first: Int) { orders(first: $first) { edges { node { ${ORDER_FIELDS} } } } }`,
      { first },
    );
    return orders.edges.map((edge) => edge.node);
  }

  async order(id: string): Promise<Order | null> {
    return (
      await this.request<{ order: Order | null }>(
        `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`,
        { id },
      )
    ).order;
  }

  async placeOrder(
    items: { sku: string; quantity: number }[],
    prescriptionRef: string | undefined,
    idempotencyKey: string,
  ): Promise<Order> {
    return (
      await this.request<{ placeOrder: Order }>(
        `mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { ${ORDER_FIELDS} } }`,
        { input: { items, prescriptionRef }, key: idempotencyKey },
      )
    ).placeOrder;
  }

  async cancelOrder(id: string): Promise<Order> {
    return (
      await this.request<{ cancelOrder: Order }>(
        `mutation($id: ID!) { cancelOrder(id: $id) { ${ORDER_FIELDS} } }`,
        { id },
      )
    ).cancelOrder;
  }

  async moveOrder(id: string, status: OrderStatus): Promise<Order> {
    return (
      await this.request<{ updateOrderStatus: Order }>(
        `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { ${ORDER_FIELDS} } }`,
        { id, status },
      )
    ).updateOrderStatus;
  }

  async restock(sku: string, quantity: number): Promise<Medicine> {
    return (
      await this.request<{ restock: Medicine }>(
        `mutation($sku: String!, $quantity: Int!, $key: String) { restock(sku: $sku, quantity: $quantity, idempotencyKey: $key) { ${MEDICINE_FIELDS} } }`,
        { sku, quantity, key: crypto.randomUUID() },
      )
    ).restock;
  }
}
