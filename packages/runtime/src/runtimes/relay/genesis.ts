/**
 * Devnet genesis of the relay chain: //Alice … //Ferdie endowed with 1,000,000 DOT each, //Alice as sudo and the one
 * validator, every parachain of the devnet registered with its genesis head and validation code (its runtime's
 * `:code` identity), and an HRMP channel open both ways between every pair of parachains from block 1 (Polkadot's
 * limits: 1000 messages, 102400 bytes per message). The treasury (transaction and XCM execution fees) is endowed with
 * the existential deposit and more, as on the parachains, so fees below the ED are kept rather than burned.
 */
import { runtimeCode } from '../../frame/runtime-code.ts';
import { devnetHostConfiguration } from '../../pallets/relay/index.ts';
import { paraSovereignAccount } from '../../parachains/ids.ts';
import { devAccounts } from '../dev-accounts.ts';
import { PARACHAIN_PROFILES } from '../parachain/index.ts';
import { genesisHeader, type RuntimeProfile } from '../profile.ts';
import { auraSessionGenesis } from '../wallet-pallets.ts';
import { treasuryAccount } from '../parachain/config.ts';
import { GENESIS_RESERVE_TOKENS } from '../xcm-shared.ts';
import { DOT } from './config.ts';

export const RELAY_DEV_ENDOWMENT = 1_000_000n * DOT;
/** What each parachain's sovereign account holds on the relay: the DOT its dev account holds there as a foreign asset. */
export const PARA_SOVEREIGN_ENDOWMENT = GENESIS_RESERVE_TOKENS * DOT;
export const RELAY_TREASURY_ENDOWMENT = 1_000n * DOT;
export const HRMP_CHANNEL_CAPACITY = 1000;
export const HRMP_CHANNEL_MAX_MESSAGE_SIZE = 102_400;

export function relayGenesisConfig(
  paras: readonly RuntimeProfile[] = PARACHAIN_PROFILES,
): Record<string, unknown> {
  const accounts = Object.values(devAccounts());
  const ids = paras.map((p) => {
    if (p.role.kind !== 'parachain') throw new Error(`${p.id} is not a parachain profile`);
    return p.role.paraId;
  });
  const channels: Array<[number, number, number, number]> = [];
  for (const a of ids)
    for (const b of ids)
      if (a !== b) channels.push([a, b, HRMP_CHANNEL_CAPACITY, HRMP_CHANNEL_MAX_MESSAGE_SIZE]);
  return {
    Balances: {
      balances: [
        ...accounts.map((a) => [a, RELAY_DEV_ENDOWMENT]),
        [treasuryAccount(32), RELAY_TREASURY_ENDOWMENT],
        ...ids.map((id) => [paraSovereignAccount(id), PARA_SOVEREIGN_ENDOWMENT]),
      ],
    },
    Sudo: { key: accounts[0] },
    Configuration: { config: devnetHostConfiguration() },
    ParasShared: { validators: [accounts[0]] },
    Paras: {
      paras: paras.map((p, i) => ({
        id: ids[i],
        head: genesisHeader(p).headData,
        validationCode: runtimeCode(p.make().runtime),
      })),
    },
    Hrmp: { preopenHrmpChannels: channels },
    // //Alice authors the relay's blocks (Aura) and is its session validator.
    ...auraSessionGenesis([[accounts[0], accounts[0]]]),
  };
}
