export {
  NetworkService,
  type NetworkOptions,
  type NetworkServiceOptions,
  type PeerInfoJson,
} from './service.ts';
export { Role, rolesName } from './block-announce.ts';
export { chainProtocols, collationProtocol } from './protocols.ts';
export { NetworkMessageError, NetworkRequestError, NetworkStateError } from './errors.ts';
