import { errorOf } from './domain-error';

/** A backing service refused or timed out: 503, the client may retry. */
export class ServiceUnavailableError extends errorOf('SERVICE_UNAVAILABLE', 503) {}
