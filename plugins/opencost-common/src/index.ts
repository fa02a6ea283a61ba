/**
 * What a service costs: the opencost plugins' permission and the annotations that find a service's costs.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
