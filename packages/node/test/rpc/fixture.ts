import { MethodRegistry, p, params, RpcError, type SubscriptionSink } from '../../src/rpc/index.ts';

/** A registry with small test methods, standing in for the chain's real ones. */
export function testRegistry() {
  const state = { live: new Set<SubscriptionSink<number>>(), teardowns: 0 };
  const store = new Map<string, string>([['0x01', '0xaa']]);
  const registry = new MethodRegistry()
    .method({
      name: 'test_add',
      params: params(['a', p.uint()], ['b', p.uint()]),
      handler: ([a, b]) => a + b,
    })
    .method({
      name: 'test_echo',
      aliases: ['test_echoAlias'],
      params: params(['value', p.optional(p.any())]),
      handler: ([value]) => value ?? null,
    })
    .method({
      name: 'test_getStorage',
      params: params(['key', p.hex({ maxBytes: 1024 })], ['at', p.optional(p.hash())]),
      handler: ([key]) => store.get(`0x${Buffer.from(key).toString('hex')}`) ?? null,
    })
    .method({
      name: 'test_fail',
      params: [],
      handler: () => {
        throw new RpcError(1234, 'Custom failure', { why: 'because' });
      },
    })
    .method({
      name: 'test_throw',
      params: [],
      handler: async () => {
        throw new Error('boom');
      },
    })
    .method({
      name: 'test_unserializable',
      params: [],
      handler: async () => 1n,
    })
    .method({
      name: 'test_big',
      params: params(['bytes', p.uint()]),
      handler: ([n]) => 'x'.repeat(n),
    })
    .method({
      name: 'test_sleep',
      params: params(['ms', p.uint()]),
      handler: async ([ms]) => {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      },
    })
    .subscription({
      subscribe: 'test_subscribeTicks',
      subscribeAliases: ['test_subscribeTick'],
      unsubscribe: 'test_unsubscribeTicks',
      unsubscribeAliases: ['test_unsubscribeTick'],
      notification: 'test_tick',
      params: params(['start', p.optional(p.uint())]),
      handler: ([start], sink: SubscriptionSink<number>) => {
        // Sent before the subscribe answer exists: the server must hold it back until the id is on the wire.
        sink.send(start ?? 0);
        state.live.add(sink);
        return () => {
          state.live.delete(sink);
          state.teardowns++;
        };
      },
    })
    .subscription({
      subscribe: 'test_subscribeFail',
      unsubscribe: 'test_unsubscribeFail',
      notification: 'test_never',
      params: [],
      handler: () => {
        throw new RpcError(-32602, 'Invalid params', 'not today');
      },
    });
  return { registry, state, store };
}
