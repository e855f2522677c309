// The outbox envelope the raw-SQL baselines write, shaped as point-service's OutboxWriter writes it.

/** An event's envelope around `payload`, with the bench's correlation id. Pure. */
export function benchEnvelope(type, eventId, at, payload) {
  return {
    eventId,
    type,
    occurredAt: at.toISOString(),
    correlationId: `bench-${eventId}`,
    producer: 'point-service',
    payload,
  };
}
