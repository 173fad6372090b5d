import { type Db, MongoClient } from 'mongodb';
import { readEndpoints } from './config';

/**
 * One MongoClient per process and URI, connected on first use and reused
 * by every later call (a Lambda container or a long-lived service alike).
 *
 * @example
 * const db = await getMongoDb(); // MONGODB_URI, database from its path
 * const users = db.collection('users');
 */
const clients = new Map<string, Promise<MongoClient>>();

export async function getMongoDb(
  uri = readEndpoints().mongodbUri,
  dbName?: string,
): Promise<Db> {
  let client = clients.get(uri);
  if (!client) {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 })
      .connect()
      // A failed connect must not stay cached: the next call tries again.
      .catch((error: unknown) => {
        clients.delete(uri);
        throw error;
      });
    clients.set(uri, client);
  }
  return (await client).db(dbName);
}

/** Closes every cached client (graceful shutdown, end of tests). */
export async function closeMongo(): Promise<void> {
  const pending = [...clients.values()];
  clients.clear();
  await Promise.all(
    pending.map(async (client) => (await client.catch(() => null))?.close()),
  );
}
