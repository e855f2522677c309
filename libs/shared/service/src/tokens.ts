/** Injection tokens for what every service shares (classes are their own tokens). */
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');
export const AMQP_CONNECTION = Symbol('AMQP_CONNECTION');
export const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');
