export { Role, rolesName } from './block-announce.ts';
export { NetworkMessageError, NetworkRequestError, NetworkStateError } from './errors.ts';
export { chainProtocols, collationProtocol } from './protocols.ts';
export {
  type NetworkOptions,
  NetworkService,
  type NetworkServiceOptions,
  type PeerInfoJson,
} from './service.ts';
