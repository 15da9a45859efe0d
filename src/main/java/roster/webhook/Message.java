package roster.webhook;

import java.util.Map;

/** One request to a consumer: the event it carries (id, type, sequence) and the bytes and headers sent. */
record Message(String eventId, String eventType, long sequence, byte[] body, Map<String, String> headers) {}
