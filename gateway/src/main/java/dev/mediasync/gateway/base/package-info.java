/**
 * What every feature package of the gateway builds on, and depends on none of them: its typed settings
 * ({@link dev.mediasync.gateway.base.GatewayProperties}) and its named daemon threads.
 */
package dev.mediasync.gateway.base;
