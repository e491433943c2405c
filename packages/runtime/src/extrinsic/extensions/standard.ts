/**
 * The standard extension list of Polkadot-style runtimes, in the order polkadot-js signs them:
 * CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce, CheckWeight,
 * ChargeTransactionPayment. Payload = call ++ (era, nonce, tip) ++ (spec, tx version, genesis, birth hash).
 */
import { ChargeTransactionPayment } from './charge-transaction-payment.ts';
import { CheckGenesis } from './check-genesis.ts';
import { CheckMortality } from './check-mortality.ts';
import { CheckNonZeroSender } from './check-non-zero-sender.ts';
import { CheckNonce } from './check-nonce.ts';
import { CheckSpecVersion } from './check-spec-version.ts';
import { CheckTxVersion } from './check-tx-version.ts';
import { CheckWeight } from './check-weight.ts';
import type { TransactionExtension } from './extension.ts';

export const STANDARD_EXTENSIONS: readonly TransactionExtension[] = [
  CheckNonZeroSender,
  CheckSpecVersion,
  CheckTxVersion,
  CheckGenesis,
  CheckMortality,
  CheckNonce,
  CheckWeight,
  ChargeTransactionPayment,
];
