/** Fixed-size byte newtypes shared by extrinsics, headers and extensions, under their Substrate paths. */
import { bytesFixed } from '../scale/index.ts';
import { newtype } from './newtype.ts';

/** `sp_core::crypto::AccountId32`: a 32-byte public key (sr25519/ed25519) or a hash of one (ecdsa). */
export const AccountId32 = newtype(bytesFixed(32), ['sp_core', 'crypto', 'AccountId32'], '[u8; 32]');

/** `primitive_types::H256`: block hashes, state/extrinsics roots. */
export const H256 = newtype(bytesFixed(32), ['primitive_types', 'H256'], '[u8; 32]');

/** Moonbeam's `account::AccountId20`: an Ethereum address (last 20 bytes of keccak256 of the public key). */
export const AccountId20 = newtype(bytesFixed(20), ['account', 'AccountId20'], '[u8; 20]');
