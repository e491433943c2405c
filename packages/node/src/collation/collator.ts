/**
 * A parachain's collator (cumulus' collator service): on every new best relay block it builds the next parachain
 * block on that relay parent and hands the resulting collation to the relay chain. One build at a time; when the
 * relay moves on during a build, the next build takes the newest relay block (older ones are skipped, as a real
 * collator's slot would pass).
 */
import type { AuthorityKey } from '../chain/aura.ts';
import type { AuthoredBlock, Chain } from '../chain/chain.ts';
import type { RelayChainInterface, RelayHead } from './relay-interface.ts';

export interface CollatorOptions {
  chain: Chain;
  paraId: number;
  key: AuthorityKey;
  relay: RelayChainInterface;
  /** Where errors of background builds go. */
  onError?: (err: unknown) => void;
  /** Called with each block built (tests, progress). */
  onBlock?: (block: AuthoredBlock, relayParent: RelayHead) => void;
}

export class Collator {
  readonly paraId: number;
  readonly #o: CollatorOptions;
  #unsubscribe: (() => void) | undefined;
  #building: Promise<void> | undefined;
  #next: RelayHead | undefined;
  #running = false;

  constructor(options: CollatorOptions) {
    this.#o = options;
    this.paraId = options.paraId;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#o.relay.onNewBest((head) => this.#relayAdvanced(head));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#next = undefined;
    while (this.#building) await this.#building;
  }

  #relayAdvanced(head: RelayHead): void {
    if (!this.#running) return;
    this.#next = head;
    if (!this.#building) this.#building = this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#running && this.#next) {
        const relayParent = this.#next;
        this.#next = undefined;
        try {
          await this.collateOn(relayParent);
        } catch (err) {
          this.#o.onError?.(err);
        }
      }
    } finally {
      this.#building = undefined;
    }
  }

  /** Builds one parachain block on `relayParent`. */
  async collateOn(relayParent: RelayHead): Promise<AuthoredBlock> {
    const block = await this.#o.chain.author(this.#o.key, {});
    this.#o.onBlock?.(block, relayParent);
    return block;
  }
}
