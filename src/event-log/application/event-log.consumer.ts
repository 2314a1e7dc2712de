/** The outbox consumer name of the event log: stored with every row, so keep it stable. */
export const EVENT_LOG_CONSUMER = 'event-log';
